"""Booking through the API: one visit across zones, all or nothing, cancel and reschedule."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.booking.models import Appointment, Booking
from app.extensions import db
from app.types import local_today


def make_intake(client, intake_payload, **overrides) -> str:
    response = client.post("/api/v1/intakes", json={**intake_payload, **overrides})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["intake"]["token"]


def slots(client, zone: str, first: date, last: date, **params) -> list[dict]:
    query = {"zone": zone, "from": first.isoformat(), "to": last.isoformat(), **params}
    response = client.get("/api/v1/slots", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["slots"]


def shared_day(client, app, zones=("legal", "finance")) -> dict[str, list[dict]]:
    """Each zone's free slots on the first day all of them have some."""
    with app.app_context():
        first = local_today()
    # From the third day on, so the time of day the tests run at leaves whole days of slots.
    first += timedelta(days=3)
    found = {zone: slots(client, zone, first, first + timedelta(days=21)) for zone in zones}
    days = set.intersection(*({s["start"][:10] for s in found[z]} for z in zones))
    day = min(days)
    return {zone: [s for s in found[zone] if s["start"][:10] == day] for zone in zones}


def pick(slot: dict) -> dict:
    return {"zone": slot["zone"], "adviser_id": slot["adviser_id"], "start": slot["start"]}


def two_zone_request(client, app) -> list[dict]:
    day = shared_day(client, app)
    legal = day["legal"][0]
    finance = next(s for s in day["finance"] if s["start"] >= legal["end"])
    return [pick(legal), pick(finance)]


def live_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.status != "cancelled"))


def test_slots_are_shaped_as_the_contract_says(client, app):
    with app.app_context():
        first = local_today()
    found = slots(client, "finance", first, first + timedelta(days=13))
    assert found
    assert set(found[0]) == {"zone", "adviser_id", "adviser_name", "institution_id",
                             "institution", "start", "end"}
    assert found[0]["start"].endswith("+09:00")
    assert [s["start"] for s in found] == sorted(s["start"] for s in found)


@pytest.mark.parametrize("query", [
    {"zone": "space", "from": "2026-12-01", "to": "2026-12-02"},
    {"zone": "legal", "from": "2026-12-05", "to": "2026-12-01"},
    {"zone": "legal", "from": "2026-12-01", "to": "2027-02-01"},
    {"zone": "legal", "from": "2026-13-01", "to": "2026-12-02"},
    {"zone": "legal", "from": "yesterday", "to": "2026-12-02"},
    {"zone": "legal", "to": "2026-12-02"},
    {"zone": "legal", "from": "2026-12-01", "to": "2026-12-02", "adviser_id": "x"},
])
def test_bad_slot_queries_are_400(client, query):
    response = client.get("/api/v1/slots", query_string=query)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_sixty_two_days_are_allowed(client):
    response = client.get("/api/v1/slots", query_string={
        "zone": "legal", "from": "2026-12-01", "to": "2027-01-31"})
    assert response.status_code == 200


def test_a_two_zone_visit_is_booked_as_one(client, app, intake_payload):
    token = make_intake(client, intake_payload)
    wanted = two_zone_request(client, app)
    response = client.post("/api/v1/bookings", json={"intake_token": token,
                                                      "appointments": wanted})
    assert response.status_code == 201, response.get_json()
    booking = response.get_json()["booking"]
    assert booking["status"] == "booked"
    assert booking["date"] == wanted[0]["start"][:10]
    assert [a["zone"] for a in booking["appointments"]] == ["legal", "finance"]
    for appointment in booking["appointments"]:
        assert set(appointment) == {"id", "zone", "adviser_id", "adviser_name", "institution",
                                    "start", "end", "status"}
        assert appointment["status"] == "booked"
    again = client.get(f"/api/v1/bookings/{booking['token']}").get_json()["booking"]
    assert again == booking
    # The booked slots are gone from the free list.
    day = date.fromisoformat(booking["date"])
    legal_free = slots(client, "legal", day, day)
    assert wanted[0]["start"] not in {s["start"] for s in legal_free
                                      if s["adviser_id"] == wanted[0]["adviser_id"]}


def test_the_same_slot_cannot_be_booked_twice(client, app, intake_payload):
    wanted = two_zone_request(client, app)[:1]
    first = make_intake(client, intake_payload)
    second = make_intake(client, intake_payload, email="other@example.com")
    assert client.post("/api/v1/bookings", json={
        "intake_token": first, "appointments": wanted}).status_code == 201
    response = client.post("/api/v1/bookings", json={"intake_token": second,
                                                     "appointments": wanted})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "slot_taken"
    assert live_count(app) == 1


def test_a_taken_slot_books_nothing_of_the_visit(client, app, intake_payload):
    legal, finance = two_zone_request(client, app)
    rival = make_intake(client, intake_payload, email="rival@example.com")
    assert client.post("/api/v1/bookings", json={
        "intake_token": rival, "appointments": [finance]}).status_code == 201
    token = make_intake(client, intake_payload)
    response = client.post("/api/v1/bookings", json={"intake_token": token,
                                                     "appointments": [legal, finance]})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "slot_taken"
    assert live_count(app) == 1  # the legal slot was not kept either
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)) == 1


def test_one_open_booking_per_zone_per_intake(client, app, intake_payload):
    day = shared_day(client, app, ("legal",))["legal"]
    token = make_intake(client, intake_payload)
    assert client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(day[0])]}).status_code == 201
    response = client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(day[1])]})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"


def test_unknown_intake_token_is_404(client, app):
    wanted = two_zone_request(client, app)
    response = client.post("/api/v1/bookings", json={"intake_token": "nope",
                                                     "appointments": wanted})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_bad_booking_requests_are_422_and_book_nothing(client, app, intake_payload):
    token = make_intake(client, intake_payload)
    legal, finance = two_zone_request(client, app)
    other_day = (datetime.fromisoformat(finance["start"]) + timedelta(days=1)).isoformat()
    overlapping = {**finance, "start": legal["start"]}
    cases = [
        [],
        [legal, {**legal}],                                  # two in one zone
        [legal, {**finance, "start": other_day}],            # different days
        [legal, overlapping],                                # overlapping
        [{**legal, "zone": "space"}],                        # unknown zone
        [{**legal, "start": legal["start"][:19]}],           # no offset
        [{**legal, "start": "soon"}],
        [{**legal, "adviser_id": "4"}],
        [{**legal, "start": legal["start"].replace(":00:00", ":17:00")}],  # not a slot
        [legal, finance, {**legal, "zone": "patent"}, {**finance, "zone": "x"}],  # four
    ]
    for appointments in cases:
        response = client.post("/api/v1/bookings", json={"intake_token": token,
                                                         "appointments": appointments})
        assert response.status_code == 422, (appointments, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == "invalid" and error["fields"]
    for body in ({"appointments": [legal]}, {"intake_token": token}):
        assert client.post("/api/v1/bookings", json=body).status_code == 422
    assert client.post("/api/v1/bookings", data="[]",
                       content_type="application/json").status_code == 400
    assert live_count(app) == 0


def test_cancel_frees_the_slots_and_is_idempotent(client, app, intake_payload):
    token = make_intake(client, intake_payload)
    wanted = two_zone_request(client, app)
    booking = client.post("/api/v1/bookings", json={"intake_token": token,
                                                    "appointments": wanted}).get_json()["booking"]
    url = f"/api/v1/bookings/{booking['token']}/cancel"
    first = client.post(url, json={"reason": "일정 변경"})
    assert first.status_code == 200
    cancelled = first.get_json()["booking"]
    assert cancelled["status"] == "cancelled"
    assert {a["status"] for a in cancelled["appointments"]} == {"cancelled"}
    assert client.post(url).get_json()["booking"] == cancelled
    assert live_count(app) == 0
    other = make_intake(client, intake_payload, email="next@example.com")
    assert client.post("/api/v1/bookings", json={"intake_token": other,
                                                 "appointments": wanted}).status_code == 201


def test_cancel_after_the_visit_started_is_a_conflict(client, app, intake_payload):
    import time_machine

    token = make_intake(client, intake_payload)
    wanted = two_zone_request(client, app)
    booking = client.post("/api/v1/bookings", json={"intake_token": token,
                                                    "appointments": wanted}).get_json()["booking"]
    start = datetime.fromisoformat(wanted[0]["start"])
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        response = client.post(f"/api/v1/bookings/{booking['token']}/cancel")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert live_count(app) == 2


def test_reschedule_moves_the_visit_atomically(client, app, intake_payload):
    token = make_intake(client, intake_payload)
    day = shared_day(client, app)
    legal_slots, finance_slots = day["legal"], day["finance"]
    booking = client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(legal_slots[0])]}).get_json()["booking"]
    url = f"/api/v1/bookings/{booking['token']}/reschedule"
    new_legal = legal_slots[1]
    new_finance = next(s for s in finance_slots if s["start"] >= new_legal["end"])
    moved = client.post(url, json={"appointments": [pick(new_legal), pick(new_finance)]})
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()["booking"]
    assert [a["start"] for a in body["appointments"]] == [new_legal["start"], new_finance["start"]]
    assert live_count(app) == 2
    # The old slot is free again for someone else.
    other = make_intake(client, intake_payload, email="other@example.com")
    assert client.post("/api/v1/bookings", json={
        "intake_token": other, "appointments": [pick(legal_slots[0])]}).status_code == 201
    # A taken target leaves the booking as it was.
    refused = client.post(url, json={"appointments": [pick(legal_slots[0])]})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "slot_taken"
    after = client.get(f"/api/v1/bookings/{booking['token']}").get_json()["booking"]
    assert after["appointments"] == body["appointments"]
    assert live_count(app) == 3


def test_reschedule_to_its_own_slot_keeps_it(client, app, intake_payload):
    token = make_intake(client, intake_payload)
    legal = shared_day(client, app, ("legal",))["legal"][0]
    booking = client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(legal)]}).get_json()["booking"]
    response = client.post(f"/api/v1/bookings/{booking['token']}/reschedule",
                           json={"appointments": [pick(legal)]})
    assert response.status_code == 200, response.get_json()
    assert live_count(app) == 1


def test_a_cancelled_booking_cannot_be_rescheduled(client, app, intake_payload):
    token = make_intake(client, intake_payload)
    legal = shared_day(client, app, ("legal",))["legal"]
    booking = client.post("/api/v1/bookings", json={
        "intake_token": token, "appointments": [pick(legal[0])]}).get_json()["booking"]
    client.post(f"/api/v1/bookings/{booking['token']}/cancel")
    response = client.post(f"/api/v1/bookings/{booking['token']}/reschedule",
                           json={"appointments": [pick(legal[1])]})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"


def test_unknown_booking_token_is_404(client):
    one = {"appointments": [{"zone": "legal", "adviser_id": 1,
                             "start": "2026-12-01T10:00:00+09:00"}]}
    for response in (client.get("/api/v1/bookings/nope"),
                     client.post("/api/v1/bookings/nope/cancel"),
                     client.post("/api/v1/bookings/nope/reschedule", json=one)):
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
