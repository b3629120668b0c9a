"""Calendar files (.ics) made with the icalendar package; plain values in, no domain models."""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from urllib.parse import quote, urlencode

from icalendar import Calendar, Event, Timezone, vText

PRODID = "-//Onestop//One-stop consultation booking//KO"


@dataclass(frozen=True)
class CalendarEvent:
    """One appointment as a calendar entry; `uid` stays the same for its whole life."""

    uid: str
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    location: str
    description: str


def visit_calendar(events: list[CalendarEvent], *, cancelled: bool = False,
                   sequence: int = 0, stamp: datetime) -> bytes:
    """A VCALENDAR with one VEVENT per appointment; METHOD:CANCEL when the visit is cancelled."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.summary)
        event["location"] = vText(item.location)
        event.add("description", item.description)
        event.add("sequence", sequence)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.subcomponents.insert(0, vtimezone(tzid))
    return calendar.to_ical()


@cache
def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE of a zone, built once per process: making it walks every transition
    from 1970 to 2038 (about 40 ms for Asia/Seoul), and it never changes while we run.
    The component is only ever read (serialised), so every calendar may share it."""
    return Timezone.from_tzid(tzid)


GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
# Naver documents no add-event link, only an OAuth API (openapi.naver.com/calendar/
# createSchedule.json); a firm imports the .ics there instead, so we link to the calendar.
NAVER_CALENDAR = "https://calendar.naver.com/"


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(events: list[CalendarEvent], title: str) -> str:
    """Google Calendar's "add event" link for a visit: one event from the first start to the
    last end (a visit is one trip to the centre), named `title`, each consultation in its
    details (times on the events' own clock)."""
    first = min(events, key=lambda e: e.start)
    last = max(events, key=lambda e: e.end)
    details = "\n\n".join(f"{e.start:%H:%M}–{e.end:%H:%M} {e.summary}\n{e.description}"
                          for e in sorted(events, key=lambda e: e.start))
    return GOOGLE_TEMPLATE + "?" + urlencode({
        "action": "TEMPLATE", "text": title,
        "dates": f"{_utc_stamp(first.start)}/{_utc_stamp(last.end)}",
        "details": details, "location": first.location}, quote_via=quote)
