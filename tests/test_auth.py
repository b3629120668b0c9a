"""Staff sign-in: session versions, the profile's tokens and password (lockout: test_lockout)."""

import re

from sqlalchemy import select

from app.auth.models import ApiToken, AuditEntry
from app.extensions import db
from tests.conftest import STAFF_PASSWORD


def csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_sign_in_and_land_on_the_workspace(client, auth, staff):
    response = auth.login(staff["adviser_a"])
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/adviser/")
    assert client.get("/adviser/").status_code == 200


def test_wrong_password_is_refused_without_saying_which_part(app, client, auth, staff):
    response = auth.login(staff["adviser_a"], "wrong password!")
    assert response.status_code == 401
    assert "이메일 또는 비밀번호가 맞지 않거나" in response.get_data(as_text=True)
    unknown = auth.login("nobody@example.com", "whatever123")
    assert unknown.status_code == 401
    assert client.get("/adviser/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "login_failed")) is not None


def test_an_old_cookie_dies_at_logout(app, staff, auth):
    client = app.test_client()
    signed_in = auth.on(client)
    signed_in.login(staff["adviser_a"])
    stolen = client.get_cookie("session").value
    assert signed_in.logout().status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/adviser/").status_code == 302


def test_password_change_ends_other_sessions(app, staff, auth):
    here, there = app.test_client(), app.test_client()
    auth.on(here).login(staff["adviser_a"])
    auth.on(there).login(staff["adviser_a"])
    response = here.post("/auth/profile/password", data={
        "csrf_token": csrf(here, "/auth/profile"), "current": STAFF_PASSWORD,
        "new": "a much better passphrase"})
    assert response.status_code == 303
    assert here.get("/adviser/").status_code == 200
    assert there.get("/adviser/").status_code == 302
    assert auth.on(app.test_client()).login(staff["adviser_a"], "a much better passphrase"
                 ).status_code == 303


def test_a_short_new_password_is_refused(app, client, auth, staff):
    auth.login(staff["adviser_a"])
    response = client.post("/auth/profile/password", data={
        "csrf_token": csrf(client, "/auth/profile"), "current": STAFF_PASSWORD, "new": "short"})
    assert response.status_code == 422
    assert auth.on(app.test_client()).login(staff["adviser_a"]).status_code == 303


def test_tokens_are_shown_once_stored_hashed_and_revocable(app, client, auth, staff):
    auth.login(staff["admin"])
    page = client.post("/auth/profile/tokens", data={
        "csrf_token": csrf(client, "/auth/profile"), "name": "보고 시스템"})
    token = re.search(r'id="new-token">([^<]+)<', page.get_data(as_text=True)).group(1)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/advisers", headers=headers).status_code == 200
    assert token not in client.get("/auth/profile").get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(select(ApiToken).where(ApiToken.name == "보고 시스템"))
        assert stored.token_hash != token
        token_id = stored.id
    client.post(f"/auth/profile/tokens/{token_id}/revoke",
                data={"csrf_token": csrf(client, "/auth/profile")})
    response = client.get("/api/v1/advisers", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_a_forged_or_missing_token_is_401(client):
    for headers in ({}, {"Authorization": "Bearer forged"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/agenda?date=2026-12-01", headers=headers)
        assert response.status_code == 401


def test_login_redirects_only_to_local_paths(client, staff):
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login?next=https://evil.example/", data={
        "email": staff["adviser_a"], "password": STAFF_PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/adviser/")


def test_login_post_without_csrf_is_refused(client, staff):
    response = client.post("/auth/login", data={"email": staff["admin"],
                                                "password": STAFF_PASSWORD})
    assert response.status_code == 400
    assert client.get("/adviser/").status_code == 302


def test_sign_in_attempts_are_limited_per_address(make_app, staff, auth):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    client = app.test_client()
    statuses = [auth.on(client).login(f"nobody{n}@example.com", "x" * 12).status_code
                for n in range(4)]
    assert statuses == [401, 401, 401, 429]
