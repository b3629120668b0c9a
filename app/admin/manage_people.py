"""Managing a centre's advisers: their logins, zone and institution, reassignment and
deactivation. Every service acts inside one centre (`centre_id`, as app/admin/manage.py
says): another centre's adviser, zone or appointment is "no such item"."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.admin.errors import ManageError
from app.admin.manage import (
    REQUIRED,
    add_problem,
    apply_changes,
    code_of,
    future_booked,
    get_row,
    raise_problems,
    zone_and_institution,
)
from app.admin.scoping import centre_of, scope_of
from app.auth.audit import record_change
from app.auth.errors import AccountError
from app.auth.models import User
from app.auth.services import MIN_PASSWORD_LENGTH, create_user, find_user
from app.booking import handover
from app.booking.errors import BookingError
from app.booking.models import Appointment
from app.centres.models import Centre
from app.extensions import db
from app.types import utcnow
from app.zones.models import Adviser, Institution, Zone

ADVISER_FIELDS = ("name", "title", "zone_id", "institution_id")


@dataclass(frozen=True)
class Stranded:
    """A booked appointment of an adviser being deactivated, and who could take it over."""

    appointment: Appointment
    candidates: list[Adviser]


def list_advisers(centre_id: int | None = None) -> list[Adviser]:
    """A centre's advisers (every centre's without one), inactive ones too, by zone, name."""
    query = select(Adviser).join(Zone)
    if centre_id is not None:
        query = query.where(Zone.centre_id == centre_id)
    return list(db.session.scalars(
        query.order_by(Zone.sort_order, Zone.id, Adviser.name, Adviser.id)
        .options(selectinload(Adviser.zone), selectinload(Adviser.institution),
                 selectinload(Adviser.user))))


def get_adviser(adviser_id: int, centre_id: int) -> Adviser:
    """One adviser of the centre, or a ManageError saying there is none."""
    return get_row(Adviser, adviser_id, centre_id)


def generate_password() -> str:
    """A random first password (16 URL-safe characters), shown to the admin once."""
    return secrets.token_urlsafe(12)


def _check_names(values: dict, problems: dict, centre_id: int,
                 current: Adviser | None = None) -> None:
    """Name given; zone (of the centre) and institution exist, match, and (when newly
    chosen) are active."""
    if not (values.get("name") or "").strip():
        add_problem(problems, "name", str(REQUIRED))
    zone, institution = zone_and_institution(values.get("zone_id"), values.get("institution_id"),
                                             problems, centre_id)
    if zone is not None and not zone.active and (current is None or current.zone_id != zone.id):
        add_problem(problems, "zone_id", _("This zone is inactive."))
    if institution is not None and not institution.active and (
            current is None or current.institution_id != institution.id):
        add_problem(problems, "institution_id", _("This institution is inactive."))


def create_adviser(actor: User, values: dict,
                   centre_id: int | None = None) -> tuple[Adviser, str]:
    """A new adviser of the centre with their login; returns it and the first password
    (typed or made)."""
    centre_id = scope_of(actor, centre_id)
    problems: dict = {}
    email = (values.get("email") or "").strip().lower()
    if "@" not in email:
        add_problem(problems, "email", _("Not an e-mail address."))
    elif find_user(email) is not None:
        add_problem(problems, "email", _("This e-mail is taken."))
    password = values.get("password") or generate_password()
    if len(password) < MIN_PASSWORD_LENGTH:
        add_problem(problems, "password", _("The password needs at least %(count)s characters.",
                                            count=MIN_PASSWORD_LENGTH))
    _check_names(values, problems, centre_id)
    raise_problems(problems)
    zone = db.session.get(Zone, values["zone_id"])
    centre_code = db.session.get(Centre, zone.centre_id).code
    name, title = values["name"].strip(), (values.get("title") or "").strip()
    # create_user commits on its own, so the audit entry rides in that same commit.
    entry = record_change(actor, "create", "adviser", None, after={
        "email": email, "name": name, "title": title, "zone": zone.code,
        "institution": code_of(Institution, values.get("institution_id")), "active": True})
    try:
        user = create_user(email, "adviser", password, name=name, zone_code=zone.code,
                           centre_code=centre_code, institution_id=values.get("institution_id"))
    except (AccountError, IntegrityError) as error:
        db.session.rollback()
        raise ManageError(str(error) if isinstance(error, AccountError) else
                          _("This e-mail is taken."), {"email": [_("Please check.")]}) from error
    adviser = user.adviser
    adviser.title, entry.entity_id = title, str(adviser.id)
    db.session.commit()
    return adviser, password


def update_adviser(actor: User, adviser_id: int, values: dict,
                   centre_id: int | None = None) -> Adviser:
    """Change an adviser's name, title, zone or institution (the login's name follows)."""
    centre_id = scope_of(actor, centre_id)
    adviser = get_adviser(adviser_id, centre_id)
    problems: dict = {}
    _check_names(values, problems, centre_id, current=adviser)
    if values.get("zone_id") != adviser.zone_id and future_booked(
            Appointment.adviser_id == adviser.id):
        add_problem(problems, "zone_id", _("Booked appointments remain; reassign them before "
                                           "changing the zone."))
    raise_problems(problems)
    values = {**values, "name": values["name"].strip(),
              "title": (values.get("title") or "").strip()}
    apply_changes(actor, "adviser", adviser, values, ADVISER_FIELDS)
    if adviser.user is not None:
        adviser.user.name = adviser.name
    db.session.commit()
    return adviser


def deactivation_plan(adviser_id: int, centre_id: int,
                      now: datetime | None = None) -> list[Stranded]:
    """The adviser's booked appointments still to come, each with the colleagues free then."""
    now = now or utcnow()
    get_adviser(adviser_id, centre_id)
    return [Stranded(a, handover.free_colleagues(a, now))
            for a in future_booked(Appointment.adviser_id == adviser_id, now=now)]


def reassign_appointment(actor: User, appointment_id: int, to_adviser_id: int,
                         now: datetime | None = None,
                         centre_id: int | None = None) -> Appointment:
    """Give a booked appointment of the centre to a colleague of the same zone who is free
    at that time (another centre's appointment is "no such item")."""
    centre_id = scope_of(actor, centre_id)
    appointment = db.session.get(Appointment, appointment_id) if isinstance(
        appointment_id, int) else None
    if appointment is not None and centre_of(appointment.zone) != centre_id:
        raise ManageError(_("No such item."))
    try:
        return handover.reassign_appointment(actor, appointment_id, to_adviser_id, now=now)
    except BookingError as error:
        raise ManageError(error.message, error.fields) from error


def set_adviser_active(actor: User, adviser_id: int, active: bool,
                       now: datetime | None = None, centre_id: int | None = None) -> Adviser:
    """Deactivate (only once nothing booked is left) or reactivate an adviser of the centre
    and their login."""
    adviser = get_adviser(adviser_id, scope_of(actor, centre_id))
    if not active:
        left = future_booked(Appointment.adviser_id == adviser.id, now=now)
        if left:
            raise ManageError(ngettext(
                "Reassign the %(num)s booked appointment to another adviser first.",
                "Reassign the %(num)s booked appointments to another adviser first.",
                len(left)))
    if adviser.active == active and (adviser.user is None or adviser.user.active == active):
        return adviser
    before = {"active": adviser.active, "login_active": adviser.user.active if adviser.user
              else None}
    adviser.active = active
    if adviser.user is not None:
        adviser.user.active = active
    after = {"active": active, "login_active": active if adviser.user else None}
    record_change(actor, "reactivate" if active else "deactivate", "adviser", adviser.id,
                  before=before, after=after)
    db.session.commit()
    return adviser
