"""The calendar file: its VTIMEZONE is built once per process, and the file is the same as
icalendar's own add_missing_timezones() would make."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from app.notify import ics

SEOUL = ZoneInfo("Asia/Seoul")


def events() -> list[ics.CalendarEvent]:
    start = datetime(2026, 12, 3, 10, tzinfo=SEOUL)
    return [ics.CalendarEvent(f"a{n}@onestop", start + timedelta(hours=n),
                              start + timedelta(hours=n + 1), "법률존 상담", "창원", "준비물")
            for n in range(2)]


def test_the_file_equals_what_icalendar_builds_itself(monkeypatch):
    stamp = datetime(2026, 12, 1, tzinfo=UTC)
    ours = ics.visit_calendar(events(), sequence=1, cancelled=True, stamp=stamp)
    monkeypatch.setattr(Calendar, "get_missing_tzids", lambda self: set())
    calendar = Calendar.from_ical(ours)
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE", "VEVENT", "VEVENT"]
    assert calendar.subcomponents[0]["TZID"] == "Asia/Seoul"
    monkeypatch.undo()
    reference = Calendar.from_ical(ours)
    reference.subcomponents = [c for c in reference.subcomponents if c.name != "VTIMEZONE"]
    reference.add_missing_timezones()
    assert reference.to_ical() == ours


def test_the_vtimezone_is_built_once_per_process():
    ics.vtimezone.cache_clear()
    for _ in range(3):
        ics.visit_calendar(events(), stamp=datetime(2026, 12, 1, tzinfo=UTC))
    info = ics.vtimezone.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_the_private_page_calendar_names_the_centre_and_its_address(app, client, intake_payload):
    from tests.test_booking_loops import book_one

    _intake, token, _slot = book_one(client, app, intake_payload)
    [event] = Calendar.from_ical(client.get(f"/booking/{token}/calendar.ics").data).walk("VEVENT")
    centre, address = app.config["CENTER_NAME"], app.config["CENTER_ADDRESS"]
    assert centre in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == f"{centre} · {address}"
    assert centre in str(event["DESCRIPTION"]) and address in str(event["DESCRIPTION"])


def test_the_google_link_spans_the_visit_in_utc():
    from urllib.parse import parse_qs, urlsplit

    start = datetime(2026, 12, 4, 10, tzinfo=ZoneInfo("Asia/Seoul"))
    events = [ics.CalendarEvent(f"a{n}", start + timedelta(hours=n),
                                start + timedelta(hours=n, minutes=40),
                                f"상담 {n}", "센터 · 주소", "준비물") for n in (1, 0)]
    query = parse_qs(urlsplit(ics.google_calendar_url(events, "원스톱 상담")).query)
    assert query["dates"] == ["20261204T010000Z/20261204T024000Z"]
    assert query["text"] == ["원스톱 상담"] and query["location"] == ["센터 · 주소"]
    assert query["details"][0].index("상담 0") < query["details"][0].index("상담 1")
