"""Public endpoints of the JSON API v1."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from app.api.booking import parse_requests, plans_answer
from app.api.errors import answer, bad_request, invalid, not_found
from app.api.openapi import openapi_document
from app.api.serializers import booking_json, centre_json, intake_json, slot_json, zone_json
from app.booking.services import book_visit, cancel_booking, get_booking, reschedule_booking
from app.booking.waitlist import join_waitlist, queue_position
from app.centres.services import list_centres, request_centre
from app.errors import DomainError
from app.extensions import limiter, public_read_limit, public_write_limit
from app.inputs import (
    InputError,
    MalformedBody,
    load_json,
    parse_choice,
    parse_date,
    parse_id,
    parse_text,
)
from app.intake.errors import IntakeNotFound
from app.intake.forms import IntakeForm, intake_formdata
from app.intake.industries import INDUSTRIES
from app.intake.services import get_intake, list_needs, list_zones, need_choices, submit_intake
from app.main.i18n import current_language
from app.states import Language
from app.types import center_tz
from app.zones.availability import free_slots
from app.zones.errors import UnknownZone

MAX_SLOT_RANGE_DAYS = 62

bp = Blueprint("api", __name__)


@bp.errorhandler(DomainError)
def domain_error(error: DomainError):
    """Every domain error a view lets through, ApiError included, in the API's shape."""
    return answer(error).response()


def json_object() -> dict:
    """The request body as a JSON object (app/inputs.load_json), or 400 / 422."""
    try:
        body = load_json(request.get_data(cache=True))
    except MalformedBody as error:
        raise bad_request(error.message) from error
    except InputError as error:
        raise invalid({error.field: [error.message]}) from error
    if not isinstance(body, dict):
        raise bad_request(_("The body must be a JSON object."))
    return body


def query_arg(parse, name: str, *, optional: bool = False):
    """A query parameter through one of app/inputs' parsers, or 400 bad_request naming it."""
    value = request.args.get(name)
    if optional and value is None:
        return None
    try:
        return parse(value, name)
    except InputError as error:
        raise bad_request(f"{name}: {error.message}") from error


def body_fields(body: dict, **fields: tuple) -> dict:
    """Body fields through app/inputs' parsers, given as name=(parser, options); 422 invalid
    naming every bad one."""
    values, errors = {}, {}
    for name, (parse, options) in fields.items():
        try:
            values[name] = parse(body.get(name), name, **options)
        except InputError as error:
            errors[name] = [error.message]
    if errors:
        raise invalid(errors)
    return values


TOKEN = (parse_text, {"required": True, "max_length": 200})


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/centres")
@limiter.limit(public_read_limit)
def centres():
    """The active centres by code, each with its active zones' codes."""
    return jsonify({"centres": [
        centre_json(centre, [zone.code for zone in list_zones(centre.id)])
        for centre in list_centres()]})


@bp.get("/zones")
@limiter.limit(public_read_limit)
def zones():
    centre = request_centre()
    return jsonify({"zones": [zone_json(zone) for zone in list_zones(centre.id)]})


@bp.get("/needs")
@limiter.limit(public_read_limit)
def needs():
    centre = request_centre()
    return jsonify({"needs": [
        {"code": n.code, "zone": n.zone.code, "label": n.label, "label_en": n.label_en}
        for n in list_needs(centre.id)
    ]})


@bp.get("/industries")
@limiter.limit(public_read_limit)
def industries():
    return jsonify({"industries": [
        {"code": i.code, "label": i.label, "label_en": i.label_en} for i in INDUSTRIES
    ]})


def body_centre(body: dict) -> str | None:
    """The body's `centre` (a code; None when not given), or 422 naming it."""
    value = body.get("centre")
    if value is not None and not isinstance(value, str):
        raise invalid({"centre": [_("Give a centre's code as text.")]})
    return value


def mail_language(value) -> str:
    """The body's `language`, else the best of Accept-Language, else Korean (API.md)."""
    if value is None:
        return current_language()
    return parse_choice(value, "language", choices=tuple(Language))


@bp.post("/intakes")
@limiter.limit(public_write_limit)
def create_intake():
    body = json_object()
    centre = request_centre(body_centre(body))
    formdata, type_errors = intake_formdata(body)
    form = IntakeForm(formdata=formdata, need_choices=need_choices(list_needs(centre.id)),
                      meta={"csrf": False})
    valid = form.validate()
    try:
        language = mail_language(body.get("language"))
    except InputError as error:
        type_errors[error.field] = [error.message]
    if type_errors or not valid:
        fields = {name: list(errors) for name, errors in form.errors.items()
                  if name != "not_founded"}
        fields.update(type_errors)
        raise invalid(fields)
    intake, token = submit_intake({**form.values(), "language": language,
                                   "centre_id": centre.id})
    return jsonify({"intake": intake_json(intake, token)}), 201


@bp.get("/intakes/<token>")
@limiter.limit(public_read_limit)
def show_intake(token: str):
    try:
        intake = get_intake(token)
    except IntakeNotFound as error:
        raise not_found(str(error)) from error
    return jsonify({"intake": intake_json(intake, token, full=True)})


@bp.get("/slots")
@limiter.limit(public_read_limit)
def slots():
    centre = request_centre()
    first, last = query_arg(parse_date, "from"), query_arg(parse_date, "to")
    if first > last:
        raise bad_request(_("from is after to."))
    if (last - first).days + 1 > MAX_SLOT_RANGE_DAYS:
        raise bad_request(_("Ask for %(days)s days at most.", days=MAX_SLOT_RANGE_DAYS))
    try:
        found = free_slots(request.args.get("zone", ""), first, last,
                           adviser_id=query_arg(parse_id, "adviser_id", optional=True),
                           institution_id=query_arg(parse_id, "institution_id", optional=True),
                           centre_id=centre.id)
    except UnknownZone as error:
        raise bad_request(str(error)) from error
    zone = center_tz()
    return jsonify({"slots": [slot_json(slot, zone) for slot in found]})


@bp.get("/plans")
@limiter.limit(public_read_limit)
def plans():
    return jsonify(plans_answer(request.args))


@bp.post("/bookings")
@limiter.limit(public_write_limit)
def create_booking():
    body = json_object()
    token = body_fields(body, intake_token=TOKEN)["intake_token"]
    booking, booking_token = book_visit(token, parse_requests(body.get("appointments")))
    return jsonify({"booking": booking_json(booking, booking_token)}), 201


@bp.get("/bookings/<token>")
@limiter.limit(public_read_limit)
def show_booking(token: str):
    return jsonify({"booking": booking_json(get_booking(token), token)})


@bp.post("/bookings/<token>/cancel")
@limiter.limit(public_write_limit)
def cancel(token: str):
    body = json_object() if request.get_data(cache=True).strip() else {}
    reason = body_fields(body, reason=(parse_text, {"max_length": 1000}))["reason"] or None
    return jsonify({"booking": booking_json(cancel_booking(token, reason), token)})


@bp.post("/bookings/<token>/reschedule")
@limiter.limit(public_write_limit)
def reschedule(token: str):
    requests = parse_requests(json_object().get("appointments"))
    return jsonify({"booking": booking_json(reschedule_booking(token, requests), token)})


@bp.post("/waitlist")
@limiter.limit(public_write_limit)
def waitlist():
    body = json_object()
    values = body_fields(body, intake_token=TOKEN,
                         zone=(parse_text, {"required": True, "max_length": 50}),
                         date=(parse_date, {}))
    entry = join_waitlist(values["intake_token"], values["zone"], values["date"])
    return jsonify({"waitlist": {"zone": values["zone"], "date": entry.day.isoformat(),
                                 "status": entry.status,
                                 "position": queue_position(entry)}}), 201
