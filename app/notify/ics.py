"""Calendar files (.ics) made with the icalendar package; plain values in, no domain models."""

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event, vText

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
    calendar.add_missing_timezones()
    return calendar.to_ical()
