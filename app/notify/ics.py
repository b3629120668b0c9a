"""Calendar files (.ics) made with the icalendar package; plain values in, no domain models."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

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
