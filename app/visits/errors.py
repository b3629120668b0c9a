"""Domain errors of the adviser's actions on appointments."""

from app.errors import DomainError


class VisitError(DomainError):
    """Base: a readable message, in the language of the request that raised it, and optional
    field errors."""


class AppointmentNotFound(VisitError):
    """No appointment has this id."""

    status, code = 404, "not_found"


class OtherAdviser(VisitError):
    """An adviser id that names no adviser of the user's centre (another centre's, or
    none): 404, exactly as an id that does not exist."""

    status, code = 404, "not_found"


class NotYours(VisitError):
    """An adviser acting on another adviser's appointment."""

    status, code = 403, "forbidden"


class NotYetDue(VisitError):
    """Too early: check-in and outcome from the appointment's day, a no-show after its start."""

    status, code = 409, "conflict"


class WrongState(VisitError):
    """The appointment's status does not allow this (e.g. it was cancelled)."""

    status, code = 409, "conflict"


class InvalidOutcome(VisitError):
    """An outcome with bad figures."""
