"""OpenAPI paths of the booking and staff endpoints (merged into openapi.openapi_document)."""


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return _json({"$ref": "#/components/schemas/Error"}, description)


def _object(name: str, schema: dict) -> dict:
    return {"type": "object", "required": [name], "properties": {name: schema}}


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer" if name.endswith("id") else "string"}}


def _query(name: str, required: bool = False, kind: str = "string") -> dict:
    return {"name": name, "in": "query", "required": required, "schema": {"type": kind}}


BEARER = [{"bearer": []}]
SLOT = {"type": "object", "required": ["zone", "adviser_id", "adviser_name", "institution_id",
                                       "institution", "start", "end"],
        "properties": {"zone": {"type": "string"}, "adviser_id": {"type": "integer"},
                       "adviser_name": {"type": "string"},
                       "institution_id": {"type": ["integer", "null"]},
                       "institution": {"type": ["string", "null"]},
                       "start": {"type": "string", "format": "date-time"},
                       "end": {"type": "string", "format": "date-time"}}}
APPOINTMENT = {"type": "object",
               "required": ["id", "zone", "adviser_id", "adviser_name", "institution", "start",
                            "end", "status"],
               "properties": {"id": {"type": "integer"}, "zone": {"type": "string"},
                              "adviser_id": {"type": "integer"},
                              "adviser_name": {"type": "string"},
                              "institution": {"type": ["string", "null"]},
                              "start": {"type": "string", "format": "date-time"},
                              "end": {"type": "string", "format": "date-time"},
                              "status": {"type": "string", "enum": [
                                  "booked", "checked_in", "completed", "cancelled",
                                  "no_show"]}}}
BOOKING = {"type": "object", "required": ["token", "status", "date", "appointments"],
           "properties": {"token": {"type": "string"},
                          "status": {"type": "string", "enum": ["booked", "cancelled"]},
                          "date": {"type": "string", "format": "date"},
                          "appointments": {"type": "array", "items": APPOINTMENT}}}
REQUESTS = {"type": "array", "minItems": 1, "maxItems": 3, "items": {
    "type": "object", "required": ["zone", "adviser_id", "start"],
    "properties": {"zone": {"type": "string"}, "adviser_id": {"type": "integer"},
                   "start": {"type": "string", "format": "date-time"}}}}


def _booking_answer(extra: dict) -> dict:
    return {"200": _json(_object("booking", BOOKING), "The booking"),
            "404": _error("Unknown token"), "429": _error("Rate limited"), **extra}


def _staff_action(summary: str, body: dict | None = None) -> dict:
    operation = {"summary": summary, "security": BEARER,
                 "parameters": [_path("appointment_id")],
                 "responses": {"200": _json(_object("appointment", APPOINTMENT),
                                            "The appointment with its briefing"),
                               "401": _error("No valid token"),
                               "403": _error("Another adviser's appointment"),
                               "404": _error("Unknown appointment"),
                               "409": _error("Too early, or cancelled"),
                               "422": _error("Invalid figures")}}
    if body:
        operation["requestBody"] = {"content": {"application/json": {"schema": body}}}
    return {"post": operation}


OUTCOME = {"type": "object", "properties": {
    "summary": {"type": "string"}, "follow_up": {"type": "string"},
    **{name: {"type": "integer", "minimum": 0}
       for name in ("finance_amount_krw", "patent_transfers", "ip_applications")}}}

BOOKING_PATHS = {
    "/slots": {"get": {
        "summary": "Free slots of a zone between two dates (at most 62 days)",
        "parameters": [_query("zone", True), _query("from", True), _query("to", True),
                       _query("adviser_id", kind="integer"),
                       _query("institution_id", kind="integer")],
        "responses": {"200": _json(_object("slots", {"type": "array", "items": SLOT}),
                                   "Free slots, by start"),
                      "400": _error("Bad zone, dates or range"),
                      "429": _error("Rate limited")}}},
    "/bookings": {"post": {
        "summary": "Book a visit of one to three appointments, all or nothing",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["intake_token", "appointments"],
            "properties": {"intake_token": {"type": "string"}, "appointments": REQUESTS}}}}},
        "responses": {"201": _json(_object("booking", BOOKING), "Booked"),
                      "400": _error("Not a JSON object"),
                      "404": _error("Unknown intake token"),
                      "409": _error("slot_taken, or conflict"),
                      "422": _error("Invalid appointments"),
                      "429": _error("Rate limited")}}},
    "/bookings/{token}": {"get": {"summary": "A booking by its private token",
                                  "parameters": [_path("token")],
                                  "responses": _booking_answer({})}},
    "/bookings/{token}/cancel": {"post": {
        "summary": "Cancel the whole visit (again: no change)",
        "parameters": [_path("token")],
        "requestBody": {"content": {"application/json": {"schema": {
            "type": "object", "properties": {"reason": {"type": "string"}}}}}},
        "responses": _booking_answer({"409": _error("The visit has begun")})}},
    "/bookings/{token}/reschedule": {"post": {
        "summary": "Move the visit: the new slots or the old ones",
        "parameters": [_path("token")],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["appointments"],
            "properties": {"appointments": REQUESTS}}}}},
        "responses": _booking_answer({"409": _error("slot_taken, or conflict"),
                                      "422": _error("Invalid appointments")})}},
    "/waitlist": {"post": {
        "summary": "Join a full day's waitlist for a zone",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["intake_token", "zone", "date"],
            "properties": {"intake_token": {"type": "string"}, "zone": {"type": "string"},
                           "date": {"type": "string", "format": "date"}}}}}},
        "responses": {"201": _json(_object("waitlist", {"type": "object"}), "Waiting"),
                      "404": _error("Unknown intake token"),
                      "409": _error("The intake holds this zone already"),
                      "422": _error("Bad fields, or the day is not full")}}},
}

STAFF_PATHS = {
    "/agenda": {"get": {
        "summary": "A day's appointments with each firm's pre-screen", "security": BEARER,
        "parameters": [_query("date", True), _query("adviser_id", kind="integer")],
        "responses": {"200": _json(_object("appointments", {"type": "array"}), "The agenda"),
                      "400": _error("Bad date"), "401": _error("No valid token"),
                      "403": _error("Another adviser's agenda")}}},
    "/advisers": {"get": {
        "summary": "Every adviser (admins)", "security": BEARER,
        "responses": {"200": _json(_object("advisers", {"type": "array"}), "The advisers"),
                      "401": _error("No valid token"), "403": _error("Not an admin")}}},
    "/appointments/{appointment_id}/check-in": _staff_action("The visitor arrived"),
    "/appointments/{appointment_id}/no-show": _staff_action("Nobody came"),
    "/appointments/{appointment_id}/outcome": _staff_action("Record the outcome", OUTCOME),
}
