"""Where a firm stands on its way (pre-screen -> booking -> booked -> visit), for the step
indicator of its pages, and its open booking as seen from the pre-screen."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.booking.models import Appointment, Booking
from app.extensions import db
from app.states import AppointmentStatus, BookingStatus

# The steps the indicator in base.html shows, numbered as it numbers them.
PRESCREEN, BOOKING, BOOKED, VISIT = 1, 2, 3, 4
_AT_THE_CENTRE = (AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED,
                  AppointmentStatus.NO_SHOW)


def visit_step(booking: Booking, today: date) -> int:
    """The current step of a booking's pages: "booked" until the visit day (centre-local)
    or a check-in, "the visit" from then; back at "booking" once cancelled."""
    if booking.status == BookingStatus.CANCELLED:
        return BOOKING
    if booking.visit_date <= today or any(a.status in _AT_THE_CENTRE
                                          for a in booking.appointments):
        return VISIT
    return BOOKED


def open_booking_of(intake_id: int) -> Booking | None:
    """The firm's booking that still stands (the latest, if ever more than one), or None."""
    return db.session.scalars(
        select(Booking).where(Booking.intake_id == intake_id,
                              Booking.status == BookingStatus.BOOKED)
        .order_by(Booking.visit_date.desc(), Booking.id.desc())
        .options(selectinload(Booking.appointments).selectinload(Appointment.zone))
    ).first()
