"""How firms move through the service: the funnel, lead times, and who comes (splits)."""

from collections import Counter
from dataclasses import dataclass, fields

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from app.booking.models import Appointment, Booking
from app.centres.scope import StatsScope
from app.extensions import db
from app.intake.models import Intake
from app.states import AppointmentStatus
from app.stats.cohorts import COUNTS
from app.stats.figures import (
    COMPLETED,
    NETWORK,
    Period,
    by_centre,
    by_zone_centre,
    epoch_seconds,
    in_period,
    rollup_ready,
)
from app.stats.models import CohortDay, ImportedConsultation
from app.zones.models import Zone


@dataclass(frozen=True)
class Funnel:
    """One cohort: the pre-screens made in a period and what became of them (their bookings,
    their appointments whenever they fall, and how those ended)."""

    intakes: int = 0
    bookings: int = 0
    appointments: int = 0
    completed: int = 0
    no_show: int = 0
    cancelled: int = 0

    @property
    def no_show_rate(self) -> float:
        """no_show / (completed + no_show); 0.0 when nobody was expected yet."""
        seen = self.completed + self.no_show
        return self.no_show / seen if seen else 0.0

    def as_dict(self) -> dict[str, int]:
        """The six counts by name (the API's shape)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def __add__(self, other: "Funnel") -> "Funnel":
        return Funnel(*(a + b for a, b in zip(self.as_dict().values(),
                                               other.as_dict().values(), strict=True)))


def funnels(period: Period, scope: StatsScope = NETWORK) -> dict[int, Funnel]:
    """Per centre of the scope (those with pre-screens in the period): the cohort of the
    period's pre-screens and what became of them. Imported consultations had no pre-screen
    and are in no cohort.

    Read from the cohort's rollup (`cohort_days`, app/stats/cohorts.py) when it is built:
    one row per centre and day; else from the pre-screens themselves (`_counted_funnels`)."""
    if not rollup_ready():
        return _counted_funnels(period, scope)
    return {centre_id: Funnel(*(int(value or 0) for value in counts))
            for centre_id, *counts in db.session.execute(
                select(CohortDay.centre_id, *[func.sum(getattr(CohortDay, name))
                                              for name in COUNTS])
                .where(in_period(CohortDay.day, period, dated=True),
                       *by_centre(CohortDay.centre_id, scope))
                .group_by(CohortDay.centre_id))}


def _counted_funnels(period: Period, scope: StatsScope) -> dict[int, Funnel]:
    """`funnels` counted from the pre-screens, their bookings and their appointments."""
    cohort = [in_period(Intake.created_at, period), *by_centre(Intake.centre_id, scope)]
    centre = Intake.centre_id
    made = dict(db.session.execute(select(centre, func.count(Intake.id)).where(*cohort)
                                   .group_by(centre)).all())
    booked = dict(db.session.execute(
        select(centre, func.count(Booking.id)).join(Intake, Intake.id == Booking.intake_id)
        .where(*cohort).group_by(centre)).all())
    status = Appointment.status
    ended = {row[0]: row[1:] for row in db.session.execute(
        select(centre, func.count(Appointment.id),
               *[func.coalesce(func.sum(case((status == s, 1), else_=0)), 0)
                 for s in (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW,
                           AppointmentStatus.CANCELLED)])
        .join(Intake, Intake.id == Appointment.intake_id).where(*cohort).group_by(centre))}
    return {centre_id: Funnel(int(made.get(centre_id, 0)), int(booked.get(centre_id, 0)),
                              *(int(value or 0) for value in ended.get(centre_id, (0,) * 4)))
            for centre_id in made.keys() | booked.keys() | ended.keys()}


def funnel(period: Period, scope: StatsScope = NETWORK) -> Funnel:
    """The period's cohort of pre-screens over the whole scope (see `funnels`)."""
    return sum(funnels(period, scope).values(), Funnel())


# (days below which, name) of the lead time's buckets; the last has no upper limit.
LEAD_BUCKETS = ((1, _l("Same day")), (4, _l("1–3 days")), (8, _l("4–7 days")),
                (15, _l("8–14 days")), (None, _l("15 days or more")))


@dataclass(frozen=True)
class LeadTime:
    """Days from booking to visit of the period's kept appointments: mean and histogram."""

    count: int
    mean_days: float
    buckets: list[tuple[int | None, str, int]]  # (days below which, name, appointments)


def _lead_days():
    return (epoch_seconds(Appointment.starts_at)
            - epoch_seconds(Appointment.created_at)) / 86400.0


def _kept(period: Period) -> list:
    return [Appointment.status != AppointmentStatus.CANCELLED,
            in_period(Appointment.starts_at, period)]


def lead_time(period: Period, scope: StatsScope = NETWORK) -> LeadTime:
    """How far ahead the period's (not cancelled) appointments in the scope were booked: from
    the moment each appointment was made (a rescheduled one: when it was moved) to its start."""
    limits = [limit for limit, _name in LEAD_BUCKETS if limit is not None]
    kept = (select(_lead_days().label("days")).select_from(Appointment)
            .where(*_kept(period), *by_zone_centre(Appointment.zone_id, scope))
            .subquery())
    total, mean, *below = db.session.execute(select(
        func.count(), func.avg(kept.c.days),
        *[func.coalesce(func.sum(case((kept.c.days < limit, 1), else_=0)), 0)
          for limit in limits])).one()
    edges = [0, *(int(count) for count in below), int(total)]  # how many under each limit
    return LeadTime(int(total), round(float(mean or 0.0), 1), [
        (limit, str(name), edges[i + 1] - edges[i])
        for i, (limit, name) in enumerate(LEAD_BUCKETS)])


def lead_times(period: Period, scope: StatsScope = NETWORK) -> dict[int, tuple[int, float]]:
    """Per centre of the scope: (kept appointments, mean lead time in days) of the period."""
    return {centre_id: (int(count), round(float(mean or 0.0), 1))
            for centre_id, count, mean in db.session.execute(
                select(Zone.centre_id, func.count(), func.avg(_lead_days()))
                .select_from(Appointment).join(Zone, Zone.id == Appointment.zone_id)
                .where(*_kept(period), *by_centre(Zone.centre_id, scope))
                .group_by(Zone.centre_id))}


SPLIT_COLUMNS = {"stage": Intake.stage, "industry": Intake.industry, "region": Intake.region}
IMPORTED_GROUP = "__imported__"


@dataclass(frozen=True)
class SplitRow:
    """One group of a split: its value (None: not given), pre-screens, consultations."""

    value: str | None
    intakes: int
    consultations: int


def splits(period: Period, scope: StatsScope = NETWORK) -> dict[str, list[SplitRow]]:
    """Pre-screens and consultations of the period and scope by stage, industry and region,
    biggest first. One GROUP BY over the three columns feeds all three splits.

    Imported consultations carry no company profile: they form their own group.
    """
    columns = list(SPLIT_COLUMNS.values())
    made = db.session.execute(
        select(*columns, func.count(Intake.id)).where(in_period(Intake.created_at, period),
                                                      *by_centre(Intake.centre_id, scope))
        .group_by(*columns)).all()
    seen = db.session.execute(
        select(*columns, func.count(Appointment.id))
        .join(Intake, Intake.id == Appointment.intake_id)
        .where(COMPLETED, in_period(Appointment.starts_at, period),
               *by_centre(Intake.centre_id, scope)).group_by(*columns)).all()
    imported = db.session.scalar(select(func.count(ImportedConsultation.id)).where(
        in_period(ImportedConsultation.day, period, dated=True),
        *by_centre(ImportedConsultation.centre_id, scope)))
    found = {}
    for index, dimension in enumerate(SPLIT_COLUMNS):
        intakes, consultations = Counter(), Counter()
        for groups, counter in ((made, intakes), (seen, consultations)):
            for group in groups:
                counter[group[index]] += int(group[-1])
        rows = [SplitRow(value, intakes[value], consultations[value])
                for value in intakes.keys() | consultations.keys()]
        rows.sort(key=lambda r: (-r.consultations, -r.intakes, r.value is None, r.value or ""))
        if imported:
            rows.append(SplitRow(IMPORTED_GROUP, 0, int(imported)))
        found[dimension] = rows
    return found


