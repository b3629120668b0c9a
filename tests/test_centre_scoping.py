"""Issue 14, every query knows its centre (the staff side): a centre's admin and adviser see
their own centre's appointments, firms, advisers, messages and audit entries, and nothing of
another centre's, even under a business number both centres know; the national role sees no
firm. Centre A is the demo's (Gyeongnam), centre B is Busan (tests/centre_helpers.py)."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.auth.audit import record_change
from app.auth.models import AuditEntry, User
from app.auth.services import create_api_token
from app.booking.models import Appointment
from app.extensions import db
from app.intake.models import Intake
from app.notify.models import OutboxMessage
from app.notify.outbox import enqueue
from app.types import to_local
from app.visits.visibility import visible_intakes
from tests.centre_helpers import NETWORK_STAFF, SECOND, book_at, make_second_centre
from tests.firm_helpers import business_number

SHARED = business_number("220816666")  # a firm known at both centres under one number
FIRM_A, FIRM_B = "경남 공유기업", "부산 공유기업"


@pytest.fixture
def world(make_app, intake_payload, auth):
    """Both centres with a firm each under the same business number, booked with each
    centre's lawyer; a client signed in as every staff role; each role's API token."""
    app = make_app(WTF_CSRF_ENABLED=False)
    network = make_second_centre(app)
    anon = app.test_client()
    a = book_at(anon, {**intake_payload, "company_name": FIRM_A, "business_number": SHARED,
                       "email": "a@firm.example"})
    b = book_at(anon, {**intake_payload, "company_name": FIRM_B, "business_number": SHARED,
                       "email": "b@firm.example"}, SECOND)
    clients = {}
    for role in ("admin", "adviser_a", "admin_b", "adviser_b2", "national"):
        clients[role] = app.test_client()
        assert auth.on(clients[role]).login(NETWORK_STAFF[role]).status_code == 303
    with app.app_context():
        tokens = {role: {"Authorization": "Bearer " + create_api_token(
            db.session.scalar(select(User).where(User.email == email)), "scope")}
            for role, email in NETWORK_STAFF.items()}
    return {"app": app, "network": network, "a": a, "b": b, "clients": clients,
            "tokens": tokens, "anon": anon}


def _day(booked: dict) -> str:
    return datetime.fromisoformat(booked["slot"]["start"]).date().isoformat()


def test_the_agenda_page_and_call_show_only_the_users_centre(world):
    clients, api, tokens = world["clients"], world["anon"], world["tokens"]
    for role, mine, theirs in (("admin", "a", "b"), ("admin_b", "b", "a"),
                               ("adviser_b2", "b", "a")):
        own_day, other_day = _day(world[mine]), _day(world[theirs])
        own = clients[role].get(f"/adviser/?date={own_day}").get_data(as_text=True)
        other = clients[role].get(f"/adviser/?date={other_day}").get_data(as_text=True)
        firm, other_firm = (FIRM_A, FIRM_B) if mine == "a" else (FIRM_B, FIRM_A)
        assert firm in own and other_firm not in own + other, role
        ids = set()
        for day in {own_day, other_day}:
            body = api.get(f"/api/v1/agenda?date={day}", headers=tokens[role]).get_json()
            ids |= {item["id"] for item in body["appointments"]}
        assert world[mine]["appointment"]["id"] in ids, role
        assert world[theirs]["appointment"]["id"] not in ids, role


def test_advisers_and_the_picker_are_the_centres_own(world):
    api, tokens, network = world["anon"], world["tokens"], world["network"]
    busan = api.get("/api/v1/advisers", headers=tokens["admin_b"]).get_json()["advisers"]
    assert [a["id"] for a in busan] == [network.adviser_b2]
    home = api.get("/api/v1/advisers", headers=tokens["admin"]).get_json()["advisers"]
    assert network.adviser_b2 not in {a["id"] for a in home} and len(home) >= 5
    page = world["clients"]["admin_b"].get("/adviser/availability").get_data(as_text=True)
    assert f'value="{network.adviser_b2}"' in page
    assert f'value="{network.adviser_a}"' not in page


def test_a_firm_known_at_both_centres_shows_each_centre_only_its_own(world):
    clients = world["clients"]
    for role, shown, hidden in (("admin", FIRM_A, FIRM_B), ("adviser_a", FIRM_A, FIRM_B),
                                ("admin_b", FIRM_B, FIRM_A), ("adviser_b2", FIRM_B, FIRM_A)):
        case = clients[role].get(f"/adviser/company/{SHARED}")
        text = case.get_data(as_text=True)
        assert case.status_code == 200 and shown in text and hidden not in text, role
        found = clients[role].get("/adviser/companies", query_string={"q": SHARED[:6]})
        assert shown in found.get_data(as_text=True), role
        assert hidden not in found.get_data(as_text=True), role
    with world["app"].app_context():
        national = db.session.scalar(select(User).where(
            User.email == NETWORK_STAFF["national"]))
        assert db.session.scalars(select(Intake).where(visible_intakes(national))).all() == []
        admin_b = db.session.scalar(select(User).where(User.email == NETWORK_STAFF["admin_b"]))
        assert {i.centre_id for i in db.session.scalars(
            select(Intake).where(visible_intakes(admin_b)))} == {world["network"].centre_b}
        # a centre that is not the user's own, passed down by mistake, shows nothing
        assert db.session.scalars(select(Intake).where(
            visible_intakes(admin_b, world["network"].centre_a))).all() == []


def test_another_centres_appointment_is_404_and_stays_as_it_was(world):
    a_id = world["a"]["appointment"]["id"]
    start = datetime.fromisoformat(world["a"]["slot"]["start"]) + timedelta(minutes=5)
    with time_machine.travel(start, tick=False):
        for role in ("admin_b", "adviser_b2"):
            for action in ("check-in", "no-show", "outcome"):
                api = world["anon"].post(f"/api/v1/appointments/{a_id}/{action}", json={},
                                         headers=world["tokens"][role])
                assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
                page = world["clients"][role].post(f"/adviser/appointments/{a_id}/{action}")
                assert page.status_code == 404, (role, action)
            assert world["clients"][role].get(
                f"/adviser/appointments/{a_id}/outcome").status_code == 404
        # the centre's own admin may
        done = world["anon"].post(f"/api/v1/appointments/{a_id}/check-in",
                                  headers=world["tokens"]["admin"])
        assert done.status_code == 200
    with world["app"].app_context():
        assert db.session.get(Appointment, a_id).status == "checked_in"
        assert db.session.scalar(select(AuditEntry).where(
            AuditEntry.entity == "appointment", AuditEntry.action != "check_in")) is None


def test_the_outbox_shows_the_admins_centre_and_a_national_digest_to_nobody(world):
    app = world["app"]
    with app.app_context():
        national = db.session.scalar(select(User).where(User.email == NETWORK_STAFF["national"]))
        admin_b = db.session.scalar(select(User).where(User.email == NETWORK_STAFF["admin_b"]))
        lawyer_b = db.session.scalar(select(User).where(
            User.email == NETWORK_STAFF["adviser_b2"]))
        weekly = {"name": "x", "week_start": to_local(datetime.now()).date(),
                  "week_end": to_local(datetime.now()).date(), "counts": {}, "zones": [],
                  "outbox": {}, "admin_url": "http://x/"}
        enqueue(f"weekly:2026-11-30:{national.id}", "national@digest.example", "weekly", weekly)
        enqueue(f"weekly:2026-11-30:{admin_b.id}", "admin-b@digest.example", "weekly", weekly)
        enqueue(f"agenda:{lawyer_b.adviser.id}:2026-12-01", "agenda-b@digest.example", "weekly",
                weekly)
        enqueue("test:legacy", "legacy@digest.example", "weekly", weekly)
        db.session.commit()
        a_message = db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.recipient == "a@firm.example"))
        b_message = db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.recipient == "b@firm.example"))
        for message_id in (a_message, b_message):
            db.session.get(OutboxMessage, message_id).status = "dead"
        db.session.commit()
    home = world["clients"]["admin"].get("/admin/outbox").get_data(as_text=True)
    busan = world["clients"]["admin_b"].get("/admin/outbox").get_data(as_text=True)
    # Busan's booking, its admin's digest and its adviser's agenda are Busan's; a key of no
    # known kind is the default centre's; the national office's digest is nobody's.
    for text in ("a@firm.example", "legacy@digest.example"):
        assert text in home and text not in busan
    for text in ("b@firm.example", "admin-b@digest.example", "agenda-b@digest.example"):
        assert text in busan and text not in home
    assert "national@digest.example" not in home + busan
    # resending another centre's message: 404, and it stays dead
    refused = world["clients"]["admin_b"].post(f"/admin/outbox/{a_message}/resend")
    assert refused.status_code == 404
    assert world["clients"]["admin_b"].post(
        f"/admin/outbox/{b_message}/resend").status_code == 303
    with app.app_context():
        assert db.session.get(OutboxMessage, a_message).status == "dead"
        assert db.session.get(OutboxMessage, b_message).status == "pending"


def test_the_audit_log_shows_the_centres_staff_and_its_jobs_not_the_national_office(world):
    app = world["app"]
    with app.app_context():
        users = {role: db.session.scalar(select(User).where(User.email == email))
                 for role, email in NETWORK_STAFF.items()}
        record_change(users["national"], "update", "centre", 1, after={"note": "NATIONAL-ACT"})
        record_change(users["admin_b"], "update", "zone", 4, after={"note": "BUSAN-ACT"})
        record_change(users["admin"], "update", "zone", 1, after={"note": "HOME-ACT"})
        record_change(None, "no_show_auto", "appointment", world["b"]["appointment"]["id"],
                      after={"note": "BUSAN-JOB"})
        record_change(None, "no_show_auto", "appointment", world["a"]["appointment"]["id"],
                      after={"note": "HOME-JOB"})
        db.session.commit()
    home = world["clients"]["admin"].get("/admin/audit").get_data(as_text=True)
    busan = world["clients"]["admin_b"].get("/admin/audit").get_data(as_text=True)
    assert "HOME-ACT" in home and "HOME-JOB" in home
    assert "BUSAN-ACT" in busan and "BUSAN-JOB" in busan
    for text in ("BUSAN-ACT", "BUSAN-JOB", "NATIONAL-ACT"):
        assert text not in home
    for text in ("HOME-ACT", "HOME-JOB", "NATIONAL-ACT"):
        assert text not in busan
    # the actor filter offers the centre's own staff only
    assert NETWORK_STAFF["admin_b"] in busan and NETWORK_STAFF["admin"] not in busan
    assert NETWORK_STAFF["national"] not in busan + home


def test_a_walk_in_is_registered_at_the_staff_members_centre(world):
    """Busan's lawyer registers a walk-in under the number of a Gyeongnam firm of another
    name: Busan has no firm under it, so no warning names or hints at the other centre's."""
    app, client = world["app"], world["clients"]["adviser_b2"]
    start = datetime.fromisoformat(world["b"]["slot"]["start"])
    other_number = business_number("220815151")
    with app.app_context():
        from tests.firm_helpers import make_firm
        make_firm("경남 다른기업", other_number)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        page = client.get("/adviser/walk-in")
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and "부산 변호사" in text and "김정의" not in text
        chosen = re.search(r'name="slot"[^>]*value="([^"]+)"', text).group(1)
        assert chosen.startswith(f"{world['network'].adviser_b2}|")
        response = client.post("/adviser/walk-in", data={
            "company_name": "부산 워크인", "business_number": other_number,
            "contact_name": "방문자", "phone": "010-2222-3333", "description": "계약 상담",
            "founded_on": "2020-01-01", "slot": chosen, "consent": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        intake = db.session.scalar(select(Intake).where(Intake.company_name == "부산 워크인"))
        assert intake.centre_id == world["network"].centre_b and intake.source == "walk_in"
        appointment = db.session.scalar(select(Appointment).where(
            Appointment.intake_id == intake.id))
        assert appointment.zone_id == world["network"].zone_b
