"""The sign-in lockout: failures count per typed e-mail and client address, never per account.

Five failures in a row for one e-mail from one address (each within LOCKOUT of the one
before) pause that e-mail at that address for LOCKOUT. The real user at any other address is
not affected, so a stranger can hold up only their own attempts; the rate limit per address
(RATELIMIT_LOGIN) bounds how fast anyone tries. An unknown e-mail is counted and paused
exactly like a real account's, so nothing the answer says or does tells them apart.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import SignInFailure
from app.extensions import db

MAX_FAILURES = 5
LOCKOUT_MINUTES = 15
LOCKOUT = timedelta(minutes=LOCKOUT_MINUTES)
ADDRESS_LENGTH = 64


def email_digest(email: str) -> str:
    """The key an e-mail's failures are kept under: a digest keyed with SECRET_KEY."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    typed = email.strip().lower().encode("utf-8", "surrogatepass")
    return hmac.new(key, typed, hashlib.sha256).hexdigest()


def _address(address: str | None) -> str:
    return (address or "unknown")[:ADDRESS_LENGTH]


def _failures(digest: str, address: str):
    return select(SignInFailure).where(SignInFailure.email_digest == digest,
                                       SignInFailure.address == address)


def is_locked(digest: str, address: str | None, now: datetime) -> bool:
    """True while this e-mail is paused at this address."""
    row = db.session.scalar(_failures(digest, _address(address)))
    return row is not None and row.locked_until is not None and row.locked_until > now


def count_failure(digest: str, address: str | None, now: datetime) -> bool:
    """Count one failure (the caller commits); True when it starts a pause."""
    address = _address(address)
    # Counts whose last failure is older than LOCKOUT are over (a pause ends LOCKOUT after
    # the failure that started it, as no failure is counted while it holds).
    db.session.execute(delete(SignInFailure).where(SignInFailure.last_failed_at <= now - LOCKOUT))
    row = db.session.scalar(_failures(digest, address).with_for_update())
    if row is None:
        try:
            with db.session.begin_nested():
                row = SignInFailure(email_digest=digest, address=address, failures=0,
                                    last_failed_at=now)
                db.session.add(row)
        except IntegrityError:  # another worker counted the first failure at the same moment
            row = db.session.scalar(_failures(digest, address).with_for_update())
    row.failures += 1
    row.last_failed_at = now
    if row.failures < MAX_FAILURES:
        return False
    row.failures, row.locked_until = 0, now + LOCKOUT
    return True


def clear_failures(digest: str, address: str | None) -> None:
    """A good sign-in forgets this address's failures for the e-mail (the caller commits)."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.email_digest == digest,
                                                   SignInFailure.address == _address(address)))
