"""Signing in and out; failures pause an e-mail at one address (app/auth/lockout.py)."""

import logging
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.audit import record_change
from app.auth.errors import AccountError, LoginRefused
from app.auth.lockout import (
    LOCKOUT_MINUTES,
    MAX_FAILURES,
    clear_failures,
    count_failure,
    email_digest,
    is_locked,
)
from app.auth.models import ApiToken, User
from app.auth.services import MIN_PASSWORD_LENGTH, find_user
from app.extensions import db
from app.types import utcnow

# Checked against when there is no password to check, so every answer takes as long.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")
# One answer for every refusal: a wrong password, an unknown or inactive e-mail, a pause.
REFUSED = _l("The e-mail or password is not right, or there were too many failed attempts: "
             "after %(failures)s, please wait %(minutes)s minutes.",
             failures=MAX_FAILURES, minutes=LOCKOUT_MINUTES)
log = logging.getLogger(__name__)


def _who(user: User | None) -> str:
    """An account as the log names it: its id, never the e-mail that was typed."""
    if user is None:
        return "no such account"
    return f"user {user.id}" if user.active else f"inactive user {user.id}"


def authenticate(email: str, password: str, address: str | None,
                 now: datetime | None = None) -> User:
    """The user these credentials belong to; LoginRefused otherwise, always saying the same.

    `address` is the client's (app.extensions.client_address): failures count per e-mail and
    address, so a pause holds only where the failures came from.
    """
    now = now or utcnow()
    user = find_user(email)
    account = user if user is not None and user.active else None
    digest = email_digest(email)
    if is_locked(digest, address, now):
        check_password_hash(account.password_hash if account else _DUMMY_HASH, password)
        log.warning("sign-in refused from %s: paused after %d failures (%s)",
                    address, MAX_FAILURES, _who(user))
        raise LoginRefused(str(REFUSED))
    if account is not None and check_password_hash(account.password_hash, password):
        clear_failures(digest, address)
        record_change(account, "login", "user", account.id)
        db.session.commit()
        return account
    if account is None:
        check_password_hash(_DUMMY_HASH, password)
    paused = count_failure(digest, address, now)
    if account is not None:
        if paused:
            record_change(account, "locked", "user", account.id,
                          after={"locked_for_minutes": LOCKOUT_MINUTES})
        record_change(account, "login_failed", "user", account.id)
    db.session.commit()
    reason = "wrong password" if account is not None else "unknown or inactive e-mail"
    log.warning("sign-in refused from %s: %s (%s)%s", address, reason, _who(user),
                f"; paused there for {LOCKOUT_MINUTES} minutes" if paused else "")
    raise LoginRefused(str(REFUSED))


def end_sessions(user: User) -> None:
    """Sign out everywhere: every cookie made before now stops working."""
    user.session_version += 1
    record_change(user, "logout", "user", user.id)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; other sessions end."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError(_("The current password is not right."))
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("The new password needs %(count)s characters or more.",
                             count=MIN_PASSWORD_LENGTH))
    user.password_hash = generate_password_hash(new, method="scrypt")
    user.session_version += 1
    record_change(user, "change_password", "user", user.id)
    db.session.commit()


def list_tokens(user: User) -> list[ApiToken]:
    """The user's API tokens, newest first (their secrets are never shown again)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def revoke_token(user: User, token_id: int, now: datetime | None = None) -> None:
    """Revoke one of the user's own API tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise AccountError(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        record_change(user, "revoke_token", "api_token", token.id)
        db.session.commit()
