"""A second centre's firm hears of its own centre: every e-mail, calendar file and booking
page names the pre-screen's centre (its name, address and phone), never the default one."""

from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from app.centres.services import current_centre
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.outbox import render_stored
from app.types import local_today
from tests.test_booking_api import make_intake, pick, slots
from tests.test_network import BUSAN, busan  # noqa: F401 (the fixture)


def _book_at_busan(app, client, intake_payload, **intake) -> str:
    token = make_intake(client, intake_payload, centre="busan", **intake)
    with app.app_context():
        first = local_today() + timedelta(days=3)
    [slot, *_] = slots(client, "legal", first, first + timedelta(days=14), centre="busan")
    booked = client.post("/api/v1/bookings", json={"intake_token": token,
                                                   "appointments": [pick(slot)]})
    assert booked.status_code == 201, booked.get_json()
    return booked.get_json()["booking"]["token"]


def _messages(app) -> dict:
    with app.app_context():
        return {row.kind: render_stored(row) for row in db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id))}


def _events(ics: str) -> list:
    return [c for calendar in Calendar.from_ical(ics, multiple=True)
            for c in calendar.walk() if c.name == "VEVENT"]


def _default_name(app) -> str:
    with app.app_context():
        return current_centre().name


def test_the_confirmation_and_its_calendar_file_name_the_second_centre(
        app, client, busan, intake_payload):  # noqa: F811
    _book_at_busan(app, client, intake_payload)
    booked = _messages(app)["booked"]
    for body in (booked.text, booked.html):
        assert BUSAN["name"] in body and BUSAN["address"] in body and BUSAN["phone"] in body
        assert _default_name(app) not in body
    [event] = _events(booked.ics)
    assert str(event["LOCATION"]) == f"{BUSAN['name']} · {BUSAN['address']}"
    description = str(event["DESCRIPTION"])
    assert BUSAN["address"] in description and BUSAN["phone"] in description
    assert BUSAN["name"] in str(event["SUMMARY"])
    assert _default_name(app) not in booked.ics


def test_an_english_firm_reads_the_second_centres_english_name(
        app, client, busan, intake_payload):  # noqa: F811
    _book_at_busan(app, client, intake_payload, language="en")
    booked = _messages(app)["booked"]
    assert BUSAN["name_en"] in booked.text and BUSAN["name_en"] in booked.ics


def test_the_cancellation_names_the_centre_and_restarts_at_its_pre_screen(
        app, client, busan, intake_payload):  # noqa: F811
    token = _book_at_busan(app, client, intake_payload)
    response = client.post(f"/api/v1/bookings/{token}/cancel", json={})
    assert response.status_code == 200, response.get_json()
    cancelled = _messages(app)["cancelled"]
    assert BUSAN["name"] in cancelled.text and BUSAN["phone"] in cancelled.text
    assert "/intake/?centre=busan" in cancelled.text
    page = client.get(f"/booking/{token}").get_data(as_text=True)  # "apply again", the menu
    assert page.count('href="/intake/?centre=busan"') == 2 and 'href="/intake/"' not in page
    [event] = _events(cancelled.ics)
    assert str(event["LOCATION"]).startswith(BUSAN["name"])


def test_the_pre_screens_receipt_names_its_centre(app, client, busan, intake_payload):  # noqa: F811
    app.config["MAIL_PRESCREEN_RECEIPT"] = True
    make_intake(client, intake_payload, centre="busan")
    received = _messages(app)["received"]
    assert BUSAN["name"] in received.text and BUSAN["phone"] in received.html
    assert _default_name(app) not in received.text


def test_the_booking_pages_and_the_calendar_download_name_the_second_centre(
        app, client, busan, intake_payload):  # noqa: F811
    token = _book_at_busan(app, client, intake_payload)
    page = client.get(f"/booking/{token}").get_data(as_text=True)
    assert page.count(BUSAN["name"]) >= 2  # where to come, and the footer
    assert BUSAN["address"] in page and BUSAN["phone"] in page
    assert _default_name(app) not in page
    ics = client.get(f"/booking/{token}/calendar.ics").get_data(as_text=True)
    [event] = _events(ics)
    assert str(event["LOCATION"]) == f"{BUSAN['name']} · {BUSAN['address']}"


def test_the_pre_screen_result_of_a_network_names_its_centre(
        app, client, busan, intake_payload):  # noqa: F811
    token = make_intake(client, intake_payload, centre="busan")
    page = client.get(f"/intake/{token}").get_data(as_text=True)
    assert BUSAN["name"] in page and BUSAN["address"] in page
    assert _default_name(app) not in page
    default = client.get("/intake/").get_data(as_text=True)  # the default centre, named too
    assert f"{_default_name(app)}" in default.split("<footer", 1)[0]


def test_a_default_centre_booking_still_names_the_default_centre(
        app, client, intake_payload):
    token = make_intake(client, intake_payload)
    with app.app_context():
        first = local_today() + timedelta(days=3)
    [slot, *_] = slots(client, "legal", first, first + timedelta(days=14))
    assert client.post("/api/v1/bookings", json={"intake_token": token,
                                                 "appointments": [pick(slot)]}).status_code == 201
    booked = _messages(app)["booked"]
    assert _default_name(app) in booked.text and _default_name(app) in booked.ics
