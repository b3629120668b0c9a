"""Slot utilisation: booked / offered per zone, institution and adviser.

Offered slots are what the rota opened: the slots still free (from the availability engine,
asked as if it were just before each day so that past days count too) plus the appointments
that hold an adviser's time. Booked are those appointments (every status but cancelled).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.booking.models import Appointment
from app.centres.scope import StatsScope
from app.extensions import db
from app.states import AppointmentStatus
from app.stats.figures import NETWORK, Period, by_centre, by_zone_centre, day_start, in_period
from app.types import center_tz
from app.zones.availability import free_slots
from app.zones.models import Adviser, Institution, Zone

MAX_DAYS = 31  # a longer period is measured over its last 31 days (the engine is costly)


@dataclass(frozen=True)
class UtilisationRow:
    """One line of the utilisation table: a zone, an institution or an adviser."""

    level: str  # "zone" | "institution" | "adviser"
    zone: str  # zone code
    name: str | None  # None: the advisers of no institution
    name_en: str | None
    booked: int
    offered: int
    centre_id: int | None = None  # the zone's centre

    @property
    def rate(self) -> float:
        """booked / offered; 0.0 when nothing was offered."""
        return self.booked / self.offered if self.offered else 0.0


def utilisation_window(period: Period) -> Period:
    """The days utilisation is measured over: the period, at most its last MAX_DAYS days."""
    earliest = period.last - timedelta(days=MAX_DAYS - 1)
    return Period(max(period.first or earliest, earliest), period.last)


def _free_counts(zone: Zone, first: date, last: date) -> Counter:
    """Free slots per adviser between two local days, seen from just before each stretch."""
    counts: Counter = Counter()
    notice, tz = timedelta(hours=zone.min_notice_hours), center_tz()
    day = first
    while day <= last:
        now = day_start(day) - notice
        end = min(last, now.astimezone(tz).date() + timedelta(days=zone.horizon_days))
        if end < day:
            break  # a notice longer than the horizon: the zone never offers anything
        counts.update(slot.adviser_id for slot in free_slots(zone.code, day, end, now=now,
                                                                 centre_id=zone.centre_id))
        day = end + timedelta(days=1)
    return counts


def utilisation(period: Period, scope: StatsScope = NETWORK,
                advisers: bool = True) -> list[UtilisationRow]:
    """Zone rows of the scope's centres (by centre, in menu order), each followed by its
    institutions and (`advisers`) its advisers; see utilisation_window."""
    window = utilisation_window(period)
    booked = dict(db.session.execute(
        select(Appointment.adviser_id, func.count(Appointment.id))
        .where(Appointment.status != AppointmentStatus.CANCELLED,
               in_period(Appointment.starts_at, window),
               *by_zone_centre(Appointment.zone_id, scope))
        .group_by(Appointment.adviser_id)).all())
    zones = list(db.session.scalars(select(Zone).where(*by_centre(Zone.centre_id, scope))
                                    .order_by(Zone.centre_id, Zone.sort_order, Zone.id)))
    free: Counter = Counter()
    for zone in zones:
        if zone.active:
            free.update(_free_counts(zone, window.first, window.last))
    people = db.session.execute(
        select(Adviser.id, Adviser.name, Adviser.zone_id, Adviser.active, Institution.id,
               Institution.name, Institution.name_en)
        .outerjoin(Institution, Institution.id == Adviser.institution_id)
        .where(Adviser.zone_id.in_([zone.id for zone in zones]))
        .order_by(Institution.sort_order, Adviser.name, Adviser.id)).all() if zones else []
    rows = []
    for zone in zones:
        groups: dict[int | None, list[UtilisationRow]] = {}
        labels: dict[int | None, tuple[str, str]] = {}
        for aid, name, zone_id, active, inst_id, inst_name, inst_en in people:
            taken, open_ = int(booked.get(aid, 0)), free.get(aid, 0)
            if zone_id != zone.id or not (active or taken):
                continue
            groups.setdefault(inst_id, []).append(
                UtilisationRow("adviser", zone.code, name, name, taken, taken + open_,
                               zone.centre_id))
            labels[inst_id] = (inst_name, inst_en)
        zone_rows = [UtilisationRow("zone", zone.code, zone.name, zone.name_en,
                                    *_total(r for group in groups.values() for r in group),
                                    zone.centre_id)]
        for inst_id, members in groups.items():
            zone_rows.append(UtilisationRow("institution", zone.code, *labels[inst_id],
                                            *_total(members), zone.centre_id))
            if advisers:
                zone_rows.extend(members)
        rows.extend(zone_rows)
    return rows


def _total(rows) -> tuple[int, int]:
    booked = offered = 0
    for row in rows:
        booked, offered = booked + row.booked, offered + row.offered
    return booked, offered
