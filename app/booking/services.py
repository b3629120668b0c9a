"""Booking a visit, reading it back, cancelling and rescheduling it: all or nothing."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.booking.errors import (
    BookingConflict,
    BookingNotFound,
    InvalidBooking,
    SlotTaken,
)
from app.booking.models import Appointment, Booking, WaitlistEntry
from app.booking.notifications import notify_booked, notify_cancelled, notify_rescheduled
from app.booking.waitlist import get_offer, offer_freed_slots
from app.centres.services import default_centre_id_sql
from app.extensions import db
from app.intake.models import Intake
from app.intake.services import get_intake_with
from app.main.i18n import localized
from app.states import OPEN_APPOINTMENT, AppointmentStatus, BookingStatus, WaitlistStatus
from app.tokens import hash_token, new_token
from app.transactions import commit_keeping_state, write_transaction
from app.types import to_local, utcnow
from app.zones.availability import Slot, is_free
from app.zones.models import Adviser, Institution, Zone

MAX_APPOINTMENTS = 3


@dataclass(frozen=True)
class Request:
    """One appointment asked for: a zone, an adviser and a start time."""

    zone: str
    adviser_id: int
    start: datetime


def _invalid(message: str) -> InvalidBooking:
    return InvalidBooking(message, {"appointments": [message]})


def check_requests(requests: Sequence[Request], centre=None) -> dict[str, Zone]:
    """Shape rules: 1–3 appointments, one per zone, one day, no overlaps; returns the zones,
    those of `centre` (an id, or a SQL value such as `_centre_of_intake`; the default
    centre when None)."""
    if not 1 <= len(requests) <= MAX_APPOINTMENTS:
        raise _invalid(_("Book one to three appointments at a time."))
    codes = [r.zone for r in requests]
    if len(set(codes)) != len(codes):
        raise _invalid(_("One appointment per zone."))
    centre = default_centre_id_sql() if centre is None else centre
    zones = {z.code: z for z in db.session.scalars(
        select(Zone).where(Zone.centre_id == centre, Zone.code.in_(codes), Zone.active))}
    unknown = [code for code in codes if code not in zones]
    if unknown:
        raise _invalid(_("Unknown zone: %(zone)s", zone=", ".join(unknown)))
    days = {to_local(r.start).date() for r in requests}
    if len(days) != 1:
        raise _invalid(_("All appointments must be on one day."))
    spans = sorted((r.start, r.start + timedelta(minutes=zones[r.zone].slot_minutes), r.zone)
                   for r in requests)
    for (first_start, end, first), (start, _next_end, second) in zip(spans, spans[1:],
                                                                     strict=False):
        if start < end:
            raise _invalid(_overlap(zones[first], first_start, end, zones[second], start))
    return zones


def _overlap(first: Zone, first_start: datetime, first_end: datetime, second: Zone,
             second_start: datetime) -> str:
    """Which two appointments overlap, said so that the firm knows which one to move."""
    return _("The %(first)s appointment (%(first_start)s–%(first_end)s) and the %(second)s "
             "appointment (%(second_start)s) overlap; choose a %(second)s time from "
             "%(first_end)s on.",
             first=localized(first.name, first.name_en),
             second=localized(second.name, second.name_en),
             first_start=f"{to_local(first_start):%H:%M}",
             first_end=f"{to_local(first_end):%H:%M}",
             second_start=f"{to_local(second_start):%H:%M}")


def _lock_slots(requests: Sequence[Request], zones: dict[str, Zone], now: datetime,
                ignore: Sequence[int] = (), offer_holder: int | None = None) -> list[Slot]:
    """The free slot behind each request, or SlotTaken / InvalidBooking naming the first miss."""
    slots = []
    for request in requests:
        slot = is_free(zones[request.zone], request.adviser_id, request.start, now=now,
                       ignore_appointment_ids=ignore, offer_holder=offer_holder)
        if slot is None:
            if _time_is_offered(request.adviser_id, request.start, now, offer_holder):
                raise SlotTaken(_("That time is being offered to a firm on the waitlist; "
                                  "please choose another."))
            if _time_is_held(request, zones[request.zone], now, ignore, offer_holder):
                raise SlotTaken(_("That time was just taken; please choose another."))
            raise _invalid(_("%(time)s is not a bookable time for this adviser.",
                             time=f"{to_local(request.start):%m-%d %H:%M}"))
        slots.append(slot)
    return slots


def _time_is_held(request: Request, zone: Zone, now: datetime, ignore: Sequence[int],
                  offer_holder: int | None) -> bool:
    """Whether the time is one of the adviser's slots that another live appointment now holds.

    Only then is it `slot_taken`; a time that would not be a slot even with those appointments
    gone (another length, off duty, past the horizon) is simply not bookable.
    """
    reach = timedelta(minutes=zone.slot_minutes + zone.buffer_minutes)
    holders = set(db.session.scalars(select(Appointment.id).where(
        Appointment.adviser_id == request.adviser_id,
        Appointment.status != AppointmentStatus.CANCELLED,
        Appointment.starts_at < request.start + reach,
        Appointment.ends_at > request.start - reach))) - set(ignore)
    return bool(holders) and is_free(
        zone, request.adviser_id, request.start, now=now,
        ignore_appointment_ids=[*ignore, *holders], offer_holder=offer_holder) is not None


def _time_is_offered(adviser_id: int, start: datetime, now: datetime,
                     offer_holder: int | None) -> bool:
    """Whether an open waitlist offer (not the caller's own) holds the adviser at that start."""
    query = select(WaitlistEntry.id).where(
        WaitlistEntry.status == WaitlistStatus.OFFERED, WaitlistEntry.offer_expires_at > now,
        WaitlistEntry.offered_adviser_id == adviser_id, WaitlistEntry.offered_start == start)
    if offer_holder is not None:
        query = query.where(WaitlistEntry.id != offer_holder)
    return db.session.scalar(query.limit(1)) is not None


def _add_appointments(booking: Booking, slots: list[Slot], zones: dict[str, Zone]) -> None:
    """The slots as appointments of the booking, their zone, adviser and institution set
    (one read for the advisers; the zones are already loaded), so nothing reads them again."""
    advisers = {a.id: a for a in db.session.scalars(
        select(Adviser).where(Adviser.id.in_({slot.adviser_id for slot in slots}))
        .options(joinedload(Adviser.institution)))}
    for slot in slots:
        adviser = advisers[slot.adviser_id]
        booking.appointments.append(Appointment(
            intake_id=booking.intake_id, zone=zones[slot.zone],
            adviser=adviser, institution=adviser.institution
            if adviser.institution_id == slot.institution_id
            else slot.institution_id and db.session.get(Institution, slot.institution_id),
            starts_at=slot.start, ends_at=slot.end,
        ))


def flush_or_explain() -> None:
    """Flush; a unique index that refuses the rows becomes the domain error it means."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        text = str(error.orig)
        if "intake" in text:
            raise BookingConflict(_("You already hold a booking in this zone; "
                                    "reschedule it instead.")) from error
        raise SlotTaken(_("That time was just taken; please choose another.")) from error


def _centre_of_intake(which):
    """The centre of the pre-screen `which` picks, as a SQL value read with the zones (no
    statement of its own); the default centre's for an unknown token, which then fails as
    an unknown pre-screen or booking."""
    return func.coalesce(select(Intake.centre_id).where(which).scalar_subquery(),
                         default_centre_id_sql())


def _open_zone_codes(intake_id: int) -> set[str]:
    """The zones in which the firm holds an open appointment."""
    return set(db.session.scalars(
        select(Zone.code).join(Appointment, Appointment.zone_id == Zone.id)
        .where(Appointment.intake_id == intake_id, Appointment.status.in_(OPEN_APPOINTMENT))))


def book_visit(intake_token: str, requests: Sequence[Request],
               now: datetime | None = None) -> tuple[Booking, str]:
    """Book one visit for a pre-screen: every appointment or none. Returns it and its token."""
    now = now or utcnow()
    with write_transaction():  # the shape check reads zones: inside, not a lock of its own
        zones = check_requests(requests, _centre_of_intake(
            Intake.token_hash == hash_token(intake_token)))
        intake, held = get_intake_with(intake_token, _holds_zone(Intake.id, zones.values()))
        booking, token = _book(intake, requests, zones, now, held=held)
        notify_booked(booking, token, now)
        commit_keeping_state()
    return booking, token


def accept_offer(offer_token: str, now: datetime | None = None) -> tuple[Booking, str]:
    """Take up a waitlist offer: book the slot held for this firm (OfferNotFound if closed)."""
    now = now or utcnow()
    with write_transaction():
        entry = get_offer(offer_token, now)
        zone = db.session.get(Zone, entry.zone_id)
        request = Request(zone.code, entry.offered_adviser_id, entry.offered_start)
        booking, token = _book(entry.intake, [request], {zone.code: zone}, now,
                               offer_holder=entry.id)
        entry.status = WaitlistStatus.ACCEPTED
        notify_booked(booking, token, now)
        db.session.commit()
    return booking, token


def _book(intake: Intake, requests: Sequence[Request], zones: dict[str, Zone], now: datetime,
          offer_holder: int | None = None, held: bool | None = None) -> tuple[Booking, str]:
    """The shared body of booking: conflicts, free slots, rows; flushes, no commit.

    `held` says whether the firm already holds one of the zones, when the caller read it
    with the pre-screen; the unique index is the guarantee, this is the friendly message.
    """
    if held is None or held:
        _refuse_held_zones(_open_zone_codes(intake.id) & set(zones), zones)
    slots = _lock_slots(requests, zones, now, offer_holder=offer_holder)
    token, digest = new_token()
    booking = Booking(token_hash=digest, intake=intake, appointments=[],
                      visit_date=to_local(slots[0].start).date(), created_at=now)
    db.session.add(booking)
    _add_appointments(booking, slots, zones)
    flush_or_explain()
    return booking, token


def _refuse_held_zones(held: set[str], zones: dict[str, Zone]) -> None:
    if held:
        names = ", ".join(localized(zones[code].name, zones[code].name_en)
                          for code in sorted(held))
        raise BookingConflict(_("You already hold a booking in these zones: %(zones)s; "
                                "reschedule it instead.", zones=names))


def _holds_zone(intake_id, zones: Iterable[Zone], booking_id=None):
    """Whether the firm holds an open appointment in one of the zones (outside a booking):
    an EXISTS to read together with the pre-screen or the booking."""
    query = exists().where(Appointment.intake_id == intake_id,
                           Appointment.status.in_(OPEN_APPOINTMENT),
                           Appointment.zone_id.in_([zone.id for zone in zones]))
    if booking_id is not None:
        query = query.where(Appointment.booking_id != booking_id)
    return query


def get_booking(token: str) -> Booking:
    """The booking behind a private token; BookingNotFound if none."""
    booking, _nothing = _get_booking_with(token, None)
    return booking


def _get_booking_with(token: str, value) -> tuple[Booking, object]:
    """The booking with its pre-screen and appointments (their zone, adviser, institution)
    in one statement, and one more value read with it; BookingNotFound if none."""
    query = select(Booking, value) if value is not None else select(Booking)
    row = db.session.execute(
        query.where(Booking.token_hash == hash_token(token))
        .options(joinedload(Booking.intake),
                 joinedload(Booking.appointments).joinedload(Appointment.adviser),
                 joinedload(Booking.appointments).joinedload(Appointment.zone),
                 joinedload(Booking.appointments).joinedload(Appointment.institution))
    ).unique().first()
    if row is None:
        raise BookingNotFound(_("No booking has this link."))
    return row[0], row[1] if value is not None else None


def _freed(appointments: list[Appointment]) -> set[tuple[int, date]]:
    return {(a.zone_id, to_local(a.starts_at).date()) for a in appointments}


def cancel_booking(token: str, reason: str | None = None,
                   now: datetime | None = None) -> Booking:
    """Cancel a whole visit; the slots are free again at once. Cancelling twice changes nothing."""
    now = now or utcnow()
    with write_transaction():
        booking = cancel_visit(get_booking(token), reason, now)
        commit_keeping_state()
    return booking


def cancel_visit(booking: Booking, reason: str | None, now: datetime) -> Booking:
    """The body of cancelling, for any way of finding the booking; flushes, no commit."""
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if booking.has_started(now):
        raise BookingConflict(_("A visit that has begun cannot be cancelled; "
                                "please call the centre."))
    freed = [a for a in booking.appointments if a.status == AppointmentStatus.BOOKED]
    for appointment in freed:
        appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, now
    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
    booking.cancel_reason = (reason or "").strip()[:1000] or None
    db.session.flush()
    notify_cancelled(booking, freed, now)
    offer_freed_slots(_freed(freed), now)
    return booking


def reschedule_booking(token: str, requests: Sequence[Request],
                       now: datetime | None = None) -> Booking:
    """Move a visit to new slots: the new ones or the old ones, never neither."""
    now = now or utcnow()
    with write_transaction():
        zones = check_requests(requests, _centre_of_intake(
            Intake.id == select(Booking.intake_id).where(
                Booking.token_hash == hash_token(token)).scalar_subquery()))
        booking, held = _get_booking_with(token, _holds_zone(
            Booking.intake_id, zones.values(), booking_id=Booking.id))
        if booking.status == BookingStatus.CANCELLED:
            raise BookingConflict(_("A cancelled booking cannot be rescheduled; "
                                    "please book anew."))
        if booking.has_started(now):
            raise BookingConflict(_("A visit that has begun cannot be rescheduled."))
        if held:
            raise BookingConflict(_("Another booking of yours holds that zone."))
        old = [a for a in booking.appointments if a.status == AppointmentStatus.BOOKED]
        slots = _lock_slots(requests, zones, now, ignore=[a.id for a in old])
        for appointment in old:
            appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, now
        db.session.flush()  # the old rows leave the unique indexes before the new ones arrive
        _add_appointments(booking, slots, zones)
        booking.visit_date = to_local(slots[0].start).date()
        flush_or_explain()
        kept = {(s.adviser_id, s.start) for s in slots}
        offer_freed_slots(_freed([a for a in old if (a.adviser_id, a.starts_at) not in kept]),
                          now)
        notify_rescheduled(booking, token, old, now)
        commit_keeping_state()
    return booking


def live_appointments(booking: Booking) -> list[Appointment]:
    """The booking's appointments that still stand (all of them once it is cancelled)."""
    if booking.status == BookingStatus.CANCELLED:
        return sorted((a for a in booking.appointments if a.cancelled_at == booking.cancelled_at),
                      key=lambda a: a.starts_at)
    return [a for a in booking.appointments if a.is_live]


def open_booking(intake_id: int) -> Booking | None:
    """The firm's standing booking with an appointment still to come, if it holds one."""
    return db.session.scalars(
        select(Booking).join(Appointment, Appointment.booking_id == Booking.id)
        .where(Booking.intake_id == intake_id, Booking.status == BookingStatus.BOOKED,
               Appointment.status.in_(OPEN_APPOINTMENT), Appointment.ends_at > utcnow())
        .order_by(Booking.visit_date)
        .options(joinedload(Booking.appointments).joinedload(Appointment.zone))).unique().first()
