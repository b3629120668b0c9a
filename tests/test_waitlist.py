"""The waitlist: a full day's queue; a freed slot is offered to the first, then the next."""

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.booking.errors import InvalidBooking, SlotTaken
from app.booking.models import WaitlistEntry
from app.booking.services import Request, accept_offer, book_visit, cancel_booking
from app.booking.waitlist import OfferNotFound, expire_offers, get_offer, join_waitlist
from app.extensions import db
from app.intake.services import submit_intake
from app.types import center_tz, local_today, utcnow
from app.zones.availability import free_slots


def new_intake(n: int) -> str:
    _, token = submit_intake({
        "company_name": f"대기기업 {n}", "business_number": None, "representative_name": None,
        "contact_name": "담당", "email": f"wait{n}@example.com", "phone": "010-1111-2222",
        "founded_on": None, "industry": None, "employees": None, "region": None,
        "need_codes": ["contract_review"], "description": "", "consent_marketing": False})
    return token


def fill_day(zone: str, day: date) -> list[tuple[str, str]]:
    """Book every free slot of a zone's day; returns (booking token, intake token) pairs."""
    booked = []
    for n, slot in enumerate(free_slots(zone, day, day)):
        intake = new_intake(100 + n)
        booking, token = book_visit(intake, [Request(zone, slot.adviser_id, slot.start)])
        booked.append((token, intake))
    return booked


@pytest.fixture
def full_day(ctx):
    day = next(d for d in (local_today() + timedelta(days=k) for k in range(2, 14))
               if free_slots("legal", d, d))
    return day, fill_day("legal", day)


def test_joining_needs_a_full_day(ctx):
    day = next(d for d in (local_today() + timedelta(days=k) for k in range(2, 14))
               if free_slots("legal", d, d))
    with pytest.raises(InvalidBooking):
        join_waitlist(new_intake(1), "legal", day)


def test_a_freed_slot_goes_to_the_first_waiting_then_the_next(full_day):
    day, booked = full_day
    first, second = new_intake(1), new_intake(2)
    join_waitlist(first, "legal", day)
    join_waitlist(second, "legal", day)
    assert join_waitlist(first, "legal", day).status == "waiting"  # joining twice: one entry
    assert db.session.scalar(select(db.func.count()).select_from(WaitlistEntry)) == 2

    cancel_booking(booked[0][0])
    entries = db.session.scalars(select(WaitlistEntry).order_by(WaitlistEntry.id)).all()
    assert [e.status for e in entries] == ["offered", "waiting"]
    offered = entries[0]
    assert offered.offer_expires_at > utcnow()
    # The offered slot is held: nobody else sees it as free while the offer stands.
    assert free_slots("legal", day, day) == []

    with time_machine.travel(offered.offer_expires_at + timedelta(seconds=1), tick=False):
        offers = expire_offers()
    assert [e.status for e in db.session.scalars(
        select(WaitlistEntry).order_by(WaitlistEntry.id))] == ["expired", "offered"]
    assert len(offers) == 1
    entry, token = offers[0]
    later = offered.offer_expires_at + timedelta(seconds=2)
    with time_machine.travel(later, tick=False):
        assert get_offer(token).id == entry.id
        # Someone else cannot take the held slot: it is taken, as the API's 409 says ...
        held = Request("legal", entry.offered_adviser_id, entry.offered_start)
        with pytest.raises(SlotTaken, match="대기 중인 다른 기업에"):
            book_visit(new_intake(3), [held])
        # ... but the firm it is offered to can.
        booking, _ = accept_offer(token)
        assert booking.appointments[0].starts_at == entry.offered_start
        assert entry.status == "accepted"
        with pytest.raises(OfferNotFound):
            accept_offer(token)
    with pytest.raises(OfferNotFound):
        get_offer("not-a-token")


def test_the_expired_offer_is_not_accepted(full_day):
    day, booked = full_day
    first = new_intake(1)
    join_waitlist(first, "legal", day)
    cancel_booking(booked[0][0])
    entry = db.session.scalar(select(WaitlistEntry))
    with time_machine.travel(entry.offer_expires_at + timedelta(seconds=1), tick=False):
        expire_offers()
    assert entry.status == "expired"
    # With nobody else waiting, the slot is free for anyone again.
    assert free_slots("legal", day, day)


def test_the_api_answers_slot_taken_for_a_slot_held_by_an_offer(app, full_day):
    """Even when every other visit of that day has gone, the held slot is not free: 409."""
    day, booked = full_day
    join_waitlist(new_intake(1), "legal", day)
    for booking_token, _ in booked:  # the first cancellation makes the offer
        cancel_booking(booking_token)
    entry = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.status == "offered"))
    start = entry.offered_start.astimezone(center_tz())
    body = {"intake_token": new_intake(2),
            "appointments": [{"zone": "legal", "adviser_id": entry.offered_adviser_id,
                              "start": start.isoformat()}]}
    response = app.test_client().post("/api/v1/bookings", json=body)
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "slot_taken" and "대기 중인 다른 기업에" in error["message"]
    english = app.test_client().post("/api/v1/bookings", json=body,
                                     headers={"Accept-Language": "en"}).get_json()["error"]
    assert english["code"] == "slot_taken" and "waitlist" in english["message"]


def test_the_api_answers_each_firms_place_in_the_queue(full_day, client):
    day, _ = full_day
    places = []
    for n in (1, 2):
        response = client.post("/api/v1/waitlist", json={
            "intake_token": new_intake(n), "zone": "legal", "date": day.isoformat()})
        assert response.status_code == 201
        places.append(response.get_json()["waitlist"]["position"])
    assert places == [1, 2]


def test_the_openapi_document_promises_the_place_in_the_queue(client):
    document = client.get("/api/v1/openapi.json").get_json()
    answer = document["paths"]["/waitlist"]["post"]["responses"]["201"]
    waitlist = answer["content"]["application/json"]["schema"]["properties"]["waitlist"]
    assert "position" in waitlist["required"]
    assert waitlist["properties"]["position"] == {
        "type": "integer", "minimum": 1, "description": "The firm's place in that day's queue"}


@pytest.mark.parametrize("offset", [-1, -400, 61, 4000])
def test_a_waitlist_only_for_days_from_today_to_the_horizon(ctx, client, offset):
    """A past day or one beyond the booking horizon has no free slot either, but it is no
    full day to wait for: 422 naming `date` (it used to answer 201)."""
    day = local_today() + timedelta(days=offset)
    response = client.post("/api/v1/waitlist", json={
        "intake_token": new_intake(1), "zone": "legal", "date": day.isoformat()})
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["date"]
