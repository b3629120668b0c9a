"""The waitlist of a zone's full day: join it, offer freed slots in turn, accept or expire."""

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select

from app.booking.errors import BookingConflict, InvalidBooking
from app.booking.models import Appointment, WaitlistEntry
from app.booking.notifications import notify_offer
from app.errors import DomainError
from app.extensions import db
from app.intake.services import get_intake
from app.states import OPEN_APPOINTMENT, WaitlistStatus
from app.tokens import hash_token, new_token
from app.types import to_local, utcnow
from app.zones.availability import free_slots
from app.zones.models import Zone


class OfferNotFound(DomainError, LookupError):
    """No open offer has this token (never made, expired or already used)."""

    status, code = 404, "not_found"


def _zone(code: str, centre_id: int) -> Zone:
    """The active zone of that code of the pre-screen's centre."""
    zone = db.session.scalar(select(Zone).where(Zone.centre_id == centre_id, Zone.code == code,
                                                Zone.active))
    if zone is None:
        message = _("Unknown zone: %(zone)s", zone=code)
        raise InvalidBooking(message, {"zone": [message]})
    return zone


def join_waitlist(intake_token: str, zone_code: str, day: date,
                  now: datetime | None = None) -> WaitlistEntry:
    """Put a pre-screen on a full day's waitlist for a zone (joining twice changes nothing)."""
    now = now or utcnow()
    intake = get_intake(intake_token)
    zone = _zone(zone_code, intake.centre_id)
    existing = db.session.scalar(select(WaitlistEntry).where(
        WaitlistEntry.intake_id == intake.id, WaitlistEntry.zone_id == zone.id,
        WaitlistEntry.day == day,
        WaitlistEntry.status.in_((WaitlistStatus.WAITING, WaitlistStatus.OFFERED))))
    if existing:
        return existing
    open_in_zone = db.session.scalar(select(Appointment.id).where(
        Appointment.intake_id == intake.id, Appointment.zone_id == zone.id,
        Appointment.status.in_(OPEN_APPOINTMENT)).limit(1))
    if open_in_zone:
        raise BookingConflict(_("You already hold a booking in this zone."))
    today = to_local(now).date()
    if not today <= day <= today + timedelta(days=zone.horizon_days):
        message = _("A waitlist is for a day from today to the end of the booking horizon.")
        raise InvalidBooking(message, {"date": [message]})
    if free_slots(zone.code, day, day, now=now, centre_id=zone.centre_id):
        message = _("That day still has free slots; book one directly.")
        raise InvalidBooking(message, {"date": [message]})
    entry = WaitlistEntry(intake_id=intake.id, zone_id=zone.id, day=day, created_at=now)
    db.session.add(entry)
    db.session.commit()
    return entry


def queue_position(entry: WaitlistEntry) -> int:
    """The entry's place in its zone-day's queue of firms still waiting (1 is next)."""
    ahead = db.session.scalar(select(func.count()).select_from(WaitlistEntry).where(
        WaitlistEntry.zone_id == entry.zone_id, WaitlistEntry.day == entry.day,
        WaitlistEntry.status == WaitlistStatus.WAITING,
        or_(WaitlistEntry.created_at < entry.created_at,
            and_(WaitlistEntry.created_at == entry.created_at, WaitlistEntry.id < entry.id))))
    return ahead + 1


def waitlist_places(intake_id: int, day: date) -> dict[str, int]:
    """The firm's place in each zone's queue for a day it is waiting for, by zone code."""
    entries = db.session.execute(select(WaitlistEntry, Zone.code).join(
        Zone, Zone.id == WaitlistEntry.zone_id).where(
        WaitlistEntry.intake_id == intake_id, WaitlistEntry.day == day,
        WaitlistEntry.status == WaitlistStatus.WAITING)).all()
    return {code: queue_position(entry) for entry, code in entries}


def offer_freed_slots(freed: set[tuple[int, date]],
                      now: datetime) -> list[tuple[WaitlistEntry, str]]:
    """Offer each freed zone-day's free slots to the first firms waiting; flushes, no commit.

    Returns the offers with their plain tokens, which go out in the offer message.
    """
    offers = []
    hours = current_app.config["WAITLIST_OFFER_HOURS"]
    for zone_id, day in sorted(freed):
        waiting = list(db.session.scalars(
            select(WaitlistEntry).where(WaitlistEntry.zone_id == zone_id,
                                        WaitlistEntry.day == day,
                                        WaitlistEntry.status == WaitlistStatus.WAITING)
            .order_by(WaitlistEntry.created_at, WaitlistEntry.id)))
        if not waiting:
            continue
        zone = db.session.get(Zone, zone_id)
        for entry, slot in zip(waiting, free_slots(zone.code, day, day, now=now,
                                                          centre_id=zone.centre_id), strict=False):
            token, digest = new_token()
            entry.status, entry.token_hash = WaitlistStatus.OFFERED, digest
            entry.offered_adviser_id, entry.offered_start = slot.adviser_id, slot.start
            entry.offered_at = now
            entry.offer_expires_at = min(now + timedelta(hours=hours), slot.start)
            notify_offer(entry, token, now)
            offers.append((entry, token))
        db.session.flush()
    return offers


def get_offer(token: str, now: datetime | None = None) -> WaitlistEntry:
    """The open offer behind a token; OfferNotFound if none or expired."""
    now = now or utcnow()
    entry = db.session.scalar(select(WaitlistEntry).where(
        WaitlistEntry.token_hash == hash_token(token)))
    if entry is None or entry.status != WaitlistStatus.OFFERED or entry.offer_expires_at <= now:
        raise OfferNotFound(_("This offer is no longer open."))
    return entry


def expire_offers(now: datetime | None = None) -> list[tuple[WaitlistEntry, str]]:
    """Close offers past their time and offer those slots to the next firms waiting."""
    now = now or utcnow()
    expired = list(db.session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.status == WaitlistStatus.OFFERED, WaitlistEntry.offer_expires_at <= now)))
    for entry in expired:
        entry.status = WaitlistStatus.EXPIRED
    db.session.flush()
    offers = offer_freed_slots({(e.zone_id, e.day) for e in expired}, now)
    db.session.commit()
    return offers
