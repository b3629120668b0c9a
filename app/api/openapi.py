"""The OpenAPI 3 document of the API, served at /api/v1/openapi.json.

Every status an operation can answer is listed with its error code(s), so a client (and the
schemathesis run in tests/test_api_fuzz.py) can rely on the document as on API.md.
"""

from app.api.openapi_booking import BOOKING_PATHS, STAFF_PATHS
from app.api.openapi_parts import (
    BEARER,
    CENTRE,
    CENTRE_CODE,
    COUNT,
    DATE,
    DATE_TIME,
    ERROR,
    ID,
    RESPONSES,
    TOKEN,
    UNKNOWN_CENTRE,
    error,
    json_answer,
    json_body,
    obj,
    path_param,
    public,
    query_param,
    ref,
    staff,
    text,
    wrapped,
)
from app.intake.forms import DESCRIPTION_MAX
from app.states import Language

STAGES = ["pre_bi", "bi", "post_bi", "established"]
LANGUAGES = [language.value for language in Language]
RECOMMENDATION = obj(["code", "score", "reasons", "institution_id"], {
    "code": {"type": "string"},
    "score": {"type": "number", "minimum": 0, "maximum": 1},
    "reasons": {"type": "array", "items": {"type": "string"}},
    "institution_id": {**ID, "type": ["integer", "null"]},
})
INTAKE = obj(["token", "stage", "recommended_zones"], {
    "token": {"type": "string"},
    "stage": {"type": "string", "enum": STAGES},
    "recommended_zones": {"type": "array", "items": RECOMMENDATION,
                          "description": "By score, highest first"},
})
NULLABLE_TEXT = {"type": ["string", "null"]}
# Personal fields are null once the retention purge has erased them.
SUBMITTED = obj(["company_name", "business_number", "contact_name", "email", "phone",
                 "founded_on", "needs", "description"], {
    **{name: NULLABLE_TEXT for name in ("company_name", "representative_name", "contact_name",
                                        "email", "phone", "description", "industry", "region")},
    "business_number": {"type": ["string", "null"], "pattern": "^[0-9]{10}$"},
    "founded_on": {**DATE, "type": ["string", "null"]},
    "employees": {**COUNT, "type": ["integer", "null"]},
    "needs": {"type": "array", "items": {"type": "string"}},
    "consent_personal_info": {"type": "boolean"}, "consent_marketing": {"type": "boolean"},
    "language": {"type": "string", "enum": LANGUAGES},
    "created_at": DATE_TIME,
})
INTAKE_FULL = {"allOf": [{"$ref": "#/components/schemas/Intake"}, SUBMITTED]}

BUSINESS_NUMBER = {
    "type": ["string", "null"], "maxLength": 20, "format": "business-number",
    "example": "124-81-00998",
    "description": "10 digits, hyphens allowed, with the national check digit; required "
                   "unless founded_on is null",
}
INTAKE_BODY = obj(["company_name", "contact_name", "email", "phone", "consent_personal_info"], {
    "company_name": text(200, required=True),
    "business_number": BUSINESS_NUMBER,
    "representative_name": text(100, nullable=True),
    "contact_name": text(100, required=True),
    "email": {"type": "string", "format": "email", "maxLength": 254},
    "phone": {"type": "string", "maxLength": 30, "example": "010-1234-5678",
              "description": "A Korean number"},
    "founded_on": {**DATE, "type": ["string", "null"],
                   "description": "YYYY-MM-DD, not in the future; null: not founded yet"},
    "industry": text(100, nullable=True),
    "employees": {"type": ["integer", "null"], "minimum": 0, "maximum": 1_000_000},
    "region": text(100, nullable=True),
    "needs": {"type": "array", "items": {"type": "string"},
              "description": "Need codes (GET /needs); at least one unless description is given"},
    "description": text(DESCRIPTION_MAX),
    "consent_personal_info": {"type": "boolean", "const": True},
    "consent_marketing": {"type": "boolean"},
    "centre": {**CENTRE_CODE, "type": ["string", "null"],
               "description": "The centre the pre-screen is for (GET /centres); default: the "
                              "default centre"},
    "language": {"type": ["string", "null"], "enum": [*LANGUAGES, None],
                 "description": "The language of the firm's e-mails; default: the best of "
                                "Accept-Language, else ko"},
})

FIGURE_NAMES = ("finance_amount_krw", "patent_transfers", "ip_applications")
FIGURES = obj(["consultations", *FIGURE_NAMES],
              {name: COUNT for name in ("consultations", *FIGURE_NAMES)})
FUNNEL_STEPS = ("intakes", "bookings", "appointments", "completed", "no_show", "cancelled")
STATS = obj(["from", "to", "zones", "funnel", "no_show_rate"], {
    "from": {**DATE, "type": ["string", "null"]},
    "to": DATE,
    "zones": {"type": "object", "additionalProperties": FIGURES},
    "funnel": obj(FUNNEL_STEPS, {name: COUNT for name in FUNNEL_STEPS}),
    "no_show_rate": {"type": "number", "minimum": 0, "maximum": 1},
    "centres": {"type": "object", "description": "With more than one centre (`centre=a,b` or "
                "`all`): each centre's own zones, funnel and no-show rate, by centre code",
                "additionalProperties": obj(["zones", "funnel", "no_show_rate"], {
                    "zones": {"type": "object", "additionalProperties": FIGURES},
                    "funnel": obj(FUNNEL_STEPS, {name: COUNT for name in FUNNEL_STEPS}),
                    "no_show_rate": {"type": "number", "minimum": 0, "maximum": 1}})},
})
INSTITUTION = obj(["id", "name", "name_en"], {
    "id": ID, "name": {"type": "string"}, "name_en": NULLABLE_TEXT})
ZONE = obj(["code", "name", "name_en", "slot_minutes", "institutions"], {
    "code": {"type": "string"}, "name": {"type": "string"}, "name_en": NULLABLE_TEXT,
    "slot_minutes": {"type": "integer", "minimum": 1},
    "institutions": {"type": "array", "items": INSTITUTION}})
NEED = obj(["code", "zone", "label", "label_en"], {
    "code": {"type": "string"}, "zone": {"type": "string"}, "label": {"type": "string"},
    "label_en": NULLABLE_TEXT})
CSV_HEADER = ("date", "zone", "company_name", "business_number", "finance_amount_krw",
              "patent_transfers", "ip_applications", "summary")

CENTRE_ITEM = obj(["code", "name", "name_en", "region", "address", "phone", "zones"], {
    **{name: {"type": "string"} for name in ("code", "name", "name_en", "region", "address",
                                             "phone")},
    "zones": {"type": "array", "items": {"type": "string"},
              "description": "The centre's active zone codes"}})

PUBLIC_PATHS = {
    "/centres": {"get": {"summary": "The network's active centres, by code, with their zones",
                         "responses": public({"200": json_answer(wrapped(
                             "centres", {"type": "array", "items": CENTRE_ITEM}),
                             "The centres")})}},
    "/zones": {"get": {"summary": "A centre's zones and their institutions",
                       "parameters": [CENTRE], "responses": public({
        "200": json_answer(wrapped("zones", {"type": "array", "items": ZONE}), "The zones"),
        **UNKNOWN_CENTRE})}},
    "/needs": {"get": {"summary": "The need codes of a centre's zones",
                       "parameters": [CENTRE], "responses": public({
        "200": json_answer(wrapped("needs", {"type": "array", "items": NEED}), "The needs"),
        **UNKNOWN_CENTRE})}},
    "/industries": {"get": {"summary": "The industry codes", "responses": public({
        "200": json_answer(wrapped("industries", {"type": "array", "items": obj(
            ["code", "label", "label_en"],
            {name: {"type": "string"} for name in ("code", "label", "label_en")})}),
            "The industries, 'other' last")})}},
    "/intakes": {"post": {
        "summary": "Submit a pre-screen",
        "requestBody": json_body(INTAKE_BODY),
        "responses": public({
            "201": json_answer(wrapped("intake", {"$ref": "#/components/schemas/Intake"}),
                               "Stored"),
            "400": ref("NotJson"), "404": error("Unknown or inactive centre", "not_found"),
            "413": ref("TooLarge"),
            "422": error("Invalid fields, each named in `fields`", "invalid")}),
    }},
    "/intakes/{token}": {"get": {
        "summary": "A pre-screen by its private token",
        "parameters": [path_param("token", TOKEN)],
        "responses": public({
            "200": json_answer(wrapped("intake", INTAKE_FULL), "The pre-screen"),
            "404": error("Unknown token", "not_found")}),
    }},
}

ADMIN_PATHS = {
    "/stats": {"get": {
        "summary": "Consultations per zone, funnel and no-show rate (admin or national token)",
        "security": BEARER,
        "parameters": [query_param("from", DATE), query_param("to", DATE), query_param(
            "centre", {**CENTRE_CODE, "description": "CODE, a,b or all (national); an "
                       "admin's own centre only"})],
        "responses": staff({
            "200": json_answer(STATS, "The statistics of the period (centre-local dates)"),
            "400": error("Malformed date, or from after to", "bad_request"),
            "403": error("Not an admin's or national token, or another centre", "forbidden"),
            **UNKNOWN_CENTRE}),
    }},
    "/import/consultations": {"post": {
        "summary": "Import past consultations from CSV, all or nothing (admin token)",
        "security": BEARER,
        "requestBody": {"required": True, "content": {"text/csv": {"schema": {
            "type": "string",
            "description": "UTF-8 (BOM optional); header " + ",".join(CSV_HEADER)}}}},
        "responses": staff({
            "200": json_answer(wrapped("imported", COUNT),
                               "Imported (0 when this file was imported before)"),
            "403": error("Not an admin's token", "forbidden"),
            "413": error("File over the import limit (10 MB)", "too_large"),
            "422": error("Bad file, header, rows or columns; nothing imported", "invalid")}),
    }},
}


def openapi_document() -> dict:
    """The document, built fresh (it is small)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Onestop API", "version": "1",
                 "description": "The contract is API.md; this document describes it."},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": {"Error": ERROR, "Intake": INTAKE},
            "responses": RESPONSES,
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "A staff API token (flask --app wsgi create-token EMAIL)"}},
        },
        "paths": {**PUBLIC_PATHS, **BOOKING_PATHS, **STAFF_PATHS, **ADMIN_PATHS},
    }

