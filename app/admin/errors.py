"""Domain errors of the admin's management screens; each message is in the language of the
request that raised it (the page's)."""


class ManageError(ValueError):
    """A management change broke a rule; `fields` names the form fields at fault."""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
