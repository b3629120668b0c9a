"""Staff endpoints of the JSON API v1: agenda, advisers, check-in, no-show, outcome."""

from flask import g, jsonify
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.auth import api_staff
from app.api.errors import ApiError
from app.api.serializers import appointment_json
from app.api.views import body_fields, bp, json_object, query_arg
from app.centres.scope import own_centre
from app.extensions import db
from app.inputs import parse_date, parse_id, parse_text
from app.visits.services import (
    OUTCOME_FIGURES,
    agenda,
    check_in,
    mark_no_show,
    outcome_of,
    record_outcome,
)
from app.visits.staff import centre_adviser
from app.zones.models import Adviser, Zone


def briefing_json(appointment, centre_id: int | None = None) -> dict:
    """An agenda entry: the appointment plus the firm's pre-screen (`centre_id`: the
    request's centre, which the appointment was found in)."""
    intake = appointment.booking.intake
    body = appointment_json(appointment)
    body.update({
        "booking_id": appointment.booking_id,
        "company_name": intake.company_name, "stage": intake.stage,
        "needs": [need.code for need in intake.needs], "description": intake.description,
        "contact_name": intake.contact_name, "email": intake.email, "phone": intake.phone,
    })
    outcome = outcome_of(appointment.id, centre_id)
    if outcome is not None:
        body["outcome"] = {"summary": outcome.summary, "follow_up": outcome.follow_up,
                           "finance_amount_krw": outcome.finance_amount_krw,
                           "patent_transfers": outcome.patent_transfers,
                           "ip_applications": outcome.ip_applications}
    return body


@bp.get("/agenda")
@api_staff()
def staff_agenda():
    user = g.api_user
    centre_id = own_centre(user).id  # the request's centre, once: another named is 403
    day = query_arg(parse_date, "date")
    asked = query_arg(parse_id, "adviser_id", optional=True)
    if asked is not None and centre_adviser(asked, centre_id) is None:
        # another centre's adviser is as unknown as one that does not exist
        raise ApiError(404, "not_found", _("No such adviser."))
    if user.is_admin:
        adviser_id = asked
    else:
        if user.adviser is None or (asked is not None and asked != user.adviser.id):
            raise ApiError(403, "forbidden", _("You may see only your own agenda."))
        adviser_id = user.adviser.id
    return jsonify({"appointments": [briefing_json(a, centre_id)
                                     for a in agenda(day, adviser_id, centre_id)]})


@bp.get("/advisers")
@api_staff("admin")
def advisers():
    centre_id = own_centre(g.api_user).id
    rows = db.session.scalars(select(Adviser).join(Zone, Adviser.zone_id == Zone.id).where(
        Zone.centre_id == centre_id).order_by(Adviser.id).options(
        selectinload(Adviser.user), selectinload(Adviser.zone),
        selectinload(Adviser.institution)))
    return jsonify({"advisers": [{
        "id": a.id, "name": a.name, "email": a.user.email if a.user else None,
        "zone": a.zone.code, "institution_id": a.institution_id,
        "institution": a.institution.name if a.institution else None, "active": a.active,
    } for a in rows]})


def _act(action, appointment_id: int, *args):
    """Run an adviser's action at the user's centre (another centre's appointment is 404);
    a refusal is answered by the blueprint's domain-error handler."""
    centre_id = own_centre(g.api_user).id
    appointment = action(g.api_user, appointment_id, *args, centre_id=centre_id)
    return jsonify({"appointment": briefing_json(appointment, centre_id)})


@bp.post("/appointments/<int:appointment_id>/check-in")
@api_staff()
def api_check_in(appointment_id: int):
    return _act(check_in, appointment_id)


@bp.post("/appointments/<int:appointment_id>/no-show")
@api_staff()
def api_no_show(appointment_id: int):
    return _act(mark_no_show, appointment_id)


@bp.post("/appointments/<int:appointment_id>/outcome")
@api_staff()
def api_outcome(appointment_id: int):
    body = json_object()
    values = body_fields(body, summary=(parse_text, {"max_length": 10000}),
                         follow_up=(parse_text, {"max_length": 10000}))
    values.update({name: body.get(name, 0) for name in OUTCOME_FIGURES})
    return _act(record_outcome, appointment_id, values)
