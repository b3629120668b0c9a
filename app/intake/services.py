"""Submitting a pre-screen, routing it to zones, and reading it back by its token."""

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import selectinload

from app.centres.services import centre_or_default
from app.extensions import db
from app.intake.errors import IntakeNotFound
from app.intake.models import Intake, Need, RoutingRule
from app.intake.notifications import notify_received
from app.intake.routing import NeedRule, Rule, route
from app.intake.rules import growth_stage
from app.states import Language
from app.tokens import hash_token, new_token
from app.types import local_today, utcnow
from app.zones.models import Institution, Zone


def list_zones(centre_id: int | None = None) -> list[Zone]:
    """A centre's active zones (the default centre's unless `centre_id` names another) in
    display order, with their institutions."""
    return list(db.session.scalars(
        select(Zone).where(Zone.centre_id == centre_or_default(centre_id), Zone.active)
        .order_by(Zone.sort_order, Zone.id)
        .options(selectinload(Zone.institutions))
    ))


def list_needs(centre_id: int | None = None) -> list[Need]:
    """Active needs of a centre's active zones, in display order. A need names its zone by
    the zone's code, so a need is offered by every centre that has a zone of that code."""
    centre_id = centre_or_default(centre_id)
    own = select(Zone.code).where(Zone.centre_id == centre_id, Zone.active)
    needs = db.session.scalars(
        select(Need).join(Zone).where(Need.active, Zone.active, Zone.code.in_(own))
        .order_by(Zone.centre_id != centre_id, Zone.sort_order, Zone.id, Need.sort_order,
                  Need.id)
        .options(selectinload(Need.zone)))
    seen: set[str] = set()
    return [need for need in needs if not (need.code in seen or seen.add(need.code))]


def recommend(description: str, need_codes: list[str],
              centre_id: int | None = None) -> list[dict]:
    """Zones of a centre that fit the needs and description, best first, with readable
    reasons. The national rules (no centre) and the centre's own rules count, each for the
    centre's zone of its zone's code."""
    centre_id = centre_or_default(centre_id)
    zones = list_zones(centre_id)
    institutions = {i.id: i for zone in zones for i in zone.institutions}
    codes = {zone.code for zone in zones}
    chosen = (db.session.scalars(select(Need).where(Need.code.in_(need_codes))
                                 .options(selectinload(Need.zone)))
              if need_codes else [])
    need_rules = [
        NeedRule(n.code, n.zone.code,
                 institutions[n.institution_id].code if n.institution_id in institutions else None,
                 n.label, n.label_en, n.weight)
        for n in chosen if n.zone.code in codes
    ]
    rules = [
        Rule(zone_code,
             institutions[r.institution_id].code if r.institution_id in institutions else None,
             r.phrase, r.weight)
        for r, zone_code in db.session.execute(
            select(RoutingRule, Zone.code).join(Zone, RoutingRule.zone_id == Zone.id)
            .where(RoutingRule.active, or_(RoutingRule.centre_id.is_(None),
                                           RoutingRule.centre_id == centre_id))
            .order_by(RoutingRule.id)
        )
        if zone_code in codes
    ]
    scores = route(
        description,
        need_rules,
        rules,
        zone_names={z.code: (z.name, z.name_en) for z in zones},
        institution_names={i.code: (i.name, i.name_en) for i in institutions.values()},
    )
    id_of = {i.code: i.id for i in institutions.values()}
    return [
        {"code": s.zone, "score": s.score, "reasons": s.reasons,
         "institution_id": id_of.get(s.institution) if s.institution else None}
        for s in scores
    ]


def submit_intake(values: dict, now: datetime | None = None) -> tuple[Intake, str]:
    """Store a validated pre-screen with its consent, and write the mail with its private
    link to the outbox in the same transaction; returns it and its private token."""
    intake, token = add_intake(values, now)
    if current_app.config.get("MAIL_PRESCREEN_RECEIPT", True):
        notify_received(intake, token)
    db.session.commit()
    return intake, token


def add_intake(values: dict, now: datetime | None = None,
               source: str = "online") -> tuple[Intake, str]:
    """Add a pre-screen to the current transaction (flushed, not committed).

    `values["language"]` is the language of the firm's e-mails; Korean when not given (a
    walk-in registered at the desk). `values["centre_id"]` is the centre it is for; the
    default centre when not given."""
    now = now or utcnow()
    centre_id = values.get("centre_id")  # None: the column's default, the default centre
    token, digest = new_token()
    needs = (list(db.session.scalars(select(Need).where(Need.code.in_(values["need_codes"]))))
             if values["need_codes"] else [])
    intake = Intake(
        token_hash=digest,
        **({"centre_id": centre_id} if centre_id is not None else {}),
        created_at=now,
        source=source,
        company_name=values["company_name"],
        business_number=values["business_number"],
        representative_name=values["representative_name"],
        contact_name=values["contact_name"],
        email=values["email"],
        phone=values["phone"],
        description=values["description"],
        founded_on=values["founded_on"],
        stage=growth_stage(values["founded_on"], local_today()),
        industry=values["industry"],
        employees=values["employees"],
        region=values["region"],
        recommendation=recommend(values["description"], values["need_codes"], centre_id),
        language=values.get("language", Language.KO),
        consent_personal_info_at=now,
        consent_notice_version=current_app.config["CONSENT_NOTICE_VERSION"],
        consent_marketing=values["consent_marketing"],
        consent_marketing_at=now if values["consent_marketing"] else None,
        retention_until=now + timedelta(days=current_app.config["INTAKE_RETENTION_DAYS"]),
        needs=needs,
    )
    db.session.add(intake)
    db.session.flush()
    return intake, token


def get_intake(token: str) -> Intake:
    """The pre-screen behind a private token; IntakeNotFound if none (or it was erased)."""
    intake, _nothing = get_intake_with(token, None, needs=True)
    return intake


def get_intake_with(token: str, value: ColumnElement | None, *,
                    needs: bool = False) -> tuple[Intake, Any]:
    """The pre-screen behind a private token and one more value read in the same statement
    (a booking asks whether the firm holds a zone already); IntakeNotFound as get_intake."""
    query = select(Intake, value) if value is not None else select(Intake)
    query = query.where(Intake.token_hash == hash_token(token))
    if needs:
        query = query.options(selectinload(Intake.needs))
    row = db.session.execute(query).first()
    if row is None or row[0].purged_at is not None:
        raise IntakeNotFound(_("No pre-screen has this link."))
    return row[0], row[1] if value is not None else None


def need_choices(needs: list[Need]) -> list[tuple[str, str]]:
    """(code, label) pairs for the form's needs field."""
    return [(n.code, n.label) for n in needs]


def institution_by_id(institution_id: int | None) -> Institution | None:
    """An institution, for showing a recommendation's best fit."""
    return db.session.get(Institution, institution_id) if institution_id else None
