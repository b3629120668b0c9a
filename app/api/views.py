"""Public endpoints of the JSON API v1."""

import json
from datetime import date

from flask import Blueprint, current_app, jsonify, request

from app.api.booking import parse_requests
from app.api.errors import ApiError, bad_request, invalid, not_found
from app.api.openapi import openapi_document
from app.api.serializers import booking_json, intake_json, slot_json, zone_json
from app.booking.errors import BookingConflict, BookingNotFound, InvalidBooking, SlotTaken
from app.booking.services import book_visit, cancel_booking, get_booking, reschedule_booking
from app.booking.waitlist import join_waitlist
from app.extensions import limiter
from app.intake.errors import IntakeNotFound
from app.intake.forms import IntakeForm, intake_formdata
from app.intake.industries import INDUSTRIES
from app.intake.services import get_intake, list_needs, list_zones, need_choices, submit_intake
from app.zones.availability import free_slots
from app.zones.errors import UnknownZone

MAX_SLOT_RANGE_DAYS = 62

bp = Blueprint("api", __name__)


def public_read_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_READ"]


def public_write_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_WRITE"]


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.response()


@bp.errorhandler(InvalidBooking)
def invalid_booking(error: InvalidBooking):
    return invalid(error.fields or {"appointments": [error.message]}).response()


@bp.errorhandler(SlotTaken)
def slot_taken(error: SlotTaken):
    return ApiError(409, "slot_taken", error.message).response()


@bp.errorhandler(BookingConflict)
def booking_conflict(error: BookingConflict):
    return ApiError(409, "conflict", error.message).response()


@bp.errorhandler(BookingNotFound)
@bp.errorhandler(IntakeNotFound)
def unknown_token(error: LookupError):
    return not_found(str(error)).response()


def json_object() -> dict:
    """The request body as a JSON object, or 400 bad_request."""
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise bad_request("본문이 올바른 JSON이 아닙니다. / The body is not valid JSON.") from error
    if not isinstance(body, dict):
        raise bad_request("본문은 JSON 객체여야 합니다. / The body must be a JSON object.")
    return body


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/zones")
@limiter.limit(public_read_limit)
def zones():
    return jsonify({"zones": [zone_json(zone) for zone in list_zones()]})


@bp.get("/needs")
@limiter.limit(public_read_limit)
def needs():
    return jsonify({"needs": [
        {"code": n.code, "zone": n.zone.code, "label": n.label, "label_en": n.label_en}
        for n in list_needs()
    ]})


@bp.get("/industries")
@limiter.limit(public_read_limit)
def industries():
    return jsonify({"industries": [
        {"code": i.code, "label": i.label, "label_en": i.label_en} for i in INDUSTRIES
    ]})


@bp.post("/intakes")
@limiter.limit(public_write_limit)
def create_intake():
    formdata, type_errors = intake_formdata(json_object())
    form = IntakeForm(formdata=formdata, need_choices=need_choices(list_needs()),
                      meta={"csrf": False})
    valid = form.validate()
    if type_errors or not valid:
        fields = {name: list(errors) for name, errors in form.errors.items()
                  if name != "not_founded"}
        fields.update(type_errors)
        raise invalid(fields)
    intake, token = submit_intake(form.values())
    return jsonify({"intake": intake_json(intake, token)}), 201


@bp.get("/intakes/<token>")
@limiter.limit(public_read_limit)
def show_intake(token: str):
    try:
        intake = get_intake(token)
    except IntakeNotFound as error:
        raise not_found(str(error)) from error
    return jsonify({"intake": intake_json(intake, token, full=True)})


def _date_arg(name: str) -> date:
    value = request.args.get(name, "")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise bad_request(f"{name}은(는) YYYY-MM-DD 날짜여야 합니다. / {name} must be a date "
                          "as YYYY-MM-DD.") from error


def _int_arg(name: str) -> int | None:
    value = request.args.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise bad_request(f"{name}은(는) 정수입니다. / {name} must be an integer.")
    return int(value)


@bp.get("/slots")
@limiter.limit(public_read_limit)
def slots():
    first, last = _date_arg("from"), _date_arg("to")
    if first > last:
        raise bad_request("from이 to보다 늦습니다. / from is after to.")
    if (last - first).days + 1 > MAX_SLOT_RANGE_DAYS:
        raise bad_request(f"한 번에 {MAX_SLOT_RANGE_DAYS}일까지 조회할 수 있습니다. "
                          f"/ Ask for {MAX_SLOT_RANGE_DAYS} days at most.")
    try:
        found = free_slots(request.args.get("zone", ""), first, last,
                           adviser_id=_int_arg("adviser_id"),
                           institution_id=_int_arg("institution_id"))
    except UnknownZone as error:
        raise bad_request(str(error)) from error
    return jsonify({"slots": [slot_json(slot) for slot in found]})


@bp.post("/bookings")
@limiter.limit(public_write_limit)
def create_booking():
    body = json_object()
    token = body.get("intake_token")
    if not isinstance(token, str) or not token:
        raise invalid({"intake_token": ["필수 항목입니다. / intake_token is required."]})
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
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise invalid({"reason": ["문자열이어야 합니다. / reason must be a string."]})
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
    fields = {}
    if not isinstance(body.get("intake_token"), str):
        fields["intake_token"] = ["필수 항목입니다. / intake_token is required."]
    if not isinstance(body.get("zone"), str):
        fields["zone"] = ["필수 항목입니다. / zone is required."]
    try:
        day = date.fromisoformat(body.get("date") or "")
    except (TypeError, ValueError):
        fields["date"] = ["YYYY-MM-DD 날짜여야 합니다. / date must be YYYY-MM-DD."]
    if fields:
        raise invalid(fields)
    entry = join_waitlist(body["intake_token"], body["zone"], day)
    return jsonify({"waitlist": {"zone": body["zone"], "date": entry.day.isoformat(),
                                 "status": entry.status}}), 201
