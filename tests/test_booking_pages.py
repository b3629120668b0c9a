"""Booking pages through the test client: picker, booking, private page, calendar, cancel."""

import re
from datetime import timedelta

from icalendar import Calendar

from app.types import local_today
from tests.test_booking_api import make_intake, pick, shared_day


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_picker_preselects_recommended_zones(client, intake_payload):
    token = make_intake(client, intake_payload)
    page = client.get(f"/booking/new/{token}").get_data(as_text=True)
    assert re.search(r'id="zone-legal"[^>]*checked', page)
    assert re.search(r'id="zone-patent"[^>]*checked', page)
    assert not re.search(r'id="zone-finance"[^>]*checked', page)
    assert 'name="day"' in page


def test_unknown_intake_has_no_booking_page(client):
    assert client.get("/booking/new/nope").status_code == 404


def test_a_day_shows_plans_and_books_one(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    day = shared_day(client, app)["legal"][0]["start"][:10]
    url = f"/booking/new/{token}?zones=legal&zones=finance&day={day}"
    page = client.get(url).get_data(as_text=True)
    assert "추천 일정" in page and "ons-plan" in page
    plan = re.search(r'<form method="post" action="[^"]+" class="ons-card ons-plan">(.*?)</form>',
                     page, re.S).group(1)
    fields = dict(re.findall(r'name="(slot_\w+)" value="([^"]+)"', plan))
    assert set(fields) == {"slot_legal", "slot_finance"}
    data = {"csrf_token": csrf(page), "zones": ["legal", "finance"], "day": day, **fields}
    response = client.post(f"/booking/new/{token}", data=data)
    assert response.status_code == 303
    manage = client.get(response.headers["Location"])
    text = manage.get_data(as_text=True)
    assert "방문 예약 확인" in text and "준비물" in text
    assert text.count("ons-itinerary-item") == 2


def test_a_taken_slot_is_explained_on_the_page(app, client, intake_payload):
    first, second = (make_intake(client, intake_payload, email=f"{n}@example.com")
                     for n in ("a", "b"))
    legal = shared_day(client, app, ("legal",))["legal"][0]
    assert client.post("/api/v1/bookings", json={
        "intake_token": first, "appointments": [pick(legal)]}).status_code == 201
    page = client.get(f"/booking/new/{second}?zones=legal&day={legal['start'][:10]}")
    page = page.get_data(as_text=True)
    response = client.post(f"/booking/new/{second}", data={
        "csrf_token": csrf(page), "zones": "legal", "day": legal["start"][:10],
        "slot_legal": f"{legal['adviser_id']}|{legal['start']}"})
    assert response.status_code == 409
    assert "다른 분이 예약한" in response.get_data(as_text=True)


def test_booking_post_without_csrf_is_refused(client, intake_payload):
    token = make_intake(client, intake_payload)
    assert client.post(f"/booking/new/{token}", data={"zones": "legal"}).status_code == 400


def test_calendar_file_has_one_event_per_appointment(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    day = shared_day(client, app)
    legal = day["legal"][0]
    finance = next(s for s in day["finance"] if s["start"] >= legal["end"])
    booking = client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(legal), pick(finance)]}).get_json()["booking"]
    response = client.get(f"/booking/{booking['token']}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    starts = sorted(e.decoded("dtstart") for e in events)
    assert [s.isoformat() for s in starts] == [legal["start"], finance["start"]]
    assert all(str(e["uid"]).startswith("appointment-") for e in events)

    client.post(f"/api/v1/bookings/{booking['token']}/cancel")
    cancelled = Calendar.from_ical(client.get(f"/booking/{booking['token']}/calendar.ics").data)
    assert str(cancelled["method"]) == "CANCEL"
    assert {str(e["uid"]) for e in cancelled.walk("VEVENT")} == {str(e["uid"]) for e in events}
    assert all(int(e["sequence"]) == 1 for e in cancelled.walk("VEVENT"))


def test_cancel_from_the_private_page(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    legal = shared_day(client, app, ("legal",))["legal"][0]
    booking = client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(legal)]}).get_json()["booking"]
    page = client.get(f"/booking/{booking['token']}/cancel").get_data(as_text=True)
    response = client.post(f"/booking/{booking['token']}/cancel", data={
        "csrf_token": csrf(page), "reason": "사정이 생겼습니다", "confirm": "yes"})
    assert response.status_code == 303
    text = client.get(f"/booking/{booking['token']}").get_data(as_text=True)
    assert "취소된 예약" in text and "사정이 생겼습니다" in text


def test_reschedule_page_moves_the_visit(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    legal = shared_day(client, app, ("legal",))["legal"]
    booking = client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(legal[0])]}).get_json()["booking"]
    url = f"/booking/{booking['token']}/reschedule"
    page = client.get(url + f"?day={legal[1]['start'][:10]}").get_data(as_text=True)
    assert "예약 변경" in page
    response = client.post(url, data={
        "csrf_token": csrf(page), "zones": "legal", "day": legal[1]["start"][:10],
        "slot_legal": f"{legal[1]['adviser_id']}|{legal[1]['start']}"})
    assert response.status_code == 303
    moved = client.get(f"/api/v1/bookings/{booking['token']}").get_json()["booking"]
    assert moved["appointments"][0]["start"] == legal[1]["start"]


def test_no_days_in_the_past_are_offered(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    page = client.get(f"/booking/new/{token}").get_data(as_text=True)
    with app.app_context():
        today = local_today()
    offered = re.findall(r'name="day" value="(\d{4}-\d\d-\d\d)"', page)
    assert offered and min(offered) > today.isoformat()  # 24 hours' notice
    assert max(offered) <= (today + timedelta(days=27)).isoformat()
