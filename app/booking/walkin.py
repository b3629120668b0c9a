"""Walk-ins: a firm that arrives without a booking, registered by staff into a slot today."""

from datetime import datetime, timedelta

from flask_babel import gettext as _

from app.booking.errors import InvalidBooking
from app.booking.models import Appointment, Booking
from app.booking.services import flush_or_explain
from app.extensions import db
from app.intake.services import add_intake
from app.states import AppointmentStatus
from app.tokens import new_token
from app.transactions import write_transaction
from app.types import to_local, utcnow
from app.zones.availability import free_slots, is_free


def walk_in_slots(zone_code: str, now: datetime | None = None):
    """Today's slots of a zone that have not ended yet, minimum notice waived."""
    now = now or utcnow()
    today = to_local(now).date()
    horizon_now = now - timedelta(days=2)  # far enough back that notice does not apply
    return [s for s in free_slots(zone_code, today, today, now=horizon_now) if s.end > now]


def register_walk_in(staff_id: int, values: dict, zone_code: str, adviser_id: int,
                     start: datetime, now: datetime | None = None) -> Booking:
    """Pre-screen, booking and check-in of a walk-in in one transaction."""
    now = now or utcnow()
    with write_transaction():
        slot = is_free(zone_code, adviser_id, start, now=now - timedelta(days=2))
        if slot is None or slot.end <= now or to_local(start).date() != to_local(now).date():
            message = _("Not a free slot today.")
            raise InvalidBooking(message, {"slot": [message]})
        intake, _token = add_intake(values, now, source="walk_in")
        booking = Booking(token_hash=new_token()[1], intake_id=intake.id, created_at=now,
                          visit_date=to_local(start).date(), created_by_id=staff_id)
        db.session.add(booking)
        booking.appointments.append(Appointment(
            intake_id=intake.id, zone_id=slot.zone_id, adviser_id=slot.adviser_id,
            institution_id=slot.institution_id, starts_at=slot.start, ends_at=slot.end,
            status=AppointmentStatus.CHECKED_IN, checked_in_at=now))
        flush_or_explain()
        db.session.commit()
    return booking
