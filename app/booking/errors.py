"""Domain errors of booking; each message is readable by the applicant, in the language of
the request that raised it (the page's, or the API call's Accept-Language)."""


from app.errors import DomainError


class BookingError(DomainError):
    """Base of the booking errors."""


class InvalidBooking(BookingError):
    """The request itself is wrong (shape, days, overlaps, a time that is not a slot)."""

    field = "appointments"


class SlotTaken(BookingError):
    """A requested slot is no longer free; nothing was booked."""

    status, code = 409, "slot_taken"


class BookingConflict(BookingError):
    """The booking cannot change in its current state, or the intake already holds the zone."""

    status, code = 409, "conflict"


class BookingNotFound(DomainError, LookupError):
    """No booking has this token."""

    status, code = 404, "not_found"
