"""The reminder's "still coming?" link: confirm the visit or cancel it, by that link alone.

The booking's own token is never stored in plain, so a reminder carries a token of its own:
a fresh random one per reminder, kept as its SHA-256 on the booking.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.booking.errors import BookingConflict, BookingNotFound
from app.booking.models import Appointment, Booking
from app.booking.services import cancel_visit
from app.extensions import db
from app.states import BookingStatus
from app.tokens import hash_token
from app.transactions import write_transaction
from app.types import utcnow


def booking_for_reminder(token: str) -> Booking:
    """The booking behind a reminder link; BookingNotFound if none (or a newer one replaced it)."""
    booking = db.session.scalar(
        select(Booking).where(Booking.reminder_token_hash == hash_token(token))
        .options(selectinload(Booking.appointments).selectinload(Appointment.zone),
                 selectinload(Booking.appointments).selectinload(Appointment.adviser)))
    if booking is None:
        raise BookingNotFound(_("No booking has this link."))
    return booking


def confirm_attendance(token: str, now: datetime | None = None) -> Booking:
    """The applicant will come: stamp the answer (the first one counts)."""
    now = now or utcnow()
    with write_transaction():
        booking = booking_for_reminder(token)
        if booking.status == BookingStatus.CANCELLED:
            raise BookingConflict(_("This booking was cancelled."))
        if booking.attendance_confirmed_at is None:
            booking.attendance_confirmed_at = now
        db.session.commit()
    return booking


def cancel_from_reminder(token: str, reason: str | None = None,
                         now: datetime | None = None) -> Booking:
    """The applicant cannot come: cancel the whole visit as the private page would."""
    now = now or utcnow()
    with write_transaction():
        booking = cancel_visit(booking_for_reminder(token), reason, now)
        db.session.commit()
    return booking
