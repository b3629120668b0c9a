"""Domain errors of the pre-screen."""

from app.errors import DomainError


class IntakeNotFound(DomainError, LookupError):
    """No pre-screen has this token (or it was erased)."""

    status, code = 404, "not_found"
