"""The one base of the domains' errors (infrastructure, like app/transactions.py: no domain)."""


class DomainError(Exception):
    """A rule a service refused, with a message a person can read.

    `message` is in the language of the request that raised it; `fields` names the form or
    body fields at fault, each with its messages (empty when none); a message that names no
    field of its own is about `field`, if the family has one. `status` and `code` are how an
    answer that no form shows puts it (API.md's codes): the API answers every domain error
    with one handler (app/api/views.py), the pages with another (app/main/errors.py).
    """

    status = 422
    code = "invalid"
    field: str | None = None

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message, self.fields = message, fields or {}

    @property
    def reason(self) -> str:
        """What an error page or an API answer says when no form shows the error."""
        return str(self.message)
