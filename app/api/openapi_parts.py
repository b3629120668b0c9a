"""Building blocks of the OpenAPI document: value types, the error shape, shared answers."""

from app.inputs import MAX_ID

# The codes of API.md's error shape ("Codes used").
ERROR_CODES = ("invalid", "bad_request", "not_found", "slot_taken", "conflict", "unauthorized",
               "forbidden", "rate_limited", "too_large", "unavailable")

DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD, centre-local"}
DATE_TIME = {"type": "string", "format": "date-time",
             "description": "ISO 8601 with offset, e.g. 2026-12-01T10:00:00+09:00"}
ID = {"type": "integer", "format": "int32", "minimum": 1, "maximum": MAX_ID}
COUNT = {"type": "integer", "format": "int64", "minimum": 0}
TOKEN = {"type": "string", "minLength": 1, "maxLength": 200,
         "description": "A private token (URL-safe, as handed out)"}
BEARER = [{"bearer": []}]


def text(max_length: int, required: bool = False, nullable: bool = False) -> dict:
    """A text field: NFC, no control characters but tab and newline; at most max_length."""
    schema: dict = {"type": ["string", "null"] if nullable else "string",
                    "maxLength": max_length}
    if required:
        schema["minLength"] = 1
        schema["description"] = "Required: only spaces or zero-width characters count as missing"
    return schema


def obj(required: list[str] | tuple[str, ...], properties: dict) -> dict:
    return {"type": "object", "required": list(required), "properties": properties}


def wrapped(name: str, schema: dict) -> dict:
    """{"<name>": schema}, the envelope of every answer."""
    return obj([name], {name: schema})


def json_answer(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def json_body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def error(description: str, *codes: str) -> dict:
    """An error answer whose `code` is one of `codes` (of ERROR_CODES)."""
    return json_answer({"allOf": [
        {"$ref": "#/components/schemas/Error"},
        {"properties": {"error": {"properties": {"code": {"enum": list(codes)}}}}},
    ]}, description)


def ref(name: str) -> dict:
    return {"$ref": f"#/components/responses/{name}"}


def path_param(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def query_param(name: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema}


CENTRE_CODE = {"type": "string", "maxLength": 32, "example": "gyeongnam",
               "description": "A centre's code (GET /centres); without it the default centre"}
CENTRE = query_param("centre", CENTRE_CODE)
UNKNOWN_CENTRE = {"404": error("Unknown or inactive centre", "not_found")}


ERROR = obj(["error"], {"error": {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "enum": list(ERROR_CODES)},
        "message": {"type": "string", "minLength": 1},
        "fields": {"type": "object", "description": "Validation errors only: field -> messages",
                   "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}})

RETRY_AFTER = {"description": "Seconds to wait before trying again",
               "schema": {"type": "integer", "minimum": 0}}

# Answers many operations share, under components/responses.
RESPONSES = {
    "NotJson": error("The body is not JSON, or not a JSON object", "bad_request"),
    "BadParameter": error("A query parameter or path part is malformed, or holds a NUL, a "
                          "control character or a lone surrogate", "bad_request"),
    "TooLarge": error("The body is over the limit (1 MB)", "too_large"),
    "Unauthorized": error("No valid Bearer token", "unauthorized"),
    "RateLimited": {**error("Too many calls from this address", "rate_limited"),
                    "headers": {"Retry-After": RETRY_AFTER}},
    "Unavailable": {**error("The database is busy beyond its timeout; try again",
                            "unavailable"),
                    "headers": {"Retry-After": {**RETRY_AFTER, "required": True}}},
}


def public(answers: dict) -> dict:
    """A public operation's answers: these plus 400 (a malformed parameter, unless the
    operation names its own 400), 429 (rate limited) and 503."""
    return {"400": ref("BadParameter"), **answers, "429": ref("RateLimited"),
            "503": ref("Unavailable")}


def staff(answers: dict) -> dict:
    """A staff operation's answers: these plus 400 (a malformed parameter, unless named),
    401 (no valid token) and 503."""
    return {"400": ref("BadParameter"), **answers, "401": ref("Unauthorized"),
            "503": ref("Unavailable")}
