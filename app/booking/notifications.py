"""The messages a booking sends, written to the outbox in the booking's own transaction.

Calendar entries: each appointment is one VEVENT with UID `appointment-<id>@onestop`. An
appointment's time never changes (a reschedule makes new appointments), so an event is
published once with SEQUENCE 0 and can only be cancelled, with METHOD:CANCEL, the same UID
and SEQUENCE 1. The change notice of a reschedule therefore carries two calendars: the
cancellation of the old events and the new events (see app/notify/relay.py: one file each).

Every message to a firm, and its calendar entries, speak the language of its pre-screen
(`Intake.language`): the outbox renders the message under it, and the entries' summary,
place and description are written in it here. They name the pre-screen's centre (its name,
address and phone, recorded with the message), never the default one.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from app.booking.models import Appointment, Booking, WaitlistEntry
from app.centres.services import CentreFacts, centre_by_id, centre_values, current_centre
from app.extensions import db
from app.main.i18n import localized
from app.notify.ics import CalendarEvent
from app.notify.outbox import CalendarFile, enqueue, public_url
from app.states import BookingStatus
from app.types import to_local, utcnow
from app.zones.models import Adviser


def _live(booking: Booking) -> list[Appointment]:
    return sorted((a for a in booking.appointments if a.is_live),
                  key=lambda a: a.starts_at)


def appointment_values(appointment: Appointment) -> dict:
    """An appointment as the plain values a message shows."""
    institution = appointment.institution
    return {"id": appointment.id, "start": appointment.starts_at, "end": appointment.ends_at,
            "zone": appointment.zone.name, "zone_en": appointment.zone.name_en,
            "adviser": appointment.adviser.name,
            "institution": institution.name if institution else "",
            "institution_en": institution.name_en if institution else "",
            "bring": appointment.zone.what_to_bring, "bring_en": appointment.zone.what_to_bring_en}


def booking_centre(booking: Booking) -> CentreFacts:
    """The centre of a booking: its pre-screen's."""
    return centre_by_id(booking.intake.centre_id)


def _values(intake) -> dict:
    """The pre-screen's centre as the values a message shows (`center_name`, ...)."""
    return centre_values(centre_by_id(intake.centre_id))


def _event(appointment: Appointment, centre: CentreFacts) -> CalendarEvent:
    """One appointment as a calendar entry, in the locale in force: the entry names the
    centre, its address and phone, so it reads right in any calendar, far from the e-mail."""
    zone, institution = appointment.zone, appointment.institution
    who = appointment.adviser.name
    if institution:
        who += f" ({localized(institution.name, institution.name_en)})"
    name = localized(centre.name, centre.name_en)
    place = " · ".join(p for p in (name, localized(centre.address, centre.address_en)) if p)
    reach = _("Phone: %(phone)s", phone=centre.phone) if centre.phone else ""
    return CalendarEvent(
        uid=f"appointment-{appointment.id}@onestop",
        start=to_local(appointment.starts_at), end=to_local(appointment.ends_at),
        summary=_("%(zone)s consultation · %(centre)s",
                  zone=localized(zone.name, zone.name_en), centre=name),
        location=place,
        description="\n".join(line for line in (who, _("What to bring: %(items)s", items=localized(
            zone.what_to_bring, zone.what_to_bring_en)), place, reach) if line))


def calendar_events(appointments: Sequence[Appointment], language: str) -> list[CalendarEvent]:
    """One calendar entry per appointment, with its lifelong UID, in the firm's language, at
    the centre of the appointments' booking."""
    if not appointments:
        return []
    centre = booking_centre(appointments[0].booking)
    with force_locale(language):
        return [_event(a, centre) for a in appointments]


def visit_title(language: str, centre: CentreFacts | None = None) -> str:
    """A whole visit's name in a calendar: the one-stop consultation at the centre (the
    booking's; the default one when none is given)."""
    centre = centre or current_centre()
    with force_locale(language):
        return _("One-stop consultation · %(centre)s",
                 centre=localized(centre.name, centre.name_en))


def _calendar(appointments: Sequence[Appointment], cancelled: bool, language: str,
              now: datetime) -> CalendarFile:
    return CalendarFile(calendar_events(appointments, language), cancelled=cancelled,
                        sequence=1 if cancelled else 0, stamp=now)


def _ids(appointments: Sequence[Appointment]) -> str:
    return "-".join(str(a.id) for a in sorted(appointments, key=lambda a: a.id))


def _visit(booking: Booking, appointments: Sequence[Appointment]) -> dict:
    intake = booking.intake
    return {**_values(intake), "company": intake.company_name or "",
            "contact": intake.contact_name or "", "visit_date": booking.visit_date,
            "appointments": [appointment_values(a) for a in appointments]}


def notify_booked(booking: Booking, token: str, now: datetime | None = None) -> None:
    """The confirmation of a new booking: the private link and the calendar file."""
    now, language = now or utcnow(), booking.intake.language
    live = _live(booking)
    enqueue(f"booking:{booking.id}:booked", booking.intake.email, "booked",
            {**_visit(booking, live), "manage_url": public_url("booking.manage", token=token),
             "calendar_url": public_url("booking.calendar", token=token)},
            calendars=[_calendar(live, False, language, now)], language=language, now=now)


def _restart_url(booking: Booking) -> str:
    """Where a firm starts again: its centre's pre-screen (the default centre's takes no
    `centre`, as before the network)."""
    centre = booking_centre(booking)
    named = centre.code if centre.code != current_centre().code else None
    return public_url("intake.start", centre=named)


def notify_cancelled(booking: Booking, cancelled: Sequence[Appointment],
                     now: datetime | None = None) -> None:
    """The notice that appointments (the whole visit, or some of it) were cancelled."""
    if not cancelled:
        return
    now, language = now or utcnow(), booking.intake.language
    enqueue(f"booking:{booking.id}:cancelled:{_ids(cancelled)}", booking.intake.email,
            "cancelled", {**_visit(booking, cancelled), "reason": booking.cancel_reason or "",
                          "whole_visit": booking.status == BookingStatus.CANCELLED,
                          "restart_url": _restart_url(booking)},
            calendars=[_calendar(cancelled, True, language, now)], language=language, now=now)


def notify_rescheduled(booking: Booking, token: str, old: Sequence[Appointment],
                       now: datetime | None = None) -> None:
    """The change notice: old times cancelled, new times published, in one message."""
    now, language = now or utcnow(), booking.intake.language
    live = _live(booking)
    enqueue(f"booking:{booking.id}:moved:{_ids(live)}", booking.intake.email, "changed",
            {**_visit(booking, live), "old": [appointment_values(a) for a in old],
             "manage_url": public_url("booking.manage", token=token),
             "calendar_url": public_url("booking.calendar", token=token)},
            calendars=[_calendar(old, True, language, now), _calendar(live, False, language, now)],
            language=language, now=now)


def notify_reassigned(appointment: Appointment, old_adviser: Adviser,
                      now: datetime | None = None) -> None:
    """The notice that a colleague now takes an appointment; its time is unchanged, so the
    calendar entry already sent stays right and no file goes with it."""
    booking, institution = appointment.booking, old_adviser.institution
    enqueue(f"appointment:{appointment.id}:adviser:{appointment.adviser_id}",
            booking.intake.email, "reassigned",
            {**_visit(booking, [appointment]), "old_adviser": old_adviser.name,
             "old_institution": institution.name if institution else "",
             "old_institution_en": institution.name_en if institution else ""},
            language=booking.intake.language, now=now)


def notify_away(booking: Booking, appointments: Sequence[Appointment], why: str, token: str,
                now: datetime | None = None) -> int | None:
    """The notice that the centre is closed (`why` "closure") or the adviser away ("time_off")
    at booked times: the booking stands until the firm moves or cancels it with the (new)
    private link. Returns the outbox row's id, None when one says this already."""
    return enqueue(f"booking:{booking.id}:away:{why}:{_ids(appointments)}", booking.intake.email,
                   "away", {**_visit(booking, appointments), "why": why,
                            "manage_url": public_url("booking.manage", token=token)},
                   language=booking.intake.language, now=now)


def notify_reminder(booking: Booking, confirm_token: str, appointments: Sequence[Appointment],
                    now: datetime | None = None) -> bool:
    """The day-before reminder with its "still coming?" link; False if it was written before."""
    return enqueue(
        f"booking:{booking.id}:reminder:{_ids(appointments)}", booking.intake.email,
        "reminder", {**_visit(booking, appointments),
                     "confirm_url": public_url("booking.confirm_visit", token=confirm_token)},
        language=booking.intake.language, now=now) is not None


def notify_offer(entry: WaitlistEntry, token: str, now: datetime | None = None) -> None:
    """The waitlist offer: which slot is held, until when, and the link that takes it."""
    zone = entry.zone
    adviser = db.session.get(Adviser, entry.offered_adviser_id)
    enqueue(f"waitlist:{entry.id}:offer:{entry.offered_at:%Y%m%dT%H%M%S}", entry.intake.email,
            "offer", {**_values(entry.intake), "company": entry.intake.company_name or "",
                      "contact": entry.intake.contact_name or "",
                      "zone": zone.name, "zone_en": zone.name_en,
                      "adviser": adviser.name if adviser else "",
                      "start": entry.offered_start,
                      "end": entry.offered_start + timedelta(minutes=zone.slot_minutes),
                      "expires": entry.offer_expires_at,
                      "offer_url": public_url("booking.offer", token=token)},
            language=entry.intake.language, now=now)
