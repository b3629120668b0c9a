"""The weekly summary to each centre's admins: last week's counts of their own centre
(numbers only, no firm or person named), in a message that carries that centre's facts."""

from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, func, select

from app.auth.models import User
from app.booking.models import Appointment, Booking
from app.centres.models import Centre
from app.centres.services import CentreFacts, centre_values
from app.extensions import db
from app.intake.models import Intake
from app.notify.outbox import enqueue, status_counts
from app.notify.scheduler import ScheduledJob
from app.states import AppointmentStatus, Role
from app.transactions import write_transaction
from app.types import local_datetime, to_local, utcnow
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


def send_weekly_summary(now: datetime | None = None) -> int:
    """From the set weekday and hour on, each active admin gets last week's figures of their
    own centre once (one summary per centre, to that centre's admins)."""
    now = now or utcnow()
    config, local = current_app.config, to_local(now)
    if (local.weekday(), local.hour) < (config["WEEKLY_SUMMARY_WEEKDAY"],
                                        config["WEEKLY_SUMMARY_HOUR"]):
        return 0
    first, last = previous_week(now)
    written = 0
    with write_transaction():
        admins = list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active)
                                         .order_by(User.centre_id, User.id)))
        by_centre: dict[int, list[User]] = {}
        for admin in admins:
            by_centre.setdefault(admin.centre_id, []).append(admin)
        outbox = status_counts() if admins else {}
        for centre_id, members in by_centre.items():
            centre = CentreFacts.of(db.session.get(Centre, centre_id))
            counts, zones = weekly_counts(first, last, centre_id)
            context = {"week_start": first, "week_end": last, "counts": counts, "zones": zones,
                       "outbox": outbox, "centre_code": centre.code, **centre_values(centre),
                       "admin_url": f"{config['PUBLIC_BASE_URL']}/admin/"}
            for admin in members:
                if enqueue(f"weekly:{first.isoformat()}:{admin.id}", admin.email, "weekly",
                           {**context, "name": admin.name}, now=now):
                    written += 1
        db.session.commit()
    return written


JOBS = [ScheduledJob("admin-weekly-summary", send_weekly_summary, 3600)]
