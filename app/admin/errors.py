"""Domain errors of the admin's management screens; each message is in the language of the
request that raised it (the page's)."""

from app.errors import DomainError


class ManageError(DomainError, ValueError):
    """A management change broke a rule; `fields` names the form fields at fault."""
