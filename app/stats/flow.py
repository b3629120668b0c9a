"""How firms move through the service: the funnel, lead times, and who comes (splits)."""

from collections import Counter
from dataclasses import dataclass, fields

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from app.booking.models import Appointment, Booking
from app.extensions import db
from app.intake.models import Intake
from app.states import AppointmentStatus
from app.stats.figures import COMPLETED, Period, epoch_seconds, in_period
from app.stats.models import ImportedConsultation


@dataclass(frozen=True)
class Funnel:
    """Pre-screens, bookings and appointments of a period, and how the appointments ended."""

    intakes: int
    bookings: int
    appointments: int
    completed: int
    no_show: int
    cancelled: int

    @property
    def no_show_rate(self) -> float:
        """no_show / (completed + no_show); 0.0 when nobody was expected yet."""
        seen = self.completed + self.no_show
        return self.no_show / seen if seen else 0.0

    def as_dict(self) -> dict[str, int]:
        """The six counts by name (the API's shape)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def funnel(period: Period) -> Funnel:
    """Pre-screens and bookings made in the period; appointments dated in it, by status."""
    intakes = (select(func.count(Intake.id)).where(in_period(Intake.created_at, period))
               .scalar_subquery())
    bookings = (select(func.count(Booking.id)).where(in_period(Booking.created_at, period))
                .scalar_subquery())
    status = Appointment.status
    row = db.session.execute(
        select(intakes, bookings, func.count(Appointment.id),
               *[func.coalesce(func.sum(case((status == s, 1), else_=0)), 0)
                 for s in (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW,
                           AppointmentStatus.CANCELLED)])
        .select_from(Appointment).where(in_period(Appointment.starts_at, period))).one()
    return Funnel(*(int(value or 0) for value in row))


# (days below which, name) of the lead time's buckets; the last has no upper limit.
LEAD_BUCKETS = ((1, _l("Same day")), (4, _l("1–3 days")), (8, _l("4–7 days")),
                (15, _l("8–14 days")), (None, _l("15 days or more")))


@dataclass(frozen=True)
class LeadTime:
    """Days from booking to visit of the period's kept appointments: mean and histogram."""

    count: int
    mean_days: float
    buckets: list[tuple[int | None, str, int]]  # (days below which, name, appointments)


def lead_time(period: Period) -> LeadTime:
    """How far ahead the period's (not cancelled) appointments were booked: from the moment
    each appointment was made (a rescheduled one: when it was moved) to its start."""
    days = (epoch_seconds(Appointment.starts_at)
            - epoch_seconds(Appointment.created_at)) / 86400.0
    limits = [limit for limit, _name in LEAD_BUCKETS if limit is not None]
    kept = (select(days.label("days")).select_from(Appointment)
            .where(Appointment.status != AppointmentStatus.CANCELLED,
                   in_period(Appointment.starts_at, period))
            .subquery())
    total, mean, *below = db.session.execute(select(
        func.count(), func.avg(kept.c.days),
        *[func.coalesce(func.sum(case((kept.c.days < limit, 1), else_=0)), 0)
          for limit in limits])).one()
    edges = [0, *(int(count) for count in below), int(total)]  # how many under each limit
    return LeadTime(int(total), round(float(mean or 0.0), 1), [
        (limit, str(name), edges[i + 1] - edges[i])
        for i, (limit, name) in enumerate(LEAD_BUCKETS)])


SPLIT_COLUMNS = {"stage": Intake.stage, "industry": Intake.industry, "region": Intake.region}
IMPORTED_GROUP = "__imported__"


@dataclass(frozen=True)
class SplitRow:
    """One group of a split: its value (None: not given), pre-screens, consultations."""

    value: str | None
    intakes: int
    consultations: int


def splits(period: Period) -> dict[str, list[SplitRow]]:
    """Pre-screens and consultations of the period by stage, industry and region, biggest
    first. One GROUP BY over the three columns feeds all three splits.

    Imported consultations carry no company profile: they form their own group.
    """
    columns = list(SPLIT_COLUMNS.values())
    made = db.session.execute(
        select(*columns, func.count(Intake.id)).where(in_period(Intake.created_at, period))
        .group_by(*columns)).all()
    seen = db.session.execute(
        select(*columns, func.count(Appointment.id))
        .join(Intake, Intake.id == Appointment.intake_id)
        .where(COMPLETED, in_period(Appointment.starts_at, period)).group_by(*columns)).all()
    imported = db.session.scalar(select(func.count(ImportedConsultation.id)).where(
        in_period(ImportedConsultation.day, period, dated=True)))
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


