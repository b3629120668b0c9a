"""Domain errors of the adviser's actions on appointments."""


class VisitError(Exception):
    """Base: a readable message, in the language of the request that raised it, and optional
    field errors."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message, self.fields = message, fields


class AppointmentNotFound(VisitError):
    """No appointment has this id."""


class NotYours(VisitError):
    """An adviser acting on another adviser's appointment."""


class NotYetDue(VisitError):
    """Too early: check-in and outcome from the appointment's day, a no-show after its start."""


class WrongState(VisitError):
    """The appointment's status does not allow this (e.g. it was cancelled)."""


class InvalidOutcome(VisitError):
    """An outcome with bad figures."""
