"""Domain errors of zones and availability; messages in the language of the request."""

from flask_babel import gettext as _

from app.errors import DomainError


class UnknownZone(DomainError, LookupError):
    """No active zone has this code."""

    status, code = 404, "not_found"

    def __init__(self, code: str):
        super().__init__(_("Unknown or inactive zone: %(code)s", code=repr(code)))
        self.code = code
