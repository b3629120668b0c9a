"""The OpenAPI 3 document of the API, served at /api/v1/openapi.json."""

from app.api.openapi_booking import BOOKING_PATHS, STAFF_PATHS

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object",
                       "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
    }},
}

RECOMMENDATION = {
    "type": "object",
    "required": ["code", "score", "reasons", "institution_id"],
    "properties": {
        "code": {"type": "string"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "institution_id": {"type": ["integer", "null"]},
    },
}

INTAKE = {
    "type": "object",
    "required": ["token", "stage", "recommended_zones"],
    "properties": {
        "token": {"type": "string"},
        "stage": {"type": "string", "enum": ["pre_bi", "bi", "post_bi", "established"]},
        "recommended_zones": {"type": "array", "items": RECOMMENDATION},
    },
}

INTAKE_BODY = {
    "type": "object",
    "required": ["company_name", "contact_name", "email", "phone", "consent_personal_info"],
    "properties": {
        "company_name": {"type": "string", "maxLength": 200},
        "business_number": {"type": ["string", "null"], "example": "123-45-67891"},
        "representative_name": {"type": ["string", "null"]},
        "contact_name": {"type": "string"},
        "email": {"type": "string", "format": "email"},
        "phone": {"type": "string", "example": "010-1234-5678"},
        "founded_on": {"type": ["string", "null"], "format": "date"},
        "industry": {"type": ["string", "null"]},
        "employees": {"type": ["integer", "null"], "minimum": 0},
        "region": {"type": ["string", "null"]},
        "needs": {"type": "array", "items": {"type": "string"}},
        "description": {"type": "string", "maxLength": 4000},
        "consent_personal_info": {"type": "boolean", "const": True},
        "consent_marketing": {"type": "boolean"},
    },
}

FIGURES = {"type": "object",
           "required": ["consultations", "finance_amount_krw", "patent_transfers",
                        "ip_applications"],
           "properties": {name: {"type": "integer", "minimum": 0} for name in (
               "consultations", "finance_amount_krw", "patent_transfers", "ip_applications")}}
FUNNEL_STEPS = ("intakes", "bookings", "appointments", "completed", "no_show", "cancelled")
STATS = {
    "type": "object",
    "required": ["from", "to", "zones", "funnel", "no_show_rate"],
    "properties": {
        "from": {"type": ["string", "null"], "format": "date"},
        "to": {"type": "string", "format": "date"},
        "zones": {"type": "object", "additionalProperties": FIGURES},
        "funnel": {"type": "object", "required": list(FUNNEL_STEPS), "properties": {
            name: {"type": "integer", "minimum": 0} for name in FUNNEL_STEPS}},
        "no_show_rate": {"type": "number", "minimum": 0, "maximum": 1},
    },
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return _json({"$ref": "#/components/schemas/Error"}, description)


def openapi_document() -> dict:
    """The document, built fresh (it is small)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Onestop API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {"schemas": {"Error": ERROR, "Intake": INTAKE},
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            **BOOKING_PATHS,
            **STAFF_PATHS,
            "/zones": {"get": {"summary": "Zones and their institutions", "responses": {
                "200": _json({"type": "object", "required": ["zones"],
                              "properties": {"zones": {"type": "array"}}}, "The zones"),
                "429": _error("Rate limited"),
            }}},
            "/needs": {"get": {"summary": "The need codes", "responses": {
                "200": _json({"type": "object", "required": ["needs"],
                              "properties": {"needs": {"type": "array"}}}, "The needs"),
                "429": _error("Rate limited"),
            }}},
            "/industries": {"get": {"summary": "The industry codes", "responses": {
                "200": _json({"type": "object", "required": ["industries"], "properties": {
                    "industries": {"type": "array", "items": {
                        "type": "object", "required": ["code", "label", "label_en"],
                        "properties": {name: {"type": "string"}
                                       for name in ("code", "label", "label_en")}}}}},
                    "The industries, 'other' last"),
                "429": _error("Rate limited"),
            }}},
            "/intakes": {"post": {
                "summary": "Submit a pre-screen",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": INTAKE_BODY}}},
                "responses": {
                    "201": _json({"type": "object", "required": ["intake"], "properties": {
                        "intake": {"$ref": "#/components/schemas/Intake"}}}, "Stored"),
                    "400": _error("Not a JSON object"),
                    "413": _error("Body over 1 MB"),
                    "422": _error("Invalid fields"),
                    "429": _error("Rate limited"),
                },
            }},
            "/intakes/{token}": {"get": {
                "summary": "A pre-screen by its private token",
                "parameters": [{"name": "token", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {
                    "200": _json({"type": "object", "required": ["intake"], "properties": {
                        "intake": {"$ref": "#/components/schemas/Intake"}}}, "The pre-screen"),
                    "404": _error("Unknown token"),
                    "429": _error("Rate limited"),
                },
            }},
            "/stats": {"get": {
                "summary": "Consultations per zone, funnel and no-show rate (admin token)",
                "security": [{"bearer": []}],
                "parameters": [{"name": name, "in": "query", "required": False,
                                "schema": {"type": "string", "format": "date"}}
                               for name in ("from", "to")],
                "responses": {
                    "200": _json(STATS, "The statistics of the period (centre-local dates)"),
                    "400": _error("Malformed date, or from after to"),
                    "401": _error("No valid Bearer token"),
                    "403": _error("Not an admin's token"),
                },
            }},
            "/import/consultations": {"post": {
                "summary": "Import past consultations from CSV, all or nothing (admin token)",
                "security": [{"bearer": []}],
                "requestBody": {"required": True, "content": {"text/csv": {"schema": {
                    "type": "string", "description": "UTF-8 (BOM optional); header " + ",".join(
                        ("date", "zone", "company_name", "business_number",
                         "finance_amount_krw", "patent_transfers", "ip_applications",
                         "summary"))}}}},
                "responses": {
                    "200": _json({"type": "object", "required": ["imported"], "properties": {
                        "imported": {"type": "integer", "minimum": 0}}},
                        "Imported (0 when this file was imported before)"),
                    "401": _error("No valid Bearer token"),
                    "403": _error("Not an admin's token"),
                    "413": _error("File over the import limit (10 MB)"),
                    "422": _error("Bad file, header, rows or columns; nothing imported"),
                },
            }},
        },
    }
