"""The sign-in lockout: one answer for every refusal, a pause only where the failures came from."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.auth.errors import LoginRefused
from app.auth.lockout import LOCKOUT, MAX_FAILURES
from app.auth.login import REFUSED, authenticate
from app.auth.models import AuditEntry, SignInFailure, User
from app.extensions import db
from app.types import utcnow
from tests.conftest import STAFF_PASSWORD
from tests.test_auth import csrf

STRANGER, REAL_USER = "198.51.100.7", "203.0.113.5"


def sign_in(app, email: str, password: str, address: str = STRANGER):
    """A sign-in post from a new browser at `address`."""
    client = app.test_client()
    token = csrf(client, "/auth/login")
    return client.post("/auth/login", data={"csrf_token": token, "email": email,
                                            "password": password},
                       environ_base={"REMOTE_ADDR": address})


def refusal_page(response) -> str:
    """The page without what differs between any two posts (the token, the typed e-mail)."""
    assert response.status_code == 401
    return re.sub(r'value="[^"]*"', 'value=""', response.get_data(as_text=True))


def fail(app, email: str, times: int = MAX_FAILURES, address: str = STRANGER) -> None:
    for _ in range(times):
        assert sign_in(app, email, "not the password", address).status_code == 401


def test_every_refusal_is_the_same_page(app, staff):
    wrong = refusal_page(sign_in(app, staff["admin"], "not the password"))
    with app.test_request_context():  # the one message, in the page's language (Korean)
        assert str(REFUSED).startswith("이메일 또는 비밀번호가 맞지 않거나")
        assert str(REFUSED) in wrong
    unknown = refusal_page(sign_in(app, "nobody@example.com", "not the password"))
    fail(app, staff["adviser_a"])
    locked_right_password = refusal_page(sign_in(app, staff["adviser_a"], STAFF_PASSWORD))
    fail(app, "ghost@example.com")
    locked_unknown = refusal_page(sign_in(app, "ghost@example.com", "not the password"))
    assert wrong == unknown == locked_right_password == locked_unknown
    assert "잠겼습니다" not in wrong and "locked until" not in wrong


def test_an_unknown_e_mail_is_paused_exactly_like_a_real_account(ctx, staff):
    now = utcnow()
    for email in (staff["admin"], "nobody@example.com"):
        for n in range(MAX_FAILURES):
            with pytest.raises(LoginRefused):
                authenticate(email, "not the password", STRANGER, now + timedelta(seconds=n))
    pauses = db.session.scalars(select(SignInFailure.locked_until)).all()
    assert len(pauses) == 2 and pauses[0] == pauses[1]


def test_a_stranger_cannot_keep_the_real_user_out(app, staff):
    for _ in range(4):  # hammering on: after the fifth failure, every try there is refused
        fail(app, staff["adviser_a"], MAX_FAILURES + 3)
    assert sign_in(app, staff["adviser_a"], STAFF_PASSWORD).status_code == 401  # paused there
    response = sign_in(app, staff["adviser_a"], STAFF_PASSWORD, REAL_USER)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/adviser/")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == staff["adviser_a"]))
        actions = dict(db.session.execute(
            select(AuditEntry.action, func.count()).where(AuditEntry.entity_id == str(user.id))
            .group_by(AuditEntry.action)).all())
        locked = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "locked"))
    assert actions == {"login_failed": MAX_FAILURES, "locked": 1, "login": 1}
    assert locked.address == STRANGER and locked.after == {"locked_for_minutes": 15}


def test_the_pause_ends_after_fifteen_minutes(app, staff):
    fail(app, staff["adviser_a"])
    assert sign_in(app, staff["adviser_a"], STAFF_PASSWORD).status_code == 401
    with time_machine.travel(utcnow() + LOCKOUT + timedelta(seconds=1), tick=False):
        assert sign_in(app, staff["adviser_a"], STAFF_PASSWORD).status_code == 303


def test_failures_far_apart_or_before_a_good_sign_in_do_not_add_up(ctx, staff):
    now = utcnow()

    def failures(at, times=MAX_FAILURES - 1):
        for _ in range(times):
            with pytest.raises(LoginRefused):
                authenticate(staff["admin"], "not the password", STRANGER, at)

    failures(now)
    failures(now + LOCKOUT + timedelta(seconds=1))  # the first four are forgotten by then
    later = now + 2 * LOCKOUT
    assert authenticate(staff["admin"], STAFF_PASSWORD, STRANGER, later).email == staff["admin"]
    failures(later)  # a good sign-in starts the count again
    assert authenticate(staff["admin"], STAFF_PASSWORD, STRANGER, later).email == staff["admin"]
    assert db.session.scalar(select(func.count()).select_from(SignInFailure)) == 0


def test_the_table_keeps_no_typed_e_mail_and_long_addresses_fit(ctx):
    with pytest.raises(LoginRefused):
        authenticate("Typed.Person@Example.com", "not the password", "f" * 300, utcnow())
    row = db.session.scalar(select(SignInFailure))
    assert "typed" not in row.email_digest.lower() and len(row.email_digest) == 64
    assert row.address == "f" * 64


def test_refused_sign_ins_log_the_address_and_reason_but_no_e_mail(app, staff, caplog):
    caplog.set_level(logging.INFO)
    sign_in(app, "someone.private@example.com", "not the password")
    fail(app, staff["admin"])
    sign_in(app, staff["admin"], STAFF_PASSWORD)  # paused
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.email == staff["admin"]))
    logged = [record.getMessage() for record in caplog.records
              if record.name == "app.auth.login"]
    assert len(logged) == 1 + MAX_FAILURES + 1
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "someone.private" not in text and staff["admin"] not in text
    assert all(STRANGER in line for line in logged)
    assert "unknown or inactive e-mail" in logged[0]
    assert f"wrong password (user {admin_id})" in logged[1]
    assert "paused there for 15 minutes" in logged[MAX_FAILURES]
    assert f"paused after {MAX_FAILURES} failures (user {admin_id})" in logged[-1]


@pytest.mark.slow
def test_the_pause_works_the_same_on_postgres(pg_app):
    with pg_app.app_context():
        user = db.session.scalar(select(User).where(User.role == "admin"))
        user.password_hash = generate_password_hash(STAFF_PASSWORD, method="scrypt")
        db.session.commit()
        now = utcnow()
        for _ in range(MAX_FAILURES + 2):
            with pytest.raises(LoginRefused):
                authenticate(user.email, "not the password", STRANGER, now)
        with pytest.raises(LoginRefused):
            authenticate(user.email, STAFF_PASSWORD, STRANGER, now)
        assert authenticate(user.email, STAFF_PASSWORD, REAL_USER, now).id == user.id
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "locked")) == 1
        db.session.remove()
