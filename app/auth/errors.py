"""Domain errors of staff accounts."""


class AccountError(ValueError):
    """A staff account could not be created or changed; the message says why."""
