"""Domain errors of booking; each message is readable by the applicant, in the language of
the request that raised it (the page's, or the API call's Accept-Language)."""


class BookingError(Exception):
    """Base of the booking errors."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields


class InvalidBooking(BookingError):
    """The request itself is wrong (shape, days, overlaps, a time that is not a slot)."""


class SlotTaken(BookingError):
    """A requested slot is no longer free; nothing was booked."""


class BookingConflict(BookingError):
    """The booking cannot change in its current state, or the intake already holds the zone."""


class BookingNotFound(LookupError):
    """No booking has this token."""
