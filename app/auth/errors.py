"""Domain errors of staff accounts."""

from app.errors import DomainError


class AccountError(DomainError, ValueError):
    """A staff account could not be created or changed; the message says why."""


class LoginRefused(DomainError, ValueError):
    """Sign-in refused (wrong e-mail or password, or paused here); the message never says which."""

    status, code = 401, "unauthorized"
