"""The weekly summary's figures: last week's counts of one centre (numbers only, no firm or
person named). The summary itself goes out from app/admin/weekly.py."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select

from app.booking.models import Appointment, Booking
from app.extensions import db
from app.intake.models import Intake
from app.states import AppointmentStatus
from app.types import local_datetime, to_local
from app.zones.models import Zone


def previous_week(now: datetime) -> tuple[date, date]:
    """Monday and Sunday of the centre-local week before the one `now` falls in."""
    today = to_local(now).date()
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def weekly_counts(first: date, last: date,
                  centre_id: int | None = None) -> tuple[dict, list[dict]]:
    """Counts of pre-screens, bookings and appointments (by status) in the days, and per zone,
    of one centre (None: of every centre, as a one-centre deployment always counted)."""
    start, end = local_datetime(first, time.min), local_datetime(last + timedelta(days=1), time.min)
    own_intake = [] if centre_id is None else [Intake.centre_id == centre_id]
    own_zone = [] if centre_id is None else [Zone.centre_id == centre_id]

    def count(query, column) -> int:
        return db.session.scalar(query.where(column >= start, column < end, *own_intake)) or 0

    in_week = and_(Appointment.starts_at >= start, Appointment.starts_at < end)
    zone_ids = select(Zone.id).where(*own_zone)
    by_status = dict(db.session.execute(
        select(Appointment.status, func.count()).where(
            in_week, *([] if centre_id is None else [Appointment.zone_id.in_(zone_ids)]))
        .group_by(Appointment.status)).all())
    ends = (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED)
    counts = {"intakes": count(select(func.count()).select_from(Intake), Intake.created_at),
              "bookings": count(select(func.count()).select_from(Booking)
                                .join(Intake, Intake.id == Booking.intake_id),
                                Booking.created_at),
              "appointments": sum(n for s, n in by_status.items()
                                  if s != AppointmentStatus.CANCELLED),
              **{s: by_status.get(s, 0) for s in ends}}
    zones = [{"code": code, "name": name, "name_en": name_en, "completed": completed}
             for code, name, name_en, completed in db.session.execute(
                 select(Zone.code, Zone.name, Zone.name_en, func.count(Appointment.id))
                 .outerjoin(Appointment, and_(Appointment.zone_id == Zone.id, in_week,
                                              Appointment.status == AppointmentStatus.COMPLETED))
                 .where(*own_zone)
                 .group_by(Zone.id, Zone.code, Zone.name, Zone.name_en, Zone.sort_order)
                 .order_by(Zone.sort_order, Zone.id))]
    return counts, zones
