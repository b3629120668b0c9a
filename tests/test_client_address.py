"""PROXY_HOPS: behind trusted proxies the limits key on X-Forwarded-For; else it is ignored."""

import pytest
from sqlalchemy import select

from app.auth.models import AuditEntry
from app.extensions import db
from tests.conftest import STAFF
from tests.test_auth import csrf

PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the proxy's address


def limited_app(make_app, hops: int):
    return make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute", PROXY_HOPS=hops)


def sign_in(app, forwarded_for: str, email: str = "nobody@example.com") -> int:
    client = app.test_client()
    headers = {"X-Forwarded-For": forwarded_for}
    token = csrf(client, "/auth/login")
    return client.post("/auth/login", data={"csrf_token": token, "email": email,
                                            "password": "not the password"},
                       headers=headers, environ_base=PROXY).status_code


def test_one_trusted_proxy_gives_each_client_its_own_bucket(make_app):
    app = limited_app(make_app, hops=1)
    assert [sign_in(app, "203.0.113.1", STAFF["admin"]) for _ in range(4)] == [401] * 3 + [429]
    assert sign_in(app, "203.0.113.2") == 401  # another client behind the same proxy
    # A client cannot pick its bucket: the proxy appends the address it saw, and that counts.
    assert sign_in(app, "203.0.113.9, 203.0.113.1") == 429
    with app.app_context():
        addresses = set(db.session.scalars(select(AuditEntry.address).where(
            AuditEntry.action == "login_failed")))
        db.session.remove()
        db.engine.dispose()
    assert addresses == {"203.0.113.1"}


def test_without_proxy_hops_x_forwarded_for_is_ignored(make_app):
    app = limited_app(make_app, hops=0)
    assert [sign_in(app, f"203.0.113.{n}") for n in range(1, 5)] == [401] * 3 + [429]


def test_a_negative_proxy_hops_is_refused_at_start(make_app):
    with pytest.raises(RuntimeError, match="PROXY_HOPS"):
        limited_app(make_app, hops=-1)
