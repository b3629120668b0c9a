"""Domain errors of staff accounts."""


class AccountError(ValueError):
    """A staff account could not be created or changed; the message says why."""


class LoginRefused(ValueError):
    """Sign-in refused (wrong e-mail or password, or paused here); the message never says which."""
