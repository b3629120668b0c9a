"""Managing a centre's set-up: zones and institutions, and the helpers every screen shares.

Every service works inside one centre, whose id the view resolved once from the signed-in
admin (app/centres/scope.py) and passes as `centre_id`; omitted, it is the acting user's own
centre (None for the national office, which keeps the national rows: needs, base rules).
A row of another centre is "no such item" (the pages answer 404) and nothing changes.
"""

import re
from datetime import date, datetime, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.admin.errors import ManageError
from app.admin.scoping import (
    ANY_CENTRE,
    centre_of,
    keeps_national,
    scope_of,
)
from app.auth.audit import record_change
from app.auth.models import User
from app.booking.models import Appointment
from app.extensions import db
from app.intake.models import Need, RoutingRule
from app.types import utcnow
from app.zones.models import Adviser, Institution, Zone

SLUG = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
SLUG_MESSAGE = _l("2–32 lowercase letters, digits or underscores, starting with a letter "
                 "(e.g. legal, ip_desk).")
CHECK = _l("Please check the form.")
REQUIRED = _l("This field is required.")  # WTForms' own message, in its catalogue

ZONE_FIELDS = ("name", "name_en", "description", "description_en", "what_to_bring",
               "what_to_bring_en", "slot_minutes", "buffer_minutes", "min_notice_hours",
               "horizon_days", "opens_at", "closes_at", "sort_order", "active")
INSTITUTION_FIELDS = ("zone_id", "name", "name_en", "sort_order", "active")
# name -> (lowest, highest, what it is) of the zone's numbers.
ZONE_LIMITS = {
    "slot_minutes": (5, 480, _l("Slot length")),
    "buffer_minutes": (0, 240, _l("Buffer")),
    "min_notice_hours": (0, 720, _l("Minimum notice")),
    "horizon_days": (1, 730, _l("Booking horizon")),
}
# Columns that point at another row appear in the audit log by that row's code.
_REFERENCES = {"zone_id": ("zone", Zone), "institution_id": ("institution", Institution)}


def _plain(value):
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def code_of(model, row_id: int | None) -> str | None:
    """The code of a zone or institution by id, as the audit log names it."""
    row = db.session.get(model, row_id) if row_id is not None else None
    return row.code if row else None


def snapshot(row, names) -> dict:
    """The named columns of a row as JSON-ready values for the audit log (ids as codes)."""
    state = {}
    for name in names:
        value = getattr(row, name)
        if name in _REFERENCES:
            key, model = _REFERENCES[name]
            state[key] = code_of(model, value)
        else:
            state[name] = _plain(value)
    return state


def apply_changes(actor: User, entity: str, row, values: dict, names) -> bool:
    """Set `values` on `row` and audit the columns that changed; False when none did."""
    before = snapshot(row, names)
    for name in names:
        if name in values:
            setattr(row, name, values[name])
    after = snapshot(row, names)
    changed = [key for key in after if before[key] != after[key]]
    if not changed:
        return False
    action = "update"
    if "active" in changed:
        action = "reactivate" if after["active"] else "deactivate"
    record_change(actor, action, entity, row.id, before={k: before[k] for k in changed},
                  after={k: after[k] for k in changed})
    return True


def create_row(actor: User, model, entity: str, values: dict, names, check,
               centre_id: int | None = None):
    """A new row with a unique code: checked, added, audited and committed (a zone in the
    centre it is made for)."""
    centre_id = scope_of(actor, centre_id)
    problems: dict = {}
    check_code(model, values.get("code"), problems, centre_id=centre_id)
    check(values, problems)
    raise_problems(problems)
    row = model(code=values["code"], **{name: values[name] for name in names})
    if model is Zone:
        row.centre_id = centre_id
    record_creation(actor, entity, row, ("code", *names))
    db.session.commit()
    return row


def record_creation(actor: User, entity: str, row, names) -> None:
    """Flush a new row and audit it with its values."""
    db.session.add(row)
    db.session.flush()
    record_change(actor, "create", entity, row.id, after=snapshot(row, names))


def add_problem(problems: dict, field: str, message: str) -> None:
    """Collect one field's message; the service raises them all at once."""
    problems.setdefault(field, []).append(message)


def raise_problems(problems: dict) -> None:
    """A ManageError naming every collected problem, if there is one."""
    if problems:
        raise ManageError(str(CHECK), problems)


def get_row(model, row_id: int, centre_id=ANY_CENTRE):
    """A row by id, or a ManageError that says it does not exist; given `centre_id`, a row
    of another centre does not exist either (None: a national row)."""
    row = db.session.get(model, row_id) if isinstance(row_id, int) else None
    if row is None or (centre_id is not ANY_CENTRE and centre_of(row) != centre_id):
        raise ManageError(_("No such item."))
    return row


def code_problem(code: str | None) -> str | None:
    """What is wrong with the shape of a new code (None when nothing is)."""
    return None if SLUG.match(code or "") else str(SLUG_MESSAGE)


def check_code(model, code: str, problems: dict, field: str = "code",
               centre_id: int | None = None) -> None:
    """A new code must be a lowercase slug no other row of `model` uses: a zone's or an
    institution's inside its centre (every centre may have a `legal` zone), a need's in the
    whole network."""
    scope = []
    if model is Zone:
        scope = [Zone.centre_id == centre_id]
    elif model is Institution:
        scope = [Institution.zone_id.in_(select(Zone.id).where(Zone.centre_id == centre_id))]
    if code_problem(code):
        add_problem(problems, field, str(SLUG_MESSAGE))
    elif db.session.scalar(select(model.id).where(model.code == code, *scope)) is not None:
        message = (_("This centre has a zone of this code already: %(code)s", code=code)
                   if model is Zone else _("This code is taken: %(code)s", code=code))
        add_problem(problems, field, message)


def zone_and_institution(zone_id, institution_id, problems: dict,
                         centre_id=ANY_CENTRE) -> tuple:
    """The zone and optional institution values name, checking that the one is of the other
    (and, given `centre_id`, that the zone is that centre's)."""
    zone = db.session.get(Zone, zone_id) if isinstance(zone_id, int) else None
    if zone is not None and centre_id is not ANY_CENTRE and zone.centre_id != centre_id:
        zone = None
    if zone is None:
        add_problem(problems, "zone_id", _("Unknown zone."))
        return None, None
    if institution_id is None:
        return zone, None
    institution = db.session.get(Institution, institution_id)
    if institution is None or institution.zone_id != zone.id:
        add_problem(problems, "institution_id", _("This institution is not of that zone."))
        return zone, None
    return zone, institution


def future_booked(*conditions, now: datetime | None = None) -> list[Appointment]:
    """Booked appointments still to come that meet the conditions, soonest first."""
    return list(db.session.scalars(
        select(Appointment).where(Appointment.status == "booked",
                                  Appointment.starts_at > (now or utcnow()), *conditions)
        .order_by(Appointment.starts_at)))


# Zones


def list_all_zones(centre_id: int | None = None) -> list[Zone]:
    """A centre's zones (every centre's without one), inactive ones too, in display order."""
    query = select(Zone).order_by(Zone.sort_order, Zone.id)
    if centre_id is not None:
        query = query.where(Zone.centre_id == centre_id)
    return list(db.session.scalars(query))


def zone_number_problem(name: str, value: int | None) -> str | None:
    """What is wrong with one of a zone's numbers (None when nothing is)."""
    low, high, what = ZONE_LIMITS[name]
    if value is None or not low <= value <= high:
        return _("%(what)s must be %(low)s to %(high)s.", what=what, low=low, high=high)
    return None


def _check_zone(values: dict, problems: dict) -> None:
    for name in ZONE_LIMITS:
        message = zone_number_problem(name, values.get(name))
        if message:
            add_problem(problems, name, message)
    for name in ("name", "name_en"):
        if not (values.get(name) or "").strip():
            add_problem(problems, name, str(REQUIRED))
    opens, closes = values.get("opens_at"), values.get("closes_at")
    if opens is None or closes is None or opens >= closes:
        add_problem(problems, "closes_at", _("Closing time must be after opening time."))
    elif "slot_minutes" not in problems:
        open_minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        if values["slot_minutes"] > open_minutes:
            add_problem(problems, "slot_minutes", _("A slot is longer than the opening hours."))


def create_zone(actor: User, values: dict, centre_id: int | None = None) -> Zone:
    """A new zone of a centre with its booking rules."""
    return create_row(actor, Zone, "zone", values, ZONE_FIELDS, _check_zone, centre_id)


def update_zone(actor: User, zone_id: int, values: dict,
                centre_id: int | None = None) -> list[Appointment]:
    """Change a zone's names and rules; returns the booked appointments a deactivation keeps."""
    zone = get_row(Zone, zone_id, scope_of(actor, centre_id))
    problems: dict = {}
    _check_zone(values, problems)
    raise_problems(problems)
    apply_changes(actor, "zone", zone, values, ZONE_FIELDS)
    db.session.commit()
    return kept_appointments(zone)


# Institutions


def list_institutions(zone_id: int | None = None,
                      centre_id: int | None = None) -> list[Institution]:
    """Institutions (inactive ones too) of a zone or a centre (or all), by zone and order."""
    query = (select(Institution).join(Zone)
             .order_by(Zone.sort_order, Zone.id, Institution.sort_order, Institution.id))
    if zone_id is not None:
        query = query.where(Institution.zone_id == zone_id)
    if centre_id is not None:
        query = query.where(Zone.centre_id == centre_id)
    return list(db.session.scalars(query))


def _institution_check(centre_id: int | None):
    def check(values: dict, problems: dict) -> None:
        zone_and_institution(values.get("zone_id"), None, problems, centre_id)
        for name in ("name", "name_en"):
            if not (values.get(name) or "").strip():
                add_problem(problems, name, str(REQUIRED))

    return check


def create_institution(actor: User, values: dict, centre_id: int | None = None) -> Institution:
    """A new institution serving one zone of the centre."""
    centre_id = scope_of(actor, centre_id)
    return create_row(actor, Institution, "institution", values, INSTITUTION_FIELDS,
                      _institution_check(centre_id), centre_id)


def _references(institution_id: int) -> int:
    """How many advisers, needs and routing rules point at an institution."""
    return sum(db.session.scalar(select(func.count()).where(model.institution_id
                                                            == institution_id)) or 0
               for model in (Adviser, Need, RoutingRule))


def update_institution(actor: User, institution_id: int, values: dict,
                       centre_id: int | None = None) -> list[Appointment]:
    """Change an institution; returns the booked appointments a deactivation keeps."""
    centre_id = scope_of(actor, centre_id)
    institution = get_row(Institution, institution_id, centre_id)
    problems: dict = {}
    _institution_check(centre_id)(values, problems)
    if values.get("zone_id") != institution.zone_id and _references(institution.id):
        add_problem(problems, "zone_id", _("Advisers, needs or rules use this institution; its "
                                           "zone cannot change."))
    raise_problems(problems)
    apply_changes(actor, "institution", institution, values, INSTITUTION_FIELDS)
    db.session.commit()
    return kept_appointments(institution)


def kept_appointments(row) -> list[Appointment]:
    """Booked appointments an inactive zone or institution still holds (they stay booked)."""
    if row.active or not isinstance(row, Zone | Institution):
        return []
    if isinstance(row, Zone):
        return future_booked(Appointment.zone_id == row.id)
    return future_booked(Appointment.adviser_id.in_(
        select(Adviser.id).where(Adviser.institution_id == row.id)))


# What the list pages' deactivate / reactivate buttons may switch.
SWITCHABLE = {"zone": Zone, "institution": Institution, "need": Need, "routing_rule": RoutingRule}


def set_active(actor: User, entity: str, row_id: int, active: bool,
               centre_id: int | None = None) -> list[Appointment]:
    """Deactivate or reactivate a row of the centre (a need or a base rule: a national row,
    for those who keep them); returns the booked appointments a deactivation keeps."""
    if entity not in SWITCHABLE:
        raise ManageError(_("This cannot be switched."))
    centre_id = scope_of(actor, centre_id)
    model = SWITCHABLE[entity]
    if model is Need or (model is RoutingRule and _is_base_rule(row_id)):
        if not keeps_national(actor):
            raise ManageError(_("No such item."))
        row = get_row(model, row_id, None)
    else:
        row = get_row(model, row_id, centre_id)
    apply_changes(actor, entity, row, {"active": bool(active)}, ("active",))
    db.session.commit()
    return kept_appointments(row)


def _is_base_rule(rule_id) -> bool:
    return isinstance(rule_id, int) and db.session.scalar(
        select(RoutingRule.id).where(RoutingRule.id == rule_id,
                                     RoutingRule.centre_id.is_(None))) is not None
