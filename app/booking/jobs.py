"""Booking's scheduled jobs (the day-before reminder, the expiry of waitlist offers) and its part
of the retention purge."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.booking.models import Appointment, Booking, WaitlistEntry
from app.booking.notifications import notify_reminder
from app.booking.waitlist import expire_offers
from app.extensions import db
from app.intake.jobs import purged_intakes, revoked_hash
from app.notify.scheduler import ScheduledJob
from app.states import AppointmentStatus, BookingStatus
from app.tokens import new_token
from app.transactions import write_transaction
from app.types import local_datetime, to_local, utcnow


def reminder_due(first_start: datetime, hour: int) -> datetime:
    """When a visit's reminder is due: the day before its first appointment, at `hour`."""
    return local_datetime(to_local(first_start).date() - timedelta(days=1), time(hour))


def send_reminders(now: datetime | None = None) -> int:
    """Write the reminder of every visit whose time has come; returns how many were written.

    Each appointment is stamped `reminded_at` in the same transaction, so a second run (or a
    second scheduler) finds nothing left to do. A visit booked after its reminder time gets
    none: its confirmation has just gone out.
    """
    now = now or utcnow()
    hour = current_app.config["REMINDER_HOUR"]
    written = 0
    with write_transaction():
        pending: dict[Booking, list[Appointment]] = defaultdict(list)
        for appointment in db.session.scalars(
                select(Appointment).join(Booking)
                .where(Appointment.status == AppointmentStatus.BOOKED,
                       Appointment.reminded_at.is_(None),
                       Appointment.starts_at > now,
                       Appointment.starts_at < now + timedelta(days=2),
                       Booking.status == BookingStatus.BOOKED)
                .order_by(Appointment.starts_at)
                .options(selectinload(Appointment.booking).selectinload(Booking.intake))):
            pending[appointment.booking].append(appointment)
        for booking, appointments in pending.items():
            due = reminder_due(appointments[0].starts_at, hour)
            if now < due:
                continue
            if booking.created_at < due:
                token, digest = new_token()
                if notify_reminder(booking, token, appointments, now):
                    booking.reminder_token_hash = digest
                    written += 1
            for appointment in appointments:
                appointment.reminded_at = now
        db.session.commit()
    return written


def expire_offers_job() -> None:
    """Close waitlist offers past their time; the next firm waiting is offered the slot."""
    with write_transaction():
        expire_offers()


def forget_purged_bookings() -> tuple[int, int]:
    """Revoke the links of the bookings and waitlist entries of erased pre-screens, and the
    bookings' cancel reasons; flushes only. Returns (bookings, waitlist entries) changed.

    One conditional UPDATE per table, so a second run changes nothing; a booking made from a
    pre-screen erased before is caught by the next run.
    """
    bookings = db.session.execute(
        update(Booking)
        .where(Booking.intake_id.in_(purged_intakes()), Booking.token_hash.not_like("purged:%"))
        .values(token_hash=revoked_hash(Booking), reminder_token_hash=None, cancel_reason=None)
        .execution_options(synchronize_session=False))
    waitlist = db.session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.intake_id.in_(purged_intakes()),
               WaitlistEntry.token_hash.is_not(None))
        .values(token_hash=None)
        .execution_options(synchronize_session=False))
    return bookings.rowcount, waitlist.rowcount


JOBS = [
    ScheduledJob("booking-reminders", send_reminders, 300),
    ScheduledJob("waitlist-expiry", expire_offers_job, 60),
]
