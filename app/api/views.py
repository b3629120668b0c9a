"""Public endpoints of the JSON API v1."""

import json

from flask import Blueprint, current_app, jsonify, request

from app.api.errors import ApiError, bad_request, invalid, not_found
from app.api.openapi import openapi_document
from app.api.serializers import intake_json, zone_json
from app.extensions import limiter
from app.intake.errors import IntakeNotFound
from app.intake.forms import IntakeForm, intake_formdata
from app.intake.services import get_intake, list_needs, list_zones, need_choices, submit_intake

bp = Blueprint("api", __name__)


def public_read_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_READ"]


def public_write_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_WRITE"]


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.response()


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
