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


# The network (issue 14): a second centre (Busan: admin_b, adviser_b2, its own legal zone,
# adviser, firm and appointment) and the national role, over every staff route. The ids in
# the URLs are centre A's (the demo's): Busan's staff must find them as unknown as ids that do
# not exist (404, never 403) wherever a route reads a firm, an appointment, an adviser's rota
# or a message; the national role gets 403 on every route that is not named for it. The
# cross-centre roles go first on each route, before centre A's own staff act on its ids.
NETWORK_ROLES = ("anonymous", "national", "admin_b", "adviser_b2", "adviser_a", "adviser_b",
                 "admin")
ROLE_OF = {"adviser_a": "adviser", "adviser_b": "adviser", "admin": "admin",
           "admin_b": "admin", "adviser_b2": "adviser", "national": "national"}
OTHER_CENTRE = ("admin_b", "adviser_b2")
# Routes reading a centre's rows by the id in their URL (the agenda's actions, case files,
# the adviser's rota, the outbox): another centre's id there is 404.
CENTRE_IDS = {"appointment_id", "number", "rule_id", "exception_id", "message_id"}
CENTRE_ROUTES = ("/adviser/", "/api/v1/appointments/", "/admin/outbox/")
# The needs are national: in a network only the national office edits them, and a centre's
# admin reads them (app/admin/scoping.py's keeps_national).
NATIONAL_KEPT = ("/admin/needs/new", "/admin/needs/<int:need_id>")


def _centre_a_ids(app, booked: dict) -> dict:
    from datetime import time

    from app.notify.models import OutboxMessage
    from app.zones.models import Adviser, AvailabilityException, RotationRule

    with app.app_context():
        lawyer = db.session.scalar(select(User).where(User.email == STAFF["adviser_a"])).adviser
        extra = AvailabilityException(adviser_id=lawyer.id, day=local_today() + timedelta(
            days=40), kind="extra", start_time=time(19), end_time=time(20))
        db.session.add(extra)
        db.session.commit()
        rule = db.session.scalar(select(RotationRule.id).where(
            RotationRule.adviser_id == lawyer.id).order_by(RotationRule.id))
        message = db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.dedupe_key.like("booking:%:booked")).order_by(OutboxMessage.id))
        assert db.session.get(Adviser, lawyer.id) is not None and rule and message
        return {"appointment_id": booked["appointment"]["id"], "number": "1248100998",
                "rule_id": rule, "exception_id": extra.id, "message_id": message,
                "lawyer": lawyer.id}


def _expected(role: str, rule, allowed, is_api: bool, response) -> bool:
    status = response.status_code
    if role == "anonymous":
        return status == 401 if is_api else (
            status == 302 and "/auth/login" in response.headers["Location"])
    if ROLE_OF[role] not in allowed or (ROLE_OF[role] == "admin"
                                        and rule.rule in NATIONAL_KEPT):
        return status == 403
    if (role in OTHER_CENTRE and CENTRE_IDS & set(rule.arguments)
            and rule.rule.startswith(CENTRE_ROUTES)):
        return status == 404  # centre A's id: as unknown as one that does not exist
    if role == "adviser_b" and "appointment_id" in rule.arguments:
        return status == 403  # adviser A's appointment, at their own centre
    return status not in (401, 403) and status < 500


def test_authorization_matrix_across_centres(matrix_app, intake_payload, auth):
    from tests.centre_helpers import NETWORK_STAFF, SECOND, book_at, make_second_centre
    from tests.firm_helpers import business_number

    app = matrix_app
    network = make_second_centre(app)
    anon = app.test_client()
    booked = book_at(anon, intake_payload)
    book_at(anon, {**intake_payload, "company_name": "부산 주식회사",  # a number of its own
                   "business_number": business_number("220817777"),
                   "email": "busan@firm.example"}, SECOND)
    ids = _centre_a_ids(app, booked)
    with app.app_context():
        bearer = {role: {"Authorization": "Bearer " + create_api_token(
            db.session.scalar(select(User).where(User.email == email)), "matrix")}
            for role, email in NETWORK_STAFF.items()}
    clients = {"anonymous": anon}
    for role in NETWORK_ROLES[1:]:
        clients[role] = app.test_client()
        assert auth.on(clients[role]).login(NETWORK_STAFF[role]).status_code == 303

    start = datetime.fromisoformat(booked["slot"]["start"]) + timedelta(minutes=5)
    day = start.date().isoformat()
    # Another centre named or its adviser asked for: before the matrix acts on anything.
    asked = [("admin_b", "GET", f"/adviser/?adviser_id={ids['lawyer']}", 404),
             ("admin_b", "GET", f"/adviser/availability?adviser_id={ids['lawyer']}", 404),
             ("admin_b", "POST", f"/adviser/availability/rules/{ids['rule_id']}/delete"
              f"?adviser_id={ids['lawyer']}", 404),
             ("admin_b", "GET", f"/api/v1/agenda?date={day}&adviser_id={ids['lawyer']}", 404),
             ("adviser_b2", "GET", f"/api/v1/agenda?date={day}&adviser_id={ids['lawyer']}",
              404),
             ("admin", "GET", f"/api/v1/agenda?date={day}&adviser_id={network.adviser_b2}",
              404),
             ("admin", "GET", f"/adviser/?adviser_id={network.adviser_b2}", 404),
             ("admin_b", "GET", f"/adviser/?centre={network.code_a}", 403),
             ("adviser_b2", "GET", f"/adviser/companies?q=한빛&centre={network.code_a}", 403),
             ("admin_b", "GET", f"/api/v1/agenda?date={day}&centre={network.code_a}", 403),
             ("admin_b", "GET", f"/api/v1/advisers?centre={network.code_a}", 403),
             ("admin_b", "GET", f"/admin/outbox?centre={network.code_a}", 403),
             ("admin_b", "GET", f"/admin/audit?centre={network.code_a}", 403),
             ("admin_b", "GET", "/adviser/?centre=nowhere", 404),
             ("admin_b", "GET", f"/adviser/?centre={SECOND}", 200),
             ("admin", "GET", f"/adviser/?centre={network.code_a}", 200)]
    failures = []
    for role, method, url, expected in asked:
        is_api = url.startswith("/api/")
        client = anon if is_api else clients[role]
        with time_machine.travel(start, tick=False):
            status = client.open(url, method=method, headers=bearer[role] if is_api else {},
                                 json={} if is_api and method == "POST" else None).status_code
        if status != expected:
            failures.append((role, method, url, status))

    cells = 0
    for rule, method, allowed in staff_routes(app):
        url = _url(rule, ids)
        is_api = rule.rule.startswith("/api/")
        for role in NETWORK_ROLES:
            client = anon if is_api else clients[role]
            headers = bearer.get(role, {}) if is_api else {}
            with time_machine.travel(start, tick=False):
                response = client.open(url, method=method, headers=headers,
                                       json={} if is_api and method == "POST" else None)
            cells += 1
            if not _expected(role, rule, allowed, is_api, response):
                failures.append((method, rule.rule, role, response.status_code))
    print(f"network authorization matrix: {cells // len(NETWORK_ROLES)} routes x "
          f"{len(NETWORK_ROLES)} roles = {cells}, and {len(asked)} named cases")
    assert failures == [], failures
    assert cells >= 7 * 40
