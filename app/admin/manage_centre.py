"""Editing a centre's facts (names, address, phone, hours, directions, privacy officer),
which every page's footer, the privacy policy and the messages show; and the national
office's keeping of the network: making centres, changing their codes, deactivating them.

Deactivating a centre cancels nothing: it takes no new pre-screens or bookings (an inactive
centre is no centre to a firm, app/centres/services.py), and every booking still to come
stands, as for a zone (the page says how many).
"""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import distinct, func, select

from app.admin.errors import ManageError
from app.admin.manage import (
    REQUIRED,
    add_problem,
    apply_changes,
    code_problem,
    get_row,
    raise_problems,
    record_creation,
)
from app.auth.models import User
from app.booking.models import Appointment
from app.centres.models import Centre
from app.centres.services import default_centre, forget_current_centre
from app.extensions import db
from app.intake.rules import normalise_phone
from app.states import AppointmentStatus
from app.types import utcnow
from app.zones.models import Zone

CENTRE_FIELDS = ("name", "name_en", "region", "address", "address_en", "phone", "hours",
                 "hours_en", "directions_url", "privacy_officer", "privacy_department",
                 "privacy_phone", "privacy_email")
PHONES = ("phone", "privacy_phone")
# Codes the pages and the API read otherwise (`centre=all` is the network; /centres/new).
RESERVED = frozenset({"all", "new"})


def phone_problem(value: str) -> str | None:
    """What is wrong with a centre's phone number (None when nothing is)."""
    if normalise_phone(value) is None:
        return _("Not a Korean phone number (e.g. 055-123-4567, 02-123-4567, 1588-0000).")
    return None


def url_problem(value: str) -> str | None:
    """What is wrong with a link to a map (None when nothing is): http(s), with a host."""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname \
            or any(c.isspace() for c in value):
        return _("Enter a web address starting with https:// (or http://).")
    return None


def _check(values: dict, problems: dict) -> None:
    for name in ("name", "name_en", "address"):
        if not values.get(name):
            add_problem(problems, name, str(REQUIRED))
    for name in PHONES:
        if values.get(name) and (message := phone_problem(values[name])):
            add_problem(problems, name, message)
    if values.get("directions_url") and (message := url_problem(values["directions_url"])):
        add_problem(problems, "directions_url", message)


def _cleaned(values: dict) -> dict:
    return {name: (values.get(name) or "").strip() for name in CENTRE_FIELDS}


def _stored(values: dict) -> dict:
    """Phones as Koreans write them."""
    for name in PHONES:
        values[name] = normalise_phone(values[name]) if values[name] else ""
    return values


def _check_code(code: str, problems: dict, centre: Centre | None = None) -> None:
    """A centre's code: a lowercase slug no other centre has; the default centre's code
    (DEFAULT_CENTRE) stays, as every call that names no centre finds it by it."""
    if centre is not None and code == centre.code:
        return
    if message := code_problem(code):
        add_problem(problems, "code", message)
    elif code in RESERVED:
        add_problem(problems, "code", _("This code means something else to the pages and the "
                                        "API; choose another code."))
    elif db.session.scalar(select(Centre.id).where(Centre.code == code)) is not None:
        add_problem(problems, "code", _("A centre of this code exists already: %(code)s",
                                        code=code))
    elif centre is not None and centre.code == current_app.config.get("DEFAULT_CENTRE"):
        add_problem(problems, "code", _("DEFAULT_CENTRE names this centre by its code, so "
                                        "the code cannot change."))


def update_centre(actor: User, centre_id: int, values: dict) -> Centre:
    """Change the centre's facts (and, given `code`, its code: the national office);
    audited, commits."""
    centre = get_row(Centre, centre_id)
    code = (values.get("code") or "").strip().lower() if "code" in values else None
    values = _cleaned(values)
    problems: dict = {}
    if code is not None:
        _check_code(code, problems, centre)
    _check(values, problems)
    raise_problems(problems)
    names = CENTRE_FIELDS
    if code is not None:
        values, names = {**values, "code": code}, ("code", *CENTRE_FIELDS)
    apply_changes(actor, "centre", centre, _stored(values), names)
    db.session.commit()
    forget_current_centre()
    return centre


# The network (the national office)


@dataclass(frozen=True)
class NetworkCentre:
    """A centre as the national office's list shows it: no firm, only counts."""

    centre: Centre
    zones: int
    bookings_to_come: int


def bookings_to_come(centre_id: int, now: datetime | None = None) -> int:
    """How many bookings of the centre still hold a booked consultation to come."""
    return _bookings_to_come(now).get(centre_id, 0)


def _bookings_to_come(now: datetime | None = None) -> dict[int, int]:
    rows = db.session.execute(
        select(Zone.centre_id, func.count(distinct(Appointment.booking_id)))
        .join(Zone, Appointment.zone_id == Zone.id)
        .where(Appointment.status == AppointmentStatus.BOOKED,
               Appointment.starts_at > (now or utcnow()))
        .group_by(Zone.centre_id))
    return {centre_id: count for centre_id, count in rows}


def list_network(now: datetime | None = None) -> list[NetworkCentre]:
    """Every centre, inactive ones too, by code, with its zones and bookings to come."""
    zones = dict(db.session.execute(select(Zone.centre_id, func.count(Zone.id))
                                    .group_by(Zone.centre_id)).all())
    booked = _bookings_to_come(now)
    return [NetworkCentre(c, zones.get(c.id, 0), booked.get(c.id, 0))
            for c in db.session.scalars(select(Centre).order_by(Centre.code))]


def centre_row(code: str) -> Centre:
    """A centre of the network by its code, inactive ones too; ManageError when none."""
    centre = (db.session.scalar(select(Centre).where(Centre.code == code))
              if isinstance(code, str) and len(code) <= 32 else None)
    if centre is None:
        raise ManageError(_("No such item."))
    return centre


def create_centre(actor: User, values: dict) -> Centre:
    """A new centre of the network, active, without zones yet (its admin adds them)."""
    code = (values.get("code") or "").strip().lower()
    values = _cleaned(values)
    problems: dict = {}
    _check_code(code, problems)
    _check(values, problems)
    raise_problems(problems)
    centre = Centre(code=code, active=True, **_stored(values))
    record_creation(actor, "centre", centre, ("code", *CENTRE_FIELDS))
    db.session.commit()
    forget_current_centre()
    return centre


def set_centre_active(actor: User, centre_id: int, active: bool,
                      now: datetime | None = None) -> int:
    """Deactivate (it takes no new bookings) or reactivate a centre; returns how many of its
    bookings to come stand (none is cancelled). The default centre stays active: every call
    that names no centre is its."""
    centre = get_row(Centre, centre_id)
    if not active and (default := default_centre()) is not None and default.id == centre.id:
        raise ManageError(_("The default centre answers every page and call that names no "
                            "centre; it cannot be deactivated."))
    apply_changes(actor, "centre", centre, {"active": bool(active)}, ("active",))
    db.session.commit()
    forget_current_centre()
    return bookings_to_come(centre.id, now)
