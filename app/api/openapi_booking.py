"""OpenAPI paths of the booking and staff endpoints (merged into openapi.openapi_document)."""

from app.api.openapi_parts import (
    BEARER,
    CENTRE,
    COUNT,
    DATE,
    DATE_TIME,
    ID,
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
from app.states import AppointmentStatus, BookingStatus
from app.visits.services import FIGURE_BOUNDS

NULLABLE_TEXT = {"type": ["string", "null"]}
STATUSES = [status.value for status in AppointmentStatus]
SLOT = obj(["zone", "adviser_id", "adviser_name", "institution_id", "institution", "start",
            "end"], {
    "zone": {"type": "string"}, "adviser_id": ID, "adviser_name": {"type": "string"},
    "institution_id": {**ID, "type": ["integer", "null"]}, "institution": NULLABLE_TEXT,
    "start": DATE_TIME, "end": DATE_TIME})
APPOINTMENT_FIELDS = {
    "id": ID, "zone": {"type": "string"}, "adviser_id": ID, "adviser_name": {"type": "string"},
    "institution": NULLABLE_TEXT, "start": DATE_TIME, "end": DATE_TIME,
    "status": {"type": "string", "enum": STATUSES}}
APPOINTMENT = obj(list(APPOINTMENT_FIELDS), APPOINTMENT_FIELDS)
BOOKING = obj(["token", "status", "date", "appointments"], {
    "token": {"type": "string"},
    "status": {"type": "string", "enum": [s.value for s in BookingStatus]},
    "date": DATE, "appointments": {"type": "array", "items": APPOINTMENT}})
REQUESTS = {"type": "array", "minItems": 1, "maxItems": 3,
            "description": "One per zone, all on the same day, not overlapping",
            "items": obj(["zone", "adviser_id", "start"], {
                "zone": {"type": "string", "minLength": 1}, "adviser_id": ID,
                "start": DATE_TIME})}

OUTCOME_FIELDS = {"summary": text(10_000), "follow_up": text(10_000),
                  **{name: {**COUNT, "maximum": bound} for name, bound in FIGURE_BOUNDS.items()}}
OUTCOME = {"type": "object", "properties": OUTCOME_FIELDS}
# An agenda entry: the appointment plus the firm's pre-screen (personal fields null once
# the retention purge has erased them), and the outcome once one is recorded.
BRIEFING_FIELDS = {
    "booking_id": ID, "company_name": NULLABLE_TEXT,
    "stage": {"type": "string", "enum": ["pre_bi", "bi", "post_bi", "established"]},
    "needs": {"type": "array", "items": {"type": "string"}}, "description": NULLABLE_TEXT,
    "contact_name": NULLABLE_TEXT, "email": NULLABLE_TEXT, "phone": NULLABLE_TEXT}
BRIEFING = {"type": "object", "required": [*APPOINTMENT_FIELDS, *BRIEFING_FIELDS],
            "properties": {**APPOINTMENT_FIELDS, **BRIEFING_FIELDS, "outcome": obj(
                list(OUTCOME_FIELDS), {**OUTCOME_FIELDS, "summary": {"type": "string"},
                                       "follow_up": {"type": "string"}})}}
ADVISER = obj(["id", "name", "email", "zone", "institution_id", "institution", "active"], {
    "id": ID, "name": {"type": "string"}, "email": NULLABLE_TEXT, "zone": {"type": "string"},
    "institution_id": {**ID, "type": ["integer", "null"]}, "institution": NULLABLE_TEXT,
    "active": {"type": "boolean"}})
NULLABLE_DATE = {**DATE, "type": ["string", "null"]}
ZONE_CODES = {"type": "array", "items": {"type": "string"}}
PLANS = obj(["date", "suggested_date", "institutions", "days", "full_zones", "plans"], {
    "date": NULLABLE_DATE, "suggested_date": NULLABLE_DATE,
    "institutions": {"type": "array", "items": obj(
        ["zone", "institution_id", "institution", "institution_en", "reason"], {
            "zone": {"type": "string"}, "institution_id": ID,
            "institution": {"type": "string"}, "institution_en": {"type": "string"},
            "reason": {"type": "string", "enum": ["recommended", "chosen"]}})},
    "days": {"type": "array", "items": obj(
        ["date", "state", "free_zones", "full_zones", "institution_ids"], {
            "date": DATE, "state": {"type": "string", "enum": ["all", "some", "full"]},
            "free_zones": ZONE_CODES, "full_zones": ZONE_CODES,
            "institution_ids": {"type": "array", "items": ID}})},
    "full_zones": ZONE_CODES,
    "plans": {"type": "array", "items": obj(["preferred", "appointments"], {
        "preferred": {"type": "boolean"},
        "appointments": {"type": "array", "items": SLOT}})}})
WAITLIST = obj(["zone", "date", "status", "position"], {
    "zone": {"type": "string"}, "date": DATE, "status": {"type": "string"},
    "position": {"type": "integer", "minimum": 1,
                 "description": "The firm's place in that day's queue"}})

BOOKING_ANSWER = json_answer(wrapped("booking", BOOKING), "The booking")
TOKEN_PARAM = path_param("token", TOKEN)
APPOINTMENT_PARAM = path_param("appointment_id", ID)
BOOKING_PATHS = {
    "/slots": {"get": {
        "summary": "Free slots of a zone between two dates (at most 62 days, to inclusive)",
        "parameters": [query_param("zone", {"type": "string"}, True),
                       query_param("from", DATE, True), query_param("to", DATE, True),
                       query_param("adviser_id", ID), query_param("institution_id", ID),
                       CENTRE],
        "responses": public({
            "200": json_answer(wrapped("slots", {"type": "array", "items": SLOT}),
                               "Free slots, by start (of the centre's zone)"),
            "400": error("Unknown zone, malformed date or id, from after to, over 62 days",
                         "bad_request"), **UNKNOWN_CENTRE})}},
    "/plans": {"get": {
        "summary": "The next four weeks' days and a day's plans for a pre-screen, the "
                   "recommended institution first",
        "parameters": [
            query_param("intake_token", TOKEN, True), query_param("date", DATE),
            query_param("zones", {"type": "string", "description":
                                  "Zone codes, comma-separated (default: the recommended)"}),
            query_param("institution_id", {"type": "string", "pattern": r"^(any|\d+(,\d+)*)$",
                                           "description": "Preferred institution ids, or any "
                                           "(default: the recommended one)"})],
        "responses": public({
            "200": json_answer(PLANS, "Days, the day shown (the suggested one without date) "
                               "and its plans in time order, the preferred institution's "
                               "first"),
            "400": error("Malformed date, token or id; unknown zone or institution",
                         "bad_request"),
            "404": error("Unknown intake token", "not_found")})}},
    "/bookings": {"post": {
        "summary": "Book a visit of one to three appointments, all or nothing",
        "requestBody": json_body(obj(["intake_token", "appointments"], {
            "intake_token": TOKEN, "appointments": REQUESTS})),
        "responses": public({
            "201": json_answer(wrapped("booking", BOOKING), "Booked"),
            "400": ref("NotJson"), "404": error("Unknown intake token", "not_found"),
            "409": error("slot_taken: a slot is not free (nothing booked); conflict: this "
                         "intake holds a booking for that zone", "slot_taken", "conflict"),
            "413": ref("TooLarge"),
            "422": error("Invalid appointments", "invalid")})}},
    "/bookings/{token}": {"get": {
        "summary": "A booking by its private token", "parameters": [TOKEN_PARAM],
        "responses": public({"200": BOOKING_ANSWER,
                             "404": error("Unknown token", "not_found")})}},
    "/bookings/{token}/cancel": {"post": {
        "summary": "Cancel the whole visit (again: no change)", "parameters": [TOKEN_PARAM],
        "requestBody": json_body({"type": "object", "properties": {
            "reason": {**text(1000, nullable=True), "description": "Kept to 1000 characters"}}},
            required=False),
        "responses": public({
            "200": BOOKING_ANSWER, "400": ref("NotJson"),
            "404": error("Unknown token", "not_found"),
            "409": error("The visit has begun", "conflict"), "413": ref("TooLarge"),
            "422": error("reason is not text", "invalid")})}},
    "/bookings/{token}/reschedule": {"post": {
        "summary": "Move the visit: the new slots or the old ones", "parameters": [TOKEN_PARAM],
        "requestBody": json_body(obj(["appointments"], {"appointments": REQUESTS})),
        "responses": public({
            "200": BOOKING_ANSWER, "400": ref("NotJson"),
            "404": error("Unknown token", "not_found"),
            "409": error("slot_taken: a new slot is not free (the old ones stay); conflict: "
                         "the visit cannot move", "slot_taken", "conflict"),
            "413": ref("TooLarge"), "422": error("Invalid appointments", "invalid")})}},
    "/waitlist": {"post": {
        "summary": "Join a full day's waitlist for a zone (joining again: the same entry)",
        "requestBody": json_body(obj(["intake_token", "zone", "date"], {
            "intake_token": TOKEN, "zone": {"type": "string", "minLength": 1},
            "date": DATE})),
        "responses": public({
            "201": json_answer(wrapped("waitlist", WAITLIST), "Waiting"),
            "400": ref("NotJson"), "404": error("Unknown intake token", "not_found"),
            "409": error("The intake holds this zone already", "conflict"),
            "413": ref("TooLarge"),
            "422": error("Bad fields, or the day is not full", "invalid")})}},
}


def _staff_action(summary: str, body: dict | None = None) -> dict:
    answers = {"200": json_answer(wrapped("appointment", BRIEFING),
                                  "The appointment with its briefing"),
               "403": error("Another adviser's appointment, or not a staff token",
                            "forbidden"),
               "404": error("Unknown appointment", "not_found"),
               "409": error("Too early, or cancelled", "conflict"),
               "422": error("Invalid outcome", "invalid")}
    operation = {"summary": summary, "security": BEARER, "parameters": [APPOINTMENT_PARAM]}
    if body:
        operation["requestBody"] = json_body(body)
        answers.update({"400": ref("NotJson"), "413": ref("TooLarge")})
    return {"post": {**operation, "responses": staff(answers)}}


STAFF_PATHS = {
    "/agenda": {"get": {
        "summary": "A day's appointments with each firm's pre-screen", "security": BEARER,
        "parameters": [query_param("date", DATE, True), query_param("adviser_id", ID)],
        "responses": staff({
            "200": json_answer(wrapped("appointments", {"type": "array", "items": BRIEFING}),
                               "The agenda"),
            "400": error("Malformed date or adviser id", "bad_request"),
            "403": error("Another adviser's agenda, or not a staff token", "forbidden"),
            "404": error("No such adviser", "not_found")})}},
    "/advisers": {"get": {
        "summary": "Every adviser (admins)", "security": BEARER,
        "responses": staff({
            "200": json_answer(wrapped("advisers", {"type": "array", "items": ADVISER}),
                               "The advisers"),
            "403": error("Not an admin", "forbidden")})}},
    "/appointments/{appointment_id}/check-in": _staff_action("The visitor arrived"),
    "/appointments/{appointment_id}/no-show": _staff_action("Nobody came"),
    "/appointments/{appointment_id}/outcome": _staff_action("Record the outcome", OUTCOME),
}
