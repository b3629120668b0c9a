"""Where a firm stands on its way (pre-screen -> booking -> booked -> visit), for the step
indicator of its pages."""

from datetime import date

from app.booking.models import Booking
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
