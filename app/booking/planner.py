"""What the booking page shows: open days, each zone's free slots, proposed itineraries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.booking.itinerary import propose_itineraries
from app.booking.models import Booking
from app.booking.notifications import calendar_events
from app.booking.services import live_appointments
from app.intake.services import list_zones
from app.notify.ics import visit_calendar
from app.states import BookingStatus
from app.types import center_tz, local_today, utcnow
from app.zones.availability import Slot, free_slots
from app.zones.models import Institution, Zone

DAYS_SHOWN = 28


@dataclass
class DayPlan:
    """The picker's state for a set of zones and, once chosen, a day."""

    zones: list[Zone]
    all_zones: list[Zone]
    days: list[tuple[date, list[str]]]  # each open day and the zones free on it
    day: date | None = None
    slots: dict[str, list[Slot]] = field(default_factory=dict)
    itineraries: list[list[Slot]] = field(default_factory=list)
    full_zones: list[Zone] = field(default_factory=list)

    @property
    def institutions(self) -> dict[int, Institution]:
        """The zones' institutions by id, for naming a slot's in the page's language."""
        return {i.id: i for zone in self.all_zones for i in zone.institutions}


def day_plan(zone_codes: list[str], day: date | None) -> DayPlan:
    """Open days of the next four weeks for the zones, and the chosen day's slots and plans."""
    all_zones = list_zones()
    zones = [z for z in all_zones if z.code in zone_codes]
    first = local_today()
    last = first + timedelta(days=DAYS_SHOWN - 1)
    now = utcnow()
    found = {zone.code: free_slots(zone.code, first, last, now=now) for zone in zones}
    free_days: dict[date, list[str]] = {}
    for code, slots in found.items():
        for slot in slots:
            names = free_days.setdefault(slot.start.astimezone(center_tz()).date(), [])
            if code not in names:
                names.append(code)
    plan = DayPlan(zones=zones, all_zones=all_zones, days=sorted(free_days.items()))
    if day is None or not zones:
        return plan
    plan.day = day
    for zone in zones:
        plan.slots[zone.code] = [s for s in found[zone.code]
                                 if s.start.astimezone(center_tz()).date() == day]
    plan.full_zones = [z for z in zones if not plan.slots[z.code] and first <= day <= last]
    if not plan.full_zones:
        plan.itineraries = propose_itineraries(plan.slots)
    return plan


def visit_calendar_for(booking: Booking) -> bytes:
    """The booking as a calendar file: one event per appointment, cancelled ones as CANCEL.

    In the pre-screen's language, as the files the e-mails carry, whatever the page's: the
    same UID keeps the same words however often it is imported."""
    cancelled = booking.status == BookingStatus.CANCELLED
    events = calendar_events(live_appointments(booking), booking.intake.language)
    return visit_calendar(events, cancelled=cancelled,
                          sequence=1 if cancelled else 0, stamp=booking.updated_at)
