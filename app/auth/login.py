"""Signing in and out, with lockout after repeated failures kept in the database."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.audit import record_change
from app.auth.errors import AccountError, LoginRefused
from app.auth.models import ApiToken, User
from app.auth.services import MIN_PASSWORD_LENGTH, find_user
from app.extensions import db
from app.types import to_local, utcnow

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
# Checked against when the e-mail is unknown, so both answers take as long.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")
log = logging.getLogger(__name__)


def authenticate(email: str, password: str, now: datetime | None = None) -> User:
    """The user these credentials belong to; LoginRefused otherwise (failures are counted)."""
    now = now or utcnow()
    user = find_user(email)
    refused = LoginRefused("이메일 또는 비밀번호가 맞지 않습니다. "
                           "/ The e-mail or password is not right.")
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        log.warning("sign-in refused for unknown or inactive account %r", email)
        raise refused
    if user.locked_until is not None and user.locked_until > now:
        log.warning("sign-in refused for locked account %s", user.email)
        raise LoginRefused(
            f"로그인 실패가 많아 {to_local(user.locked_until):%H:%M}까지 잠겼습니다. "
            f"/ Too many failed attempts: locked until {to_local(user.locked_until):%H:%M}.")
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
            record_change(user, "locked", "user", user.id, after={"locked_for_minutes": 15})
        record_change(user, "login_failed", "user", user.id)
        db.session.commit()
        log.warning("sign-in refused for %s (wrong password)", user.email)
        raise refused
    user.failed_logins, user.locked_until = 0, None
    record_change(user, "login", "user", user.id)
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Sign out everywhere: every cookie made before now stops working."""
    user.session_version += 1
    record_change(user, "logout", "user", user.id)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; other sessions end."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("현재 비밀번호가 맞지 않습니다. / The current password is not right.")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"새 비밀번호는 {MIN_PASSWORD_LENGTH}자 이상입니다. "
                           f"/ The new password needs {MIN_PASSWORD_LENGTH} characters or more.")
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
        raise AccountError("없는 토큰입니다. / No such token.")
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        record_change(user, "revoke_token", "api_token", token.id)
        db.session.commit()
