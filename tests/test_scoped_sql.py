"""Every statement the staff pages and calls emit on a centre's rows carries a centre
condition (or reads by key a row a scoped statement found): tests/sql_scope.py says which
tables count and how a condition is recognised. Driven by an adviser and an admin of each
of two centres over the agenda, case files, search, availability, walk-ins, the visit
actions, the staff API, the outbox and the audit log, and their attempts at the other
centre's ids."""

import re
from datetime import datetime, timedelta

import time_machine
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_api_token
from app.extensions import db
from app.types import local_today
from tests.centre_helpers import NETWORK_STAFF, SECOND, book_at, make_second_centre
from tests.firm_helpers import business_number
from tests.sql_scope import centre_sql  # noqa: F401 - the fixture

SHARED = business_number("220814444")


def _pages(own: dict, other: dict, adviser_id: int | None, is_admin: bool, later: str,
           weekday: int) -> list:
    """The staff pages and form posts of one user, at the visit's time: (method, url, data)."""
    day = datetime.fromisoformat(own["slot"]["start"]).date().isoformat()
    mine, theirs = own["appointment"]["id"], other["appointment"]["id"]
    pick = f"?adviser_id={adviser_id}" if is_admin else ""
    steps = [("GET", f"/adviser/?date={day}", None),
             ("GET", f"/adviser/?date={day}&{pick[1:]}", None),
             ("GET", "/adviser/companies?q=공유기업", None),
             ("GET", f"/adviser/companies?q={SHARED[:5]}", None),
             ("GET", f"/adviser/company/{SHARED}", None),
             ("GET", f"/adviser/availability{pick}", None),
             ("POST", f"/adviser/availability/rules{pick}", {
                 "rule-weekday": str(weekday), "rule-start_time": "19:00", "rule-end_time": "20:00",
                 "rule-valid_from": later, "rule-every_n_weeks": "1"}),
             ("POST", f"/adviser/availability/exceptions{pick}", {
                 "off-day": later, "off-kind": "off"}),
             ("GET", f"/adviser/appointments/{mine}/outcome", None),
             ("POST", f"/adviser/appointments/{mine}/check-in", {}),
             ("POST", f"/adviser/appointments/{mine}/outcome", {"summary": "상담 요약"}),
             ("GET", f"/adviser/appointments/{theirs}/outcome", None),  # 404
             ("POST", f"/adviser/appointments/{theirs}/check-in", {}),  # 404
             ("GET", "/adviser/walk-in", None)]
    if is_admin:
        steps += [("GET", "/admin/outbox", None), ("GET", "/admin/outbox?status=pending", None),
                  ("GET", "/admin/audit", None)]
    return steps


def test_staff_requests_read_only_their_centres_rows(make_app, intake_payload, auth,
                                                     centre_sql):  # noqa: F811
    app = make_app(WTF_CSRF_ENABLED=False)
    network = make_second_centre(app)
    anon = app.test_client()
    booked = {
        "a": book_at(anon, {**intake_payload, "company_name": "경남 공유기업",
                            "business_number": SHARED}),
        "b": book_at(anon, {**intake_payload, "company_name": "부산 공유기업",
                            "business_number": SHARED, "email": "b@firm.example"}, SECOND)}
    with app.app_context():
        tokens = {role: {"Authorization": "Bearer " + create_api_token(
            db.session.scalar(select(User).where(User.email == NETWORK_STAFF[role])), "sql")}
            for role in ("admin", "adviser_a", "admin_b", "adviser_b2")}
    with app.app_context():
        later = (local_today() + timedelta(days=50)).isoformat()
    people = (("admin", "a", network.adviser_a, True), ("adviser_a", "a", None, False),
              ("admin_b", "b", network.adviser_b2, True), ("adviser_b2", "b", None, False))
    statuses = []
    for role, centre, adviser_id, is_admin in people:
        client = app.test_client()
        assert auth.on(client).login(NETWORK_STAFF[role]).status_code == 303
        own, other = booked[centre], booked["b" if centre == "a" else "a"]
        start = datetime.fromisoformat(own["slot"]["start"]) + timedelta(minutes=5)
        day = start.date().isoformat()
        with time_machine.travel(start, tick=False), centre_sql.watching(app, role):
            steps = _pages(own, other, adviser_id, is_admin, later, weekday=len(statuses) % 7)
            for method, url, data in steps:
                response = client.open(url, method=method, data=data)
                statuses.append((role, method, url, response.status_code))
            walk_in = client.get("/adviser/walk-in").get_data(as_text=True)
            slot = re.search(r'name="slot"[^>]*value="([^"]+)"', walk_in)
            if slot:
                response = client.post("/adviser/walk-in", data={
                    "company_name": f"{role} 워크인", "business_number": SHARED,
                    "contact_name": "방문자", "phone": "010-2222-3333",
                    "founded_on": "2020-01-01", "slot": slot.group(1), "consent": "y",
                    "confirm_number": "y", "held_number": SHARED})
                statuses.append((role, "POST", "/adviser/walk-in", response.status_code))
            api = [("GET", f"/api/v1/agenda?date={day}", None),
                   ("POST", f"/api/v1/appointments/{own['appointment']['id']}/check-in", {}),
                   ("POST", f"/api/v1/appointments/{own['appointment']['id']}/outcome",
                    {"summary": "API 요약"}),
                   ("POST", f"/api/v1/appointments/{other['appointment']['id']}/no-show", {})]
            if is_admin:
                api += [("GET", "/api/v1/advisers", None),
                        ("GET", f"/api/v1/agenda?date={day}&adviser_id={adviser_id}", None)]
            for method, url, body in api:
                response = anon.open(url, method=method, json=body, headers=tokens[role])
                statuses.append((role, method, url, response.status_code))
    n = centre_sql.check()
    print(f"centre_scoped_queries_checked={n} (scoped {centre_sql.scoped}, by key "
          f"{centre_sql.by_key}; other tables {centre_sql.other})")
    assert centre_sql.scoped >= 150 and n >= 300
    assert not [s for s in statuses if s[3] >= 500], statuses
    assert not [s for s in statuses if s[3] == 422], statuses  # every form was taken
    assert {s[3] for s in statuses if "/" + str(booked["b" if s[0] in ("admin", "adviser_a")
            else "a"]["appointment"]["id"]) + "/" in s[2]} == {404}
