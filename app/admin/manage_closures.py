"""Closing a centre (or one of its zones) on a day beyond Korea's public holidays; every
service acts inside one centre (`centre_id`, as app/admin/manage.py says)."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.admin.errors import ManageError
from app.admin.manage import (
    add_problem,
    get_row,
    raise_problems,
    record_creation,
    snapshot,
    zone_and_institution,
)
from app.admin.scoping import scope_of
from app.auth.audit import record_change
from app.auth.models import User
from app.booking.handover import booked_during
from app.booking.models import Appointment
from app.extensions import db
from app.types import local_today
from app.zones.models import Closure, Zone


def upcoming_closures(today: date | None = None, centre_id: int | None = None) -> list[Closure]:
    """A centre's closures (every centre's without one) from today on, soonest first."""
    query = select(Closure).where(Closure.day >= (today or local_today()))
    if centre_id is not None:
        query = query.where(Closure.centre_id == centre_id)
    return list(db.session.scalars(query.order_by(Closure.day, Closure.zone_id)))


def add_closure(actor: User, day: date, zone_id: int | None, reason: str,
                today: date | None = None,
                centre_id: int | None = None) -> tuple[Closure, list[Appointment]]:
    """Close the centre (or one of its zones) on a day; returns the booked appointments on
    it, kept."""
    centre_id = scope_of(actor, centre_id)
    problems: dict = {}
    if day is None or day < (today or local_today()):
        add_problem(problems, "day", _("A closure cannot be in the past."))
    if zone_id is not None:
        zone_and_institution(zone_id, None, problems, centre_id)
    raise_problems(problems)
    # A zone's closure on a day the whole centre is closed would change nothing.
    scope = Closure.zone_id.is_(None) & (Closure.centre_id == centre_id)
    if zone_id is not None:
        scope = scope | (Closure.zone_id == zone_id)
    if db.session.scalar(select(Closure.id).where(Closure.day == day, scope)) is not None:
        raise ManageError(_("That day is closed already."), {"day": [_("Closed already.")]})
    closure = Closure(day=day, zone_id=zone_id, reason=(reason or "").strip(),
                      centre_id=centre_id)
    record_creation(actor, "closure", closure, ("day", "zone_id", "reason"))
    db.session.commit()
    return closure, closure_bookings_of(closure)


def closure_bookings_of(closure: Closure) -> list[Appointment]:
    """The booked appointments still to come on a closed day of its centre (of its zone, if
    only it)."""
    zones = set(db.session.scalars(select(Zone.id).where(Zone.centre_id == closure.centre_id)))
    return [a for a in booked_during(closure.day, zone_id=closure.zone_id) if a.zone_id in zones]


def remove_closure(actor: User, closure_id: int, today: date | None = None,
                   centre_id: int | None = None) -> None:
    """Open a closed day again (past closures stay as the record of what happened)."""
    closure = get_row(Closure, closure_id, scope_of(actor, centre_id))
    if closure.day < (today or local_today()):
        raise ManageError(_("A past closure cannot be removed."))
    record_change(actor, "delete", "closure", closure.id,
                  before=snapshot(closure, ("day", "zone_id", "reason")))
    db.session.delete(closure)
    db.session.commit()
