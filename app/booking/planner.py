"""What the booking page shows: the month calendar, each zone's free slots, proposed plans.

A zone whose advisers come from several institutions (the finance zone's KODIT, KIBO, KDB
and IBK) may have a preferred one: the institution the pre-screen recommended, or the one
of the appointment being rescheduled, unless the firm chose another. Its days are marked,
its slots come first and the plans use it where the day allows.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.booking.itinerary import propose_itineraries
from app.booking.models import Appointment, Booking
from app.booking.month import ALL, FULL, SOME, CalendarDay, Month, month_grid
from app.booking.notifications import calendar_events
from app.booking.services import live_appointments
from app.extensions import db
from app.intake.services import list_zones
from app.notify.ics import visit_calendar
from app.states import AppointmentStatus, BookingStatus
from app.types import center_tz, local_today, utcnow
from app.zones.availability import Slot, free_slots
from app.zones.models import Institution, Zone

DAYS_SHOWN = 28
PLANS = 3


@dataclass
class DayPlan:
    """The picker's state for a set of zones and, once chosen, a day."""

    zones: list[Zone]
    all_zones: list[Zone]
    days: list[tuple[date, list[str]]]  # each open day and the zones free on it
    calendar: dict[date, CalendarDay] = field(default_factory=dict)
    preferred: dict[str, Institution] = field(default_factory=dict)  # zone code -> institution
    first_day: date | None = None
    last_day: date | None = None
    suggested_day: date | None = None
    day: date | None = None
    slots: dict[str, list[Slot]] = field(default_factory=dict)
    itineraries: list[list[Slot]] = field(default_factory=list)
    full_zones: list[Zone] = field(default_factory=list)

    @property
    def institutions(self) -> dict[int, Institution]:
        """The zones' institutions by id, for naming a slot's in the page's language."""
        return {i.id: i for zone in self.all_zones for i in zone.institutions}

    @property
    def choosable(self) -> list[Zone]:
        """The chosen zones whose advisers come from more than one institution."""
        return [z for z in self.zones if len([i for i in z.institutions if i.active]) > 1]

    def is_preferred(self, slot: Slot) -> bool:
        """Whether the slot is with its zone's preferred institution."""
        institution = self.preferred.get(slot.zone)
        return institution is not None and slot.institution_id == institution.id

    def month(self, wanted: date | None = None) -> Month:
        """The month to show: the asked one, else the chosen day's, else the first open day's."""
        first, last = self.first_day or local_today(), self.last_day or local_today()
        shown = wanted or self.day or self.suggested_day or first
        if not first.replace(day=1) <= shown <= last:
            shown = first
        grid = month_grid(shown, self.calendar)
        before = grid.first - timedelta(days=1)
        after = (grid.first + timedelta(days=32)).replace(day=1)
        grid.previous = before.replace(day=1) if before >= first else None
        grid.next = after if after <= last else None
        return grid


def preferred_institutions(zones: list[Zone], wanted: Mapping[str, int | None]) -> dict[
        str, Institution]:
    """The preferred institution of each zone that has several, from ids by zone code."""
    chosen = {}
    for zone in zones:
        institution = next((i for i in zone.institutions if i.id == wanted.get(zone.code)), None)
        if institution is not None and len(zone.institutions) > 1:
            chosen[zone.code] = institution
    return chosen


def _full_days(zones: list[Zone], first: date, last: date, ignore: Collection[int],
               now: datetime) -> set[tuple[str, date]]:
    """(zone code, day) pairs on which live appointments are held: a day with none of them
    and no free slot is a day off, not a full day; nor is a day the zone's minimum notice
    has already closed (later today, say), whose waitlist could never be offered a slot."""
    tz = center_tz()
    opens = {zone.code: (now + timedelta(hours=zone.min_notice_hours)).astimezone(tz).date()
             for zone in zones}
    code_of = {zone.id: zone.code for zone in zones}
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    rows = db.session.execute(select(Appointment.id, Appointment.zone_id, Appointment.starts_at)
                              .where(Appointment.zone_id.in_(code_of),
                                     Appointment.status != AppointmentStatus.CANCELLED,
                                     Appointment.starts_at >= start, Appointment.starts_at < end))
    held = {(code_of[zone_id], starts.astimezone(tz).date())
            for appointment_id, zone_id, starts in rows if appointment_id not in ignore}
    return {(code, day) for code, day in held if day >= opens[code]}


def _calendar(zones: list[Zone], found: dict[str, list[Slot]], held: set[tuple[str, date]],
              preferred: dict[str, Institution], first: date, last: date
              ) -> dict[date, CalendarDay]:
    tz = center_tz()
    free: dict[date, dict[str, list[Slot]]] = {}
    for code, slots in found.items():
        for slot in slots:
            free.setdefault(slot.start.astimezone(tz).date(), {}).setdefault(code, []).append(slot)
    days = {}
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        by_zone = free.get(day, {})
        entry = CalendarDay(day, free=[z for z in zones if z.code in by_zone],
                            full=[z for z in zones if z.code not in by_zone
                                  and (z.code, day) in held])
        entry.institution_days = [
            institution for code, institution in preferred.items()
            if any(s.institution_id == institution.id for s in by_zone.get(code, ()))]
        if zones and len(entry.free) == len(zones):
            entry.state = ALL
        elif entry.free:
            entry.state = SOME
        elif entry.full:
            entry.state = FULL
        days[day] = entry
    return days


def _suggested(days: dict[date, CalendarDay], preferred: dict[str, Institution],
               plans_on) -> date | None:
    """The first day on which a plan for every zone fits, with every preferred institution
    if any; else the first day on which every zone is free (late slots of a near day may
    not line up into one visit)."""
    complete = [d for d, entry in sorted(days.items()) if entry.state == ALL]
    with_them = [d for d in complete if len(days[d].institution_days) == len(preferred)]
    for candidate in with_them + [d for d in complete if d not in with_them]:
        if plans_on(candidate):
            return candidate
    return next(iter(complete), None)


def _plans(slots: dict[str, list[Slot]], preferred: dict[str, Institution]) -> list[list[Slot]]:
    """Up to PLANS plans in time order: those with the preferred institutions first."""
    theirs = {code: [s for s in found if code not in preferred
                     or s.institution_id == preferred[code].id]
              for code, found in slots.items()}
    first = sorted(propose_itineraries(theirs, limit=PLANS), key=lambda p: p[0].start)
    seen = {tuple((s.adviser_id, s.start) for s in plan) for plan in first}
    rest = [plan for plan in propose_itineraries(slots, limit=PLANS * 2)
            if tuple((s.adviser_id, s.start) for s in plan) not in seen]
    return first + sorted(rest[:PLANS - len(first)], key=lambda p: p[0].start)


def day_plan(zone_codes: list[str], day: date | None, *,
             institutions: Mapping[str, int | None] | None = None,
             ignore: Collection[int] = (), suggest: bool = True,
             centre_id: int | None = None) -> DayPlan:
    """The calendar of the next four weeks for the zones, and a day's slots and plans.

    Without a day, the suggested one (see _suggested) is shown when `suggest`. `ignore`
    holds the appointments of the booking being rescheduled: their times count as free.
    The zones are those of `centre_id` (the pre-screen's centre; the default centre's when
    None).
    """
    all_zones = list_zones(centre_id)
    zones = [z for z in all_zones if z.code in zone_codes]
    preferred = preferred_institutions(zones, institutions or {})
    first = local_today()
    last = first + timedelta(days=DAYS_SHOWN - 1)
    now = utcnow()
    found = {zone.code: free_slots(zone.code, first, last, now=now, centre_id=zone.centre_id,
                                   ignore_appointment_ids=ignore) for zone in zones}
    days = _calendar(zones, found, _full_days(zones, first, last, set(ignore), now), preferred,
                     first, last)
    plan = DayPlan(zones=zones, all_zones=all_zones, preferred=preferred, calendar=days,
                   first_day=first, last_day=last,
                   days=[(d, [z.code for z in e.free]) for d, e in days.items() if e.free])
    tz = center_tz()

    def slots_on(wanted: date) -> dict[str, list[Slot]]:
        return {zone.code: sorted((s for s in found[zone.code]
                                   if s.start.astimezone(tz).date() == wanted),
                                  key=lambda s: (not plan.is_preferred(s), s.start))
                for zone in zones}

    plan.suggested_day = _suggested(days, preferred,
                                    lambda wanted: _plans(slots_on(wanted), preferred))
    if day is None and suggest:
        day = plan.suggested_day
    if day is None or not zones:
        return plan
    plan.day = day
    plan.slots = slots_on(day)
    plan.full_zones = [z for z in zones if not plan.slots[z.code] and first <= day <= last]
    if not plan.full_zones:
        plan.itineraries = _plans(plan.slots, preferred)
    return plan


def visit_calendar_for(booking: Booking) -> bytes:
    """The booking as a calendar file: one event per appointment, cancelled ones as CANCEL.

    In the pre-screen's language, as the files the e-mails carry, whatever the page's: the
    same UID keeps the same words however often it is imported."""
    cancelled = booking.status == BookingStatus.CANCELLED
    events = calendar_events(live_appointments(booking), booking.intake.language)
    return visit_calendar(events, cancelled=cancelled,
                          sequence=1 if cancelled else 0, stamp=booking.updated_at)
