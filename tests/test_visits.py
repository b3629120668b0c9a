"""The adviser's actions: check-in, no-show, outcome under the rules of API.md, in time."""

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.auth.models import AuditEntry, User
from app.auth.services import create_api_token
from app.extensions import db
from app.visits.models import Outcome


@pytest.fixture
def tokens(app, staff):
    with app.app_context():
        made = {}
        for role, email in staff.items():
            user = db.session.scalar(select(User).where(User.email == email))
            made[role] = {"Authorization": f"Bearer {create_api_token(user, 'test')}"}
        return made


def post(client, path, headers, body=None):
    return client.post(path, json=body if body is not None else {}, headers=headers)


def test_nothing_before_the_day_and_no_show_only_after_the_start(client, booked, tokens):
    appointment_id, start = booked
    base = f"/api/v1/appointments/{appointment_id}"
    a = tokens["adviser_a"]
    with time_machine.travel(start - timedelta(days=1), tick=False):
        for action in ("check-in", "no-show", "outcome"):
            response = post(client, f"{base}/{action}", a, {"summary": "x"})
            assert response.status_code == 409, action
            assert response.get_json()["error"]["code"] == "conflict"
    with time_machine.travel(start - timedelta(minutes=30), tick=False):
        assert post(client, f"{base}/no-show", a).status_code == 409  # the day, before start
        assert post(client, f"{base}/check-in", a).status_code == 200
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        assert post(client, f"{base}/no-show", a).status_code == 409  # came already


def test_no_show_after_the_start(client, booked, tokens):
    appointment_id, start = booked
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        response = post(client, f"/api/v1/appointments/{appointment_id}/no-show",
                        tokens["adviser_a"])
    assert response.status_code == 200
    assert response.get_json()["appointment"]["status"] == "no_show"


def test_outcome_without_check_in_completes_the_appointment(app, client, booked, tokens):
    appointment_id, start = booked
    body = {"summary": "계약서 검토 완료", "follow_up": "2주 뒤 재방문",
            "finance_amount_krw": 0, "patent_transfers": 0, "ip_applications": 1}
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        response = post(client, f"/api/v1/appointments/{appointment_id}/outcome",
                        tokens["adviser_a"], body)
    assert response.status_code == 200, response.get_json()
    appointment = response.get_json()["appointment"]
    assert appointment["status"] == "completed"
    assert appointment["outcome"]["ip_applications"] == 1
    assert {"booking_id", "company_name", "stage", "needs", "description", "contact_name",
            "email", "phone"} <= set(appointment)
    with app.app_context():
        assert db.session.scalar(select(Outcome)).summary == "계약서 검토 완료"
        audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "outcome"))
        assert audit.after["ip_applications"] == 1 and audit.before == {"status": "booked"}


@pytest.mark.parametrize("body", [
    {"summary": "x", "finance_amount_krw": -1},
    {"summary": "x", "patent_transfers": 1.5},
    {"summary": "x", "ip_applications": "3"},
    {"summary": "x", "finance_amount_krw": True},
])
def test_bad_outcomes_are_422_and_change_nothing(app, client, booked, tokens, body):
    appointment_id, start = booked
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        response = post(client, f"/api/v1/appointments/{appointment_id}/outcome",
                        tokens["adviser_a"], body)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.scalar(select(Outcome)) is None


def test_another_advisers_appointment_is_403_and_admin_may_act(client, booked, tokens):
    appointment_id, start = booked
    with time_machine.travel(start, tick=False):
        other = post(client, f"/api/v1/appointments/{appointment_id}/check-in",
                     tokens["adviser_b"])
        assert other.status_code == 403
        assert other.get_json()["error"]["code"] == "forbidden"
        assert post(client, f"/api/v1/appointments/{appointment_id}/check-in",
                    tokens["admin"]).status_code == 200


def test_a_cancelled_appointment_takes_nothing(app, client, booked, tokens):
    appointment_id, start = booked
    from app.booking.models import Appointment

    with app.app_context():
        appointment = db.session.get(Appointment, appointment_id)
        appointment.status = "cancelled"
        db.session.commit()
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        for action in ("check-in", "no-show", "outcome"):
            response = post(client, f"/api/v1/appointments/{appointment_id}/{action}",
                            tokens["adviser_a"], {"summary": "x"})
            assert response.status_code == 409, action


def test_unknown_appointment_is_404(client, tokens):
    response = post(client, "/api/v1/appointments/999999/check-in", tokens["admin"])
    assert response.status_code == 404


def test_agenda_api_shows_each_adviser_their_own(client, booked, tokens):
    _, start = booked
    day = start.date().isoformat()
    mine = client.get(f"/api/v1/agenda?date={day}", headers=tokens["adviser_a"]).get_json()
    assert [a["zone"] for a in mine["appointments"]] == ["legal"]
    assert mine["appointments"][0]["company_name"] == "주식회사 한빛테크"
    theirs = client.get(f"/api/v1/agenda?date={day}", headers=tokens["adviser_b"]).get_json()
    assert theirs["appointments"] == []
    peek = client.get(f"/api/v1/agenda?date={day}&adviser_id=1", headers=tokens["adviser_b"])
    assert peek.status_code == 403
    everyone = client.get(f"/api/v1/agenda?date={day}", headers=tokens["admin"]).get_json()
    assert len(everyone["appointments"]) == 1
    assert client.get("/api/v1/agenda?date=soon", headers=tokens["admin"]).status_code == 400


def test_advisers_api_is_for_admins(client, tokens):
    assert client.get("/api/v1/advisers", headers=tokens["adviser_a"]).status_code == 403
    advisers = client.get("/api/v1/advisers", headers=tokens["admin"]).get_json()["advisers"]
    assert len(advisers) == 6
    assert set(advisers[0]) == {"id", "name", "email", "zone", "institution_id",
                                "institution", "active"}


def test_the_agenda_page_briefs_and_checks_in(app, client, auth, booked, staff):
    appointment_id, start = booked
    auth.login(staff["adviser_a"])
    with time_machine.travel(start - timedelta(minutes=10), tick=False):
        page = client.get(f"/adviser/?date={start.date()}").get_data(as_text=True)
        assert "주식회사 한빛테크" in page and "계약서 검토" in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post(f"/adviser/appointments/{appointment_id}/check-in",
                               data={"csrf_token": token})
        assert response.status_code == 303
        page = client.get(f"/adviser/?date={start.date()}").get_data(as_text=True)
        assert 'ons-status-checked_in">도착</span>' in page
        page = client.get(f"/adviser/?date={start.date()}&lang=en").get_data(as_text=True)
        assert 'ons-status-checked_in">Checked in</span>' in page


def test_the_case_file_gathers_a_firm(app, client, auth, booked, staff):
    auth.login(staff["adviser_a"])  # the firm booked the legal zone
    page = client.get("/adviser/company/124-81-00998")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "주식회사 한빛테크" in text and "법률존" in text
    assert client.get("/adviser/company/0000000000").status_code == 404
    found = client.get("/adviser/companies?q=한빛").get_data(as_text=True)
    assert "/adviser/company/1248100998" in found


def test_an_adviser_of_another_zone_cannot_tell_the_firm_exists(app, client, auth, booked, staff):
    auth.login(staff["adviser_b"])  # finance: the firm never booked it
    page = client.get("/adviser/company/124-81-00998")
    assert page.status_code == 404
    from tests.helpers import same_page

    assert same_page(page, client.get("/adviser/company/0000000000"))
    assert "김담당" not in page.get_data(as_text=True)
    found = client.get("/adviser/companies?q=한빛").get_data(as_text=True)
    assert "한빛테크" not in found and "찾는 기업이 없습니다" in found
