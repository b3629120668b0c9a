"""Who may use which staff route: every route of the URL map x anonymous / adviser A /
adviser B / admin. Generated from the app, so a new route cannot be forgotten."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.auth.services import create_api_token
from app.extensions import db
from app.types import local_today
from tests.conftest import STAFF, STAFF_PASSWORD
from tests.helpers import same_page

STAFF_PAGES = ("/adviser", "/admin", "/auth/profile")
# Public API routes (API.md "Public", and GET /plans, the booking page as data: README);
# every other /api route must carry a staff guard.
PUBLIC_API = {"/api/v1/openapi.json", "/api/v1/centres", "/api/v1/zones", "/api/v1/needs",
              "/api/v1/industries", "/api/v1/intakes",
              "/api/v1/intakes/<token>", "/api/v1/slots", "/api/v1/bookings",
              "/api/v1/bookings/<token>", "/api/v1/bookings/<token>/cancel",
              "/api/v1/bookings/<token>/reschedule", "/api/v1/waitlist",
              "/api/v1/plans"}
ROLES = ("anonymous", "adviser_a", "adviser_b", "admin")


def staff_routes(app):
    """(rule, method, allowed roles) of every guarded route."""
    for rule in app.url_map.iter_rules():
        roles = getattr(app.view_functions[rule.endpoint], "staff_roles", None)
        if roles is None:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, roles


def test_every_staff_route_is_guarded(app):
    unguarded = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        is_staff = rule.rule.startswith(STAFF_PAGES) or (
            rule.rule.startswith("/api/") and rule.rule not in PUBLIC_API)
        if is_staff and not hasattr(view, "staff_roles"):
            unguarded.append(rule.rule)
    assert unguarded == []


@pytest.fixture
def matrix_app(make_app):
    return make_app(WTF_CSRF_ENABLED=False)


def _url(rule, ids: dict) -> str:
    def fill(match):
        name = match.group(1).split(":")[-1]
        return str(ids.get(name, 999999))

    return re.sub(r"<([^>]+)>", fill, rule.rule)


def test_authorization_matrix(matrix_app, intake_payload, auth):
    app = matrix_app
    with app.app_context():
        digest = generate_password_hash(STAFF_PASSWORD, method="scrypt")
        users = {role: db.session.scalar(select(User).where(User.email == email))
                 for role, email in STAFF.items()}
        for user in users.values():
            user.password_hash = digest
        db.session.commit()
        bearer = {role: {"Authorization": f"Bearer {create_api_token(user, 'matrix')}"}
                  for role, user in users.items()}
    anon = app.test_client()
    intake = anon.post("/api/v1/intakes", json=intake_payload).get_json()["intake"]["token"]
    with app.app_context():
        today = local_today()
    slot = anon.get("/api/v1/slots", query_string={
        "zone": "legal", "from": today.isoformat(),
        "to": (today + timedelta(days=14)).isoformat()}).get_json()["slots"][0]
    booking = anon.post("/api/v1/bookings", json={"intake_token": intake, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": slot["start"]}]}).get_json()
    appointment_id = booking["booking"]["appointments"][0]["id"]
    # Other ids name nothing: acting on them must still be refused or allowed by role first.
    ids = {"appointment_id": appointment_id, "number": "1248100998"}

    clients = {"anonymous": anon}
    for role in ("adviser_a", "adviser_b", "admin"):
        clients[role] = app.test_client()
        assert auth.on(clients[role]).login(STAFF[role]).status_code == 303

    cells, failures = 0, []
    start = datetime.fromisoformat(slot["start"])
    for rule, method, allowed in staff_routes(app):
        url = _url(rule, ids)
        is_api = rule.rule.startswith("/api/")
        for role in ROLES:
            client = clients["anonymous"] if is_api else clients[role]
            headers = bearer.get(role, {}) if is_api else {}
            with time_machine.travel(start + timedelta(minutes=5), tick=False):
                response = client.open(url, method=method, headers=headers,
                                       json={} if is_api and method == "POST" else None)
            cells += 1
            status = response.status_code
            role_name = "admin" if role == "admin" else "adviser"
            if role == "anonymous":
                ok = status == 401 if is_api else (
                    status == 302 and "/auth/login" in response.headers["Location"])
            elif role_name not in allowed:
                ok = status == 403
            elif role == "adviser_b" and "appointment_id" in rule.arguments:
                ok = status == 403  # adviser A's appointment
            else:
                ok = status not in (401, 403) and status < 500
            if not ok:
                failures.append((method, rule.rule, role, status))
    print(f"authorization matrix: {cells // len(ROLES)} routes x {len(ROLES)} roles = {cells}")
    assert failures == [], failures
    assert cells >= 4 * 10


# Who sees which firm (app/visits/visibility.py): each firm booked as named, and the roles
# that may open its case file and find it in the search. Adviser A is the legal zone's
# lawyer, adviser B the finance zone's KODIT officer; the rule is by zone, not institution.
FIRMS = {
    "legal-only": (("lawyer@onestop.local", "booked"),), "finance-kibo": (
        ("kibo@onestop.local", "completed"),),
    "patent-only": (("patent@onestop.local", "completed"),),
    "legal-cancelled": (("lawyer@onestop.local", "cancelled"),),
    "finance-no-show": (("kdb@onestop.local", "no_show"),),
    "prescreen-only": (),
}
SEES = {
    "legal-only": {"adviser_a", "admin"}, "finance-kibo": {"adviser_b", "admin"},
    "patent-only": {"admin"}, "legal-cancelled": {"adviser_a", "admin"},
    "finance-no-show": {"adviser_b", "admin"}, "prescreen-only": {"admin"},
}


def test_firm_visibility_matrix(matrix_app, auth):
    from tests.firm_helpers import business_number, make_firm

    app = matrix_app
    numbers = {}
    with app.app_context():
        digest = generate_password_hash(STAFF_PASSWORD, method="scrypt")
        for email in STAFF.values():
            db.session.scalar(select(User).where(User.email == email)).password_hash = digest
        db.session.commit()
        for n, (label, visits) in enumerate(FIRMS.items()):
            numbers[label] = business_number(f"22081{n:04d}")
            make_firm(f"가시성 {label}", numbers[label],
                      [(email, status, None) for email, status in visits])
        make_firm("가시성 pre-founder", None, [("lawyer@onestop.local", "booked", None)])
    clients = {"anonymous": app.test_client()}
    for role in ("adviser_a", "adviser_b", "admin"):
        clients[role] = app.test_client()
        assert auth.on(clients[role]).login(STAFF[role]).status_code == 303

    cells, failures = 0, []
    for role, client in clients.items():
        unknown = client.get("/adviser/company/1248100998")  # a number nobody used
        found = client.get("/adviser/companies", query_string={"q": "가시성"})
        listed = found.get_data(as_text=True)
        for label, number in numbers.items():
            page = client.get(f"/adviser/company/{number}")
            cells += 2
            if role == "anonymous":
                ok = page.status_code == found.status_code == 302
            elif role in SEES[label]:
                ok = (page.status_code == 200 and f"가시성 {label}" in page.get_data(as_text=True)
                      and f"/adviser/company/{number}" in listed)
            else:  # exactly as a number that does not exist: 404, never 403
                ok = (page.status_code == 404 and same_page(page, unknown)
                      and f"가시성 {label}" not in listed)
            if not ok:
                failures.append((role, label, page.status_code))
        if role != "anonymous" and ("가시성 pre-founder" in listed) != (role != "adviser_b"):
            failures.append((role, "pre-founder", found.status_code))
    print(f"firm visibility: {len(numbers)} firms x {len(clients)} roles = {cells} cells")
    assert failures == [], failures
