"""Booked appointments that a closure or an adviser's time off leaves behind: listed with
the colleagues free at their time, and settled in one step, each either told to its firm
(through the outbox) or handed to a colleague. Nothing here cancels a booking: a firm that
is told gets its private link anew, to move or cancel the visit itself."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.audit import record_change
from app.auth.models import AuditEntry, User
from app.booking.errors import BookingConflict, InvalidBooking
from app.booking.models import Appointment, Booking
from app.booking.notifications import notify_away, notify_reassigned
from app.extensions import db
from app.states import AppointmentStatus
from app.tokens import new_token
from app.transactions import write_transaction
from app.types import local_datetime, to_local, utcnow
from app.zones.availability import is_free
from app.zones.models import Adviser

CLOSURE, TIME_OFF = "closure", "time_off"  # why the appointments are left behind
NOTIFY, LEAVE = "notify", "leave"  # the choices besides a colleague's id
TOLD = "notify_away"  # the audit action that says a firm was told


@dataclass(frozen=True)
class Affected:
    """A booked appointment left behind, who could take it over, and whether its firm knows."""

    appointment: Appointment
    candidates: list[Adviser]
    told: bool


@dataclass
class Settled:
    """What one settling did."""

    told: list[Appointment] = field(default_factory=list)
    reassigned: list[Appointment] = field(default_factory=list)
    no_email: list[Appointment] = field(default_factory=list)  # to be phoned instead


def takeover_now(appointment: Appointment, now: datetime) -> datetime:
    """The 'now' to ask availability with: the applicant's notice rule does not bind staff."""
    return min(now, appointment.starts_at - timedelta(hours=appointment.zone.min_notice_hours))


def free_colleagues(appointment: Appointment, now: datetime | None = None) -> list[Adviser]:
    """Active advisers of the appointment's zone, its own aside, free at exactly its time."""
    now = now or utcnow()
    colleagues = db.session.scalars(select(Adviser).where(
        Adviser.zone_id == appointment.zone_id, Adviser.active,
        Adviser.id != appointment.adviser_id).order_by(Adviser.name, Adviser.id))
    moment = takeover_now(appointment, now)
    return [c for c in colleagues
            if is_free(appointment.zone, c.id, appointment.starts_at, now=moment)]


def booked_during(day: date, *, zone_id: int | None = None, adviser_id: int | None = None,
                  start: time | None = None, end: time | None = None,
                  now: datetime | None = None) -> list[Appointment]:
    """Booked appointments still to come on a local day, of a zone or an adviser, and (given
    hours) meeting them; soonest first."""
    begins = local_datetime(day, start or time())
    ends = local_datetime(day, end) if end else local_datetime(day + timedelta(days=1), time())
    query = select(Appointment).where(
        Appointment.status == AppointmentStatus.BOOKED, Appointment.starts_at > (now or utcnow()),
        Appointment.starts_at < ends, Appointment.ends_at > begins)
    if zone_id is not None:
        query = query.where(Appointment.zone_id == zone_id)
    if adviser_id is not None:
        query = query.where(Appointment.adviser_id == adviser_id)
    return list(db.session.scalars(query.order_by(Appointment.starts_at, Appointment.id)))


def _told_ids(ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    return {int(i) for i in db.session.scalars(select(AuditEntry.entity_id).where(
        AuditEntry.entity == "appointment", AuditEntry.action == TOLD,
        AuditEntry.entity_id.in_([str(i) for i in ids])))}


def affected(appointments: Sequence[Appointment], now: datetime | None = None) -> list[Affected]:
    """Each appointment with its free colleagues and whether its firm was told already."""
    told = _told_ids([a.id for a in appointments])
    return [Affected(a, free_colleagues(a, now), a.id in told) for a in appointments]


def _hand_over(actor: User, appointment: Appointment, target: Adviser | None,
               now: datetime) -> None:
    """Give one appointment to a colleague (flushed, not committed); BookingConflict if not."""
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= now:
        raise BookingConflict(_("Only booked appointments still to come can be reassigned."))
    if (target is None or not target.active or target.zone_id != appointment.zone_id
            or target.id == appointment.adviser_id):
        raise InvalidBooking(_("Choose another active adviser of the same zone."),
                             {"adviser_id": [_("Choose again.")]})
    taken = BookingConflict(
        _("%(adviser)s is not free at %(time)s; nothing was changed.", adviser=target.name,
          time=f"{to_local(appointment.starts_at):%m-%d %H:%M}"),
        {"adviser_id": [_("Choose again.")]})
    if not is_free(appointment.zone, target.id, appointment.starts_at,
                   now=takeover_now(appointment, now)):
        raise taken
    institution = appointment.institution
    # Everything read first: a query between the change and the flush would autoflush.
    record_change(actor, "reassign", "appointment", appointment.id, before={
        "adviser": appointment.adviser.name, "institution": institution.code if institution
        else None}, after={"adviser": target.name, "institution": target.institution.code
                           if target.institution else None})
    before = appointment.adviser
    appointment.adviser, appointment.institution = target, target.institution
    try:
        db.session.flush()
    except IntegrityError as error:  # someone booked that adviser a moment ago
        raise taken from error
    notify_reassigned(appointment, before, now=now)  # the firm learns who it will meet


def reassign_appointment(actor: User, appointment_id: int, to_adviser_id: int | None,
                         now: datetime | None = None) -> Appointment:
    """Give a booked appointment to a colleague of the same zone who is free at that time."""
    now = now or utcnow()
    with write_transaction():
        appointment = db.session.get(Appointment, appointment_id) if appointment_id else None
        if appointment is None:
            raise BookingConflict(_("Only booked appointments still to come can be reassigned."))
        target = db.session.get(Adviser, to_adviser_id) if to_adviser_id else None
        _hand_over(actor, appointment, target, now)
        db.session.commit()
    return appointment


def _tell(actor: User, booking: Booking, appointments: list[Appointment], why: str,
          now: datetime) -> None:
    """Mail the firm its appointments' news with a fresh private link (the old one stops)."""
    token, digest = new_token()
    old_digest, booking.token_hash = booking.token_hash, digest
    if notify_away(booking, appointments, why, token, now=now) is None:
        booking.token_hash = old_digest  # said already: the link in that mail keeps working
        return
    for appointment in appointments:
        record_change(actor, TOLD, "appointment", appointment.id,
                      after={"why": why, "new_link": True})


def settle_affected(actor: User, decisions: Mapping[int, str | int], why: str,
                    allowed: Sequence[Appointment], now: datetime | None = None) -> Settled:
    """Apply each choice (NOTIFY, LEAVE, or a colleague's adviser id) to the appointments of
    `allowed` it names, all or nothing: a colleague no longer free refuses the whole step.
    A firm with several appointments told at once gets one message."""
    if why not in (CLOSURE, TIME_OFF):
        raise InvalidBooking(_("Unknown reason."))
    now = now or utcnow()
    settled = Settled()
    ids = {a.id for a in allowed}
    with write_transaction():
        to_tell: dict[int, list[Appointment]] = defaultdict(list)
        for appointment_id, choice in decisions.items():
            if appointment_id not in ids or choice == LEAVE:
                continue
            appointment = db.session.get(Appointment, appointment_id)
            if appointment is None or appointment.status != AppointmentStatus.BOOKED:
                continue  # cancelled meanwhile: nothing left to settle
            if choice == NOTIFY:
                if appointment.booking.intake.email:
                    to_tell[appointment.booking_id].append(appointment)
                    settled.told.append(appointment)
                else:
                    settled.no_email.append(appointment)
                continue
            target = db.session.get(Adviser, choice) if isinstance(choice, int) else None
            _hand_over(actor, appointment, target, now)
            settled.reassigned.append(appointment)
        for group in to_tell.values():
            _tell(actor, group[0].booking, sorted(group, key=lambda a: a.starts_at), why, now)
        db.session.commit()
    return settled


def read_decisions(values: Mapping[str, str], appointments: Sequence[Appointment]
                   ) -> dict[int, str | int]:
    """The choices a settling form posted (`choice-<appointment id>`: NOTIFY, LEAVE or a
    colleague's id), for the listed appointments only; InvalidBooking on any other value."""
    decisions: dict[int, str | int] = {}
    for appointment in appointments:
        raw = (values.get(f"choice-{appointment.id}") or LEAVE).strip()
        if raw in (NOTIFY, LEAVE):
            decisions[appointment.id] = raw
        elif raw.isdigit() and len(raw) < 10:
            decisions[appointment.id] = int(raw)
        else:
            raise InvalidBooking(_("Choose what happens to each booking."),
                                 {f"choice-{appointment.id}": [_("Choose again.")]})
    return decisions
