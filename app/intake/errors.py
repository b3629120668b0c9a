"""Domain errors of the pre-screen."""


class IntakeNotFound(LookupError):
    """No pre-screen has this token (or it was erased)."""
