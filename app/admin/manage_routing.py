"""Managing the pre-screen's needs and the routing rules that read descriptions.

The needs and the base routing rules (no centre) are national: the national office keeps
them (in a deployment of one centre, its admin: app/admin/manage.py's keeps_national). A
centre's admin reads the base rules and keeps the centre's own rules, which count beside
them for that centre only.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, null, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.admin.errors import ManageError, NationalRow
from app.admin.manage import (
    REQUIRED,
    add_problem,
    apply_changes,
    create_row,
    get_row,
    raise_problems,
    record_creation,
    snapshot,
    zone_and_institution,
)
from app.admin.scoping import ANY_CENTRE, keeps_national, scope_of
from app.auth.audit import record_change
from app.auth.models import User
from app.extensions import db
from app.intake.models import Need, RoutingRule
from app.intake.routing import normalise
from app.paging import page_numbers
from app.zones.models import Institution, Zone

NEED_FIELDS = ("zone_id", "institution_id", "label", "label_en", "weight", "sort_order",
               "active")
RULE_FIELDS = ("zone_id", "institution_id", "phrase", "weight", "active")
PHRASE_MAX = 100
WEIGHT_MAX = 100.0


def weight_problem(weight: float | None) -> str | None:
    """What is wrong with a need's or rule's weight (None when nothing is)."""
    if weight is None or not 0 < weight <= WEIGHT_MAX:
        return _("The weight must be above 0 and at most %(most)s.", most=format(WEIGHT_MAX, "g"))
    return None


def _check_weight(values: dict, problems: dict) -> None:
    message = weight_problem(values.get("weight"))
    if message:
        add_problem(problems, "weight", message)


# Needs


def list_all_needs() -> list[Need]:
    """Every need, inactive ones too, by zone and display order."""
    return list(db.session.scalars(
        select(Need).join(Zone).order_by(Zone.sort_order, Zone.id, Need.sort_order, Need.id)
        .options(selectinload(Need.zone), selectinload(Need.institution))))


def _check_need(values: dict, problems: dict) -> None:
    zone_and_institution(values.get("zone_id"), values.get("institution_id"), problems)
    for name in ("label", "label_en"):
        if not (values.get(name) or "").strip():
            add_problem(problems, name, str(REQUIRED))
    _check_weight(values, problems)


def national_only(actor: User) -> None:
    """NationalRow unless the actor keeps the national rows."""
    if not keeps_national(actor):
        raise NationalRow(_("The needs and the base routing rules are national: the national "
                            "office keeps them."))


def create_need(actor: User, values: dict) -> Need:
    """A new need applicants can tick, pointing at a zone (and maybe an institution); a
    need is offered by every centre with a zone of that zone's code."""
    national_only(actor)
    return create_row(actor, Need, "need", values, NEED_FIELDS, _check_need)


def update_need(actor: User, need_id: int, values: dict) -> Need:
    """Change a need's labels, zone, weight or order; its code stays (the API uses it)."""
    national_only(actor)
    need = get_row(Need, need_id)
    problems: dict = {}
    _check_need(values, problems)
    raise_problems(problems)
    apply_changes(actor, "need", need, values, NEED_FIELDS)
    db.session.commit()
    return need


# Routing rules


@dataclass(frozen=True)
class RulePage:
    """One page of the routing rules a search found."""

    rules: list[RoutingRule]
    total: int
    page: int
    pages: int


def _applying(centre_id: int | None):
    """The rules a centre's list shows: the base rules for its zones' codes and its own
    (centre None: the base rules alone, as the national office keeps them)."""
    if centre_id is None:
        return RoutingRule.centre_id.is_(None)
    codes = select(Zone.code).where(Zone.centre_id == centre_id)
    return or_(RoutingRule.centre_id == centre_id,
               RoutingRule.centre_id.is_(None) & Zone.code.in_(codes))


def search_rules(text: str = "", zone_id: int | None = None, page: int = 1,
                 per_page: int = 50, centre_id: int | None = None) -> RulePage:
    """Routing rules of a centre (see _applying) whose phrase, zone, institution, or a need
    of that institution holds `text` (any case), of one zone (by its code) or all; a page
    past the end shows the last."""
    query = (select(RoutingRule).join(Zone, RoutingRule.zone_id == Zone.id)
             .where(_applying(centre_id)))
    if zone_id is not None:
        query = query.where(Zone.code == select(Zone.code).where(Zone.id == zone_id)
                            .scalar_subquery())
    text = (text or "").strip()
    if text:
        institution = aliased(Institution)
        query = query.outerjoin(institution, RoutingRule.institution_id == institution.id)
        # A need of one institution finds that institution's rules ("기술보증" finds KIBO's);
        # a need of a whole zone would find every rule of it, which says nothing.
        by_need = select(Need.institution_id).where(Need.institution_id.is_not(None), or_(
            Need.label.contains(text, autoescape=True),
            Need.label_en.icontains(text, autoescape=True),
            Need.code.icontains(text, autoescape=True)))
        query = query.where(or_(
            RoutingRule.phrase.icontains(text, autoescape=True),
            Zone.name.contains(text, autoescape=True),
            Zone.name_en.icontains(text, autoescape=True),
            Zone.code.icontains(text, autoescape=True),
            institution.name.contains(text, autoescape=True),
            institution.name_en.icontains(text, autoescape=True),
            institution.code.icontains(text, autoescape=True),
            RoutingRule.institution_id.in_(by_need)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page, pages = page_numbers(total, page, per_page)
    rules = list(db.session.scalars(
        query.order_by(Zone.sort_order, Zone.id, RoutingRule.phrase, RoutingRule.id)
        .options(selectinload(RoutingRule.zone), selectinload(RoutingRule.institution))
        .offset((page - 1) * per_page).limit(per_page)))
    return RulePage(rules, total, page, pages)


def _check_rule(values: dict, problems: dict, centre_id=ANY_CENTRE) -> None:
    zone_and_institution(values.get("zone_id"), values.get("institution_id"), problems,
                         centre_id)
    phrase = (values.get("phrase") or "").strip()
    if not phrase:
        add_problem(problems, "phrase", _("Enter a phrase."))
    elif len(phrase) > PHRASE_MAX:
        add_problem(problems, "phrase", _("%(count)s characters at most.", count=PHRASE_MAX))
    _check_weight(values, problems)


def _duplicates(rule: RoutingRule) -> list[str]:
    """A warning for each other active rule of the zone with the same phrase (the base rules
    and the centre's own: both count for the centre's zone of that code)."""
    phrase = normalise(rule.phrase)
    code = select(Zone.code).where(Zone.id == rule.zone_id).scalar_subquery()
    same_centre = (RoutingRule.centre_id.is_(None) if rule.centre_id is None else
                   or_(RoutingRule.centre_id.is_(None), RoutingRule.centre_id == rule.centre_id))
    others = db.session.scalars(select(RoutingRule).join(Zone, RoutingRule.zone_id == Zone.id)
                                .where(Zone.code == code, same_centre, RoutingRule.active,
                                       RoutingRule.id != rule.id))
    return [_("Rule #%(number)s of this zone has the same phrase; both count.", number=other.id)
            for other in others if normalise(other.phrase) == phrase]


def rule_of(actor: User, rule_id: int, centre_id: int | None = None) -> RoutingRule:
    """A rule the actor may change: their centre's own, or a base rule for whoever keeps
    the national rows. Another centre's rule is "no such item" (404); a base rule for a
    centre's admin is NationalRow (403: they read it, the national office keeps it)."""
    centre_id = scope_of(actor, centre_id)
    rule = get_row(RoutingRule, rule_id)
    if rule.centre_id is None:
        national_only(actor)
    elif rule.centre_id != centre_id:
        raise ManageError(_("No such item."))
    return rule


def create_rule(actor: User, values: dict,
                centre_id: int | None = None) -> tuple[RoutingRule, list[str]]:
    """A new routing rule of the centre (of the national office: a base rule); returns it
    and warnings (a duplicate phrase in the same zone)."""
    centre_id = scope_of(actor, centre_id)
    problems: dict = {}
    _check_rule(values, problems, ANY_CENTRE if centre_id is None else centre_id)
    raise_problems(problems)
    # A base rule's NULL is written out: a None would be the column's default centre.
    rule = RoutingRule(**{name: values[name] for name in RULE_FIELDS},
                       centre_id=centre_id if centre_id is not None else null())
    rule.phrase = rule.phrase.strip()
    record_creation(actor, "routing_rule", rule, RULE_FIELDS)
    warnings = _duplicates(rule) if rule.active else []
    db.session.commit()
    return rule, warnings


def update_rule(actor: User, rule_id: int, values: dict,
                centre_id: int | None = None) -> tuple[RoutingRule, list[str]]:
    """Change a routing rule (see rule_of); returns it and warnings as create_rule does."""
    rule = rule_of(actor, rule_id, centre_id)
    problems: dict = {}
    _check_rule(values, problems, ANY_CENTRE if rule.centre_id is None else rule.centre_id)
    raise_problems(problems)
    apply_changes(actor, "routing_rule", rule, {**values, "phrase": values["phrase"].strip()},
                  RULE_FIELDS)
    warnings = _duplicates(rule) if rule.active else []
    db.session.commit()
    return rule, warnings


def delete_rule(actor: User, rule_id: int, centre_id: int | None = None) -> None:
    """Delete a routing rule (see rule_of for whose); audited with what it was."""
    rule = rule_of(actor, rule_id, centre_id)
    record_change(actor, "delete", "routing_rule", rule.id,
                  before=snapshot(rule, ("centre_id", *RULE_FIELDS)))
    db.session.delete(rule)
    db.session.commit()
