"""The loops after booking: cancel in two steps, the step indicator, where the mail went,
calendar links, and the pre-screen result that points at the firm's booking."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from sqlalchemy import select

from app.booking.models import Appointment, Booking
from app.extensions import db
from app.notify.addresses import masked_address
from app.states import AppointmentStatus
from app.tokens import hash_token
from tests.test_booking_api import make_intake, pick, shared_day
from tests.test_booking_pages import csrf


def book_one(client, app, intake_payload, **overrides) -> tuple[str, str, dict]:
    """(intake token, booking token, the slot) of a legal visit booked through the API."""
    token = make_intake(client, intake_payload, **overrides)
    legal = shared_day(client, app, ("legal",))["legal"][0]
    booking = client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(legal)]}).get_json()["booking"]
    return token, booking["token"], legal


def status_of(app, booking_token: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Booking.status).where(
            Booking.token_hash == hash_token(booking_token)))


def current_step(page: str) -> str:
    return re.search(r'aria-current="step">.*?<span class="step-tit">([^<]+)</span>', page,
                     re.S).group(1)


def test_the_cancel_button_is_a_danger_link_apart_from_the_calendar(app, client, intake_payload):
    _intake, token, _slot = book_one(client, app, intake_payload)
    page = client.get(f"/booking/{token}").get_data(as_text=True)
    cancel = re.search(r'<a class="([^"]+)" href="/booking/[^"]+/cancel">([^<]+)</a>', page)
    assert "ons-danger" in cancel.group(1) and "방문 취소" in cancel.group(2)
    ics = re.search(r'<a class="([^"]+)" href="/booking/[^"]+/calendar.ics"', page)
    assert "ons-danger" not in ics.group(1)
    assert "<form" not in page.split('id="change-heading"')[1]  # no one-click cancel


def test_cancelling_asks_first_then_cancels(app, client, intake_payload):
    _intake, token, slot = book_one(client, app, intake_payload)
    page = client.get(f"/booking/{token}/cancel").get_data(as_text=True)
    assert "정말 취소하시겠습니까?" in page
    assert slot["adviser_name"] in page and 'name="reason"' in page
    assert re.search(r'name="confirm" value="yes"', page)
    assert re.search(r'<button type="submit" class="krds-btn medium ons-danger">', page)
    assert status_of(app, token) == "booked"  # looking at the question changes nothing

    response = client.post(f"/booking/{token}/cancel", data={
        "csrf_token": csrf(page), "reason": "일정 변경", "confirm": "yes"})
    assert response.status_code == 303 and response.location.endswith(f"/booking/{token}")
    assert status_of(app, token) == "cancelled"
    after = client.get(f"/booking/{token}").get_data(as_text=True)
    assert "취소된 예약" in after and "일정 변경" in after
    # The cancel step of a cancelled visit leads back to its page.
    assert client.get(f"/booking/{token}/cancel").status_code == 303


def test_a_post_without_the_confirmation_only_asks(app, client, intake_payload):
    _intake, token, _slot = book_one(client, app, intake_payload)
    page = client.get(f"/booking/{token}/cancel").get_data(as_text=True)
    response = client.post(f"/booking/{token}/cancel",
                           data={"csrf_token": csrf(page), "reason": "아마도"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "정말 취소하시겠습니까?" in text and ">아마도</textarea>" in text
    assert status_of(app, token) == "booked"


def test_a_too_long_reason_is_explained_and_cancels_nothing(app, client, intake_payload):
    _intake, token, _slot = book_one(client, app, intake_payload)
    page = client.get(f"/booking/{token}/cancel").get_data(as_text=True)
    response = client.post(f"/booking/{token}/cancel", data={
        "csrf_token": csrf(page), "reason": "가" * 1001, "confirm": "yes"})
    assert response.status_code == 422 and "1,000자" in response.get_data(as_text=True)
    assert status_of(app, token) == "booked"


def test_the_api_cancel_is_unchanged(app, client, intake_payload):
    _intake, token, _slot = book_one(client, app, intake_payload)
    response = client.post(f"/api/v1/bookings/{token}/cancel", json={"reason": "x"})
    assert response.status_code == 200
    assert response.get_json()["booking"]["status"] == "cancelled"


def test_the_step_is_booked_until_the_visit_day(app, client, intake_payload):
    _intake, token, slot = book_one(client, app, intake_payload)
    assert current_step(client.get(f"/booking/{token}").get_data(as_text=True)) == "예약 완료"
    visit_day = datetime.fromisoformat(slot["start"])
    # Early on the visit day (centre-local), before the first consultation: the visit.
    with time_machine.travel(visit_day.replace(hour=7, minute=0), tick=False):
        page = client.get(f"/booking/{token}").get_data(as_text=True)
        assert current_step(page) == "방문 상담"
    # The evening before: still booked.
    with time_machine.travel(visit_day.replace(hour=22) - timedelta(days=1), tick=False):
        assert current_step(client.get(f"/booking/{token}").get_data(as_text=True)) == "예약 완료"


def test_the_step_is_the_visit_once_checked_in(app, client, intake_payload):
    _intake, token, _slot = book_one(client, app, intake_payload)
    with app.app_context():
        appointment = db.session.scalar(select(Appointment).join(Booking).where(
            Booking.token_hash == hash_token(token)))
        appointment.status = AppointmentStatus.CHECKED_IN
        db.session.commit()
    assert current_step(client.get(f"/booking/{token}").get_data(as_text=True)) == "방문 상담"


def test_a_cancelled_visit_is_back_at_booking(app, client, intake_payload):
    _intake, token, _slot = book_one(client, app, intake_payload)
    client.post(f"/api/v1/bookings/{token}/cancel")
    assert current_step(client.get(f"/booking/{token}").get_data(as_text=True)) == "방문 예약"


def test_the_booking_pages_step_list_has_four_steps(client, intake_payload):
    token = make_intake(client, intake_payload)
    page = client.get(f"/intake/{token}").get_data(as_text=True)
    assert current_step(page) == "사전문진"
    assert re.findall(r'<span class="step-tit">([^<]+)</span>', page) == [
        "사전문진", "방문 예약", "예약 완료", "방문 상담"]


@pytest.mark.parametrize(("address", "shown"), [
    ("jane@example.com", "j***@example.com"), ("j@example.com", "j***@example.com"),
    ("김@예시.kr", "김***@예시.kr"), ("not-an-address", "***"), ("", "***"), (None, "***")])
def test_addresses_are_masked(address, shown):
    assert masked_address(address) == shown


def test_the_private_page_says_where_the_mail_went(app, client, intake_payload):
    _intake, token, _slot = book_one(client, app, intake_payload, email="jane@example.com")
    page = client.get(f"/booking/{token}").get_data(as_text=True)
    assert '확인 메일을 <span translate="no">j***@example.com</span> 로 보냈습니다.' in page
    assert "jane@example.com" not in page
    english = client.get(f"/booking/{token}?lang=en").get_data(as_text=True)
    assert 'e-mail to <span translate="no">j***@example.com</span>.' in english


def test_the_calendar_links_add_the_visit_at_the_centre(app, client, intake_payload):
    _intake, token, slot = book_one(client, app, intake_payload)
    page = client.get(f"/booking/{token}").get_data(as_text=True)
    google = re.search(r'href="(https://calendar.google.com/calendar/render\?[^"]+)"', page)
    assert google and '<span translate="no">Google</span> 캘린더에 추가' in page
    assert "네이버 캘린더에 추가" in page
    assert 'href="https://calendar.naver.com/"' in page
    query = parse_qs(urlsplit(google.group(1).replace("&amp;", "&")).query)
    assert query["action"] == ["TEMPLATE"]
    start = datetime.fromisoformat(slot["start"])
    end = datetime.fromisoformat(slot["end"])
    utc = "%Y%m%dT%H%M%SZ"
    assert query["dates"] == [f"{start.astimezone(UTC):{utc}}/{end.astimezone(UTC):{utc}}"]
    with app.app_context():
        centre, address = app.config["CENTER_NAME"], app.config["CENTER_ADDRESS"]
    assert query["text"] == [f"원스톱 상담 · {centre}"]
    assert query["location"] == [f"{centre} · {address}"]
    assert "법률" in query["details"][0] and slot["adviser_name"] in query["details"][0]
    english = client.get(f"/booking/{token}?lang=en").get_data(as_text=True)
    assert 'Add to <span translate="no">Google</span> Calendar' in english
    assert "One-stop%20consultation" in english


def test_the_result_of_a_booked_firm_links_to_its_booking(app, client, intake_payload):
    intake, token, _slot = book_one(client, app, intake_payload, email="jane@example.com")
    page = client.get(f"/intake/{intake}").get_data(as_text=True)
    assert f'href="/booking/for/{intake}"' in page
    assert f'href="/booking/new/{intake}"' not in page  # no second booking offered
    assert "방문이 예약되어 있습니다: 법률" in page
    english = client.get(f"/intake/{intake}?lang=en").get_data(as_text=True)
    assert "You have booked a visit on" in english and "Legal" in english
    assert "legal," not in english and ": legal" not in english  # names, not codes

    found = client.get(f"/booking/for/{intake}").get_data(as_text=True)
    assert "j***@example.com" in found and _slot["adviser_name"] in found
    assert token not in found  # the private link lives in the e-mail only


def test_the_result_offers_booking_again_once_the_visit_is_cancelled(
        app, client, intake_payload):
    intake, token, _slot = book_one(client, app, intake_payload)
    client.post(f"/api/v1/bookings/{token}/cancel")
    page = client.get(f"/intake/{intake}").get_data(as_text=True)
    assert f'href="/booking/new/{intake}"' in page
    response = client.get(f"/booking/for/{intake}")
    assert response.status_code == 303 and response.location.endswith(f"/intake/{intake}")


def test_an_unknown_prescreen_has_no_booking(client):
    assert client.get("/booking/for/nope").status_code == 404
