"""Closing the centre (or one zone) on a day beyond Korea's public holidays."""

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
from app.auth.audit import record_change
from app.auth.models import User
from app.booking.handover import booked_during
from app.booking.models import Appointment
from app.centres.services import current_centre
from app.extensions import db
from app.types import local_today
from app.zones.models import Closure


def upcoming_closures(today: date | None = None) -> list[Closure]:
    """Closures from today on, soonest first."""
    return list(db.session.scalars(select(Closure).where(Closure.day >= (today or local_today()))
                                   .order_by(Closure.day, Closure.zone_id)))


def add_closure(actor: User, day: date, zone_id: int | None, reason: str,
                today: date | None = None) -> tuple[Closure, list[Appointment]]:
    """Close the centre (or one zone) on a day; returns the booked appointments on it, kept."""
    problems: dict = {}
    if day is None or day < (today or local_today()):
        add_problem(problems, "day", _("A closure cannot be in the past."))
    zone = zone_and_institution(zone_id, None, problems)[0] if zone_id is not None else None
    raise_problems(problems)
    # The zone's centre, or for a centre-wide closure the request's (for now the default).
    centre_id = zone.centre_id if zone is not None else current_centre().id
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
    """The booked appointments still to come on a closed day (of its zone, if only it)."""
    return booked_during(closure.day, zone_id=closure.zone_id)


def remove_closure(actor: User, closure_id: int, today: date | None = None) -> None:
    """Open a closed day again (past closures stay as the record of what happened)."""
    closure = get_row(Closure, closure_id)
    if closure.day < (today or local_today()):
        raise ManageError(_("A past closure cannot be removed."))
    record_change(actor, "delete", "closure", closure.id,
                  before=snapshot(closure, ("day", "zone_id", "reason")))
    db.session.delete(closure)
    db.session.commit()
