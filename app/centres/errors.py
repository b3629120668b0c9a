"""Domain errors of the network's centres; messages in the language of the request."""

from flask_babel import gettext as _

from app.errors import DomainError


class UnknownCentre(DomainError, LookupError):
    """No active centre has this code (API: 404 `not_found`; a page: 404)."""

    status, code = 404, "not_found"

    def __init__(self, centre: str):
        super().__init__(_("Unknown or inactive centre: %(code)s", code=repr(centre)))
        self.centre = centre
