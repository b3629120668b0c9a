"""Domain errors of the admin's management screens; each message is in the language of the
request that raised it (the page's)."""

from app.errors import DomainError


class ManageError(DomainError, ValueError):
    """A management change broke a rule; `fields` names the form fields at fault."""


class NationalRow(ManageError, PermissionError):
    """A centre's admin tried to change a national row (a need or a base routing rule),
    which the national office keeps (a page: 403)."""

    status, code = 403, "forbidden"
