"""What a stranger sends: every malformed value is a 4xx naming it, never a 500, and changes
nothing. Each case of the security review (issue "Ready for a public launch") is here.

The test app propagates unexpected errors, so a request that would have been a 500 fails
the test with its real traceback instead of passing as a polite error page.
"""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import create_api_token
from app.extensions import db
from app.inputs import InputError, load_json, parse_date, parse_id, parse_moment, parse_text
from app.intake.models import Intake
from app.main.security import safe_local_path
from app.types import local_today
from tests.conftest import STAFF, STAFF_PASSWORD

BIG = str(2**31)


def count_intakes(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Intake))


def staff_token(app, email: str) -> dict:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return {"Authorization": f"Bearer {create_api_token(user)}"}


def post_json(client, path: str, body, **kwargs):
    """POST a body as a stranger's client would send it: JSON with \\u escapes, so a lone
    surrogate can travel (the test client's own json= cannot encode one)."""
    return client.post(path, data=json.dumps(body), content_type="application/json", **kwargs)


def error_of(response) -> dict:
    return response.get_json()["error"]


# --- the parsers themselves ------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "①", "١", "-1", "1.0", " ", "", BIG, "1e3", True, 2**63])
def test_an_id_is_ascii_digits_within_an_integer_column(value):
    with pytest.raises(InputError):
        parse_id(value, "adviser_id")
    assert parse_id(str(2**31 - 1), "x") == 2**31 - 1


@pytest.mark.parametrize("value", ["2026-1-1", "20260101", "0001-01-01", "9999-12-31",
                                   "2026-02-30", "２０２６-01-01", "", None, "2026-01-01T00:00"])
def test_a_date_is_strictly_yyyy_mm_dd_in_a_sane_range(value):
    with pytest.raises(InputError):
        parse_date(value, "date")


@pytest.mark.parametrize("value", ["0001-01-01T10:00:00+09:00", "9999-12-31T23:59:59+09:00",
                                   "2026-12-01T10:00:00", "tomorrow", 5, None])
def test_a_booking_time_is_aware_and_within_the_horizon(value):
    with pytest.raises(InputError):
        parse_moment(value, "start")


@pytest.mark.parametrize("value", ["   ", "\u3000", "\u00a0", "\t\n", "\u200b", "\ufeff \u200d"])
def test_required_text_of_only_blanks_or_zero_width_is_missing(value):
    with pytest.raises(InputError, match="required"):
        parse_text(value, "company_name", required=True)


@pytest.mark.parametrize("value", ["a\x00b", "\ud800", "a\x1bb", "a\rb", "\x7f"])
def test_text_refuses_nul_controls_and_lone_surrogates(value):
    with pytest.raises(InputError):
        parse_text(value, "description")


def test_text_is_nfc_normalised_and_keeps_tabs_and_newlines():
    decomposed = "\u1112\u1161\u11ab"  # 한 as three jamo
    assert parse_text(f" {decomposed}\r\nline\tend ", "x") == "한\nline\tend"


def test_json_depth_is_bounded_without_recursing():
    from app.inputs import MalformedBody

    with pytest.raises(MalformedBody):
        load_json(b"[" * 1000 + b"]" * 1000)
    with pytest.raises(MalformedBody):
        load_json(b'{"a":' * 40 + b"1" + b"}" * 40)
    with pytest.raises(InputError) as found:
        load_json(b'{"appointments": [{"zone": "\\ud800"}]}')
    assert found.value.field == "appointments[0].zone"


@pytest.mark.parametrize("target", ["/admin\r\nSet-Cookie: x=1", "/a\nb", "//evil.example",
                                    "https://evil.example/", "/\\evil"])
def test_a_redirect_target_with_a_line_break_or_another_host_is_refused(target):
    assert safe_local_path(target) is None


# --- the public API ---------------------------------------------------------------------


def test_json_nested_a_thousand_deep_is_400(client):
    body = b'{"company_name": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    for path in ("/api/v1/intakes", "/api/v1/bookings", "/api/v1/waitlist"):
        response = client.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, path
        assert error_of(response)["code"] == "bad_request"


@pytest.mark.parametrize("field", ["company_name", "contact_name", "description", "email",
                                   "phone", "region", "representative_name"])
@pytest.mark.parametrize("bad", ["\ud800", "x\x00y", "x\x08y"])
def test_a_lone_surrogate_or_control_character_in_any_text_is_422_and_stores_nothing(
        app, client, intake_payload, field, bad):
    before = count_intakes(app)
    response = post_json(client, "/api/v1/intakes", {**intake_payload, field: bad})
    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert count_intakes(app) == before


@pytest.mark.parametrize("blank", ["   ", "\u3000", "\u00a0", "\t\n", "\u200b"])
@pytest.mark.parametrize("field", ["company_name", "contact_name"])
def test_a_name_of_only_blanks_is_missing(app, client, intake_payload, field, blank):
    before = count_intakes(app)
    response = client.post("/api/v1/intakes", json={**intake_payload, field: blank})
    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert count_intakes(app) == before


def test_a_name_of_only_blanks_is_missing_on_the_page_too(app, client):
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/intake/", data={"company_name": "\u3000\u200b",
                                             "contact_name": "\u00a0"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count("이 항목은 필수입니다.") >= 2  # WTForms' own message, in Korean
    assert count_intakes(app) == 0


@pytest.mark.parametrize("value", ["2026-1-1", "20220315", "0001-01-01"])
def test_founded_on_is_strictly_a_date(client, intake_payload, value):
    response = client.post("/api/v1/intakes", json={**intake_payload, "founded_on": value})
    assert response.status_code == 422
    assert "founded_on" in error_of(response)["fields"]


@pytest.mark.parametrize("value", ["1_000", "²", "1e3"])
def test_employees_are_ascii_digits(client, value):
    from werkzeug.datastructures import MultiDict

    from app.intake.forms import IntakeForm

    with client.application.test_request_context():
        form = IntakeForm(formdata=MultiDict({"employees": value}), meta={"csrf": False})
        form.validate()
        assert form.employees.errors


@pytest.mark.parametrize("name", ["adviser_id", "institution_id"])
@pytest.mark.parametrize("value", [BIG, "²", "①", "-1"])
def test_slot_filters_take_only_real_ids(app, client, name, value):
    with app.app_context():
        today = local_today()
    response = client.get("/api/v1/slots", query_string={
        "zone": "legal", "from": today.isoformat(),
        "to": (today + timedelta(days=7)).isoformat(), name: value})
    assert response.status_code == 400
    assert name in error_of(response)["message"]


@pytest.mark.parametrize("query", ["zone=%00", "zone=legal&from=2026-01-01%00", "x%00=1"])
def test_a_nul_in_any_query_parameter_is_400(client, query):
    response = client.get(f"/api/v1/slots?{query}")
    assert response.status_code == 400


def test_a_lone_surrogate_in_a_token_is_refused(client):
    response = post_json(client, "/api/v1/bookings", {"intake_token": "\ud800",
                                                      "appointments": []})
    assert response.status_code == 422
    assert "intake_token" in error_of(response)["fields"]
    assert client.get("/api/v1/bookings/%ED%A0%80").status_code in (400, 404)
    assert client.get("/booking/%00").status_code == 400


def _intake(client, payload) -> str:
    return client.post("/api/v1/intakes", json=payload).get_json()["intake"]["token"]


def _legal_slots(client) -> list[dict]:
    with client.application.app_context():
        first = local_today()
    return client.get("/api/v1/slots", query_string={
        "zone": "legal", "from": first.isoformat(),
        "to": (first + timedelta(days=14)).isoformat()}).get_json()["slots"]


@pytest.mark.parametrize("adviser_id", [2**31, 2**63, 2**64, -1, "²", 1.5, None])
def test_a_booking_for_an_adviser_id_past_an_integer_column_is_422(client, intake_payload,
                                                                   adviser_id):
    token = _intake(client, intake_payload)
    slot = _legal_slots(client)[0]
    response = client.post("/api/v1/bookings", json={"intake_token": token, "appointments": [
        {"zone": "legal", "adviser_id": adviser_id, "start": slot["start"]}]})
    assert response.status_code == 422
    assert "adviser_id" in " ".join(error_of(response)["fields"]["appointments"])


@pytest.mark.parametrize("start", ["0001-01-01T10:00:00+09:00", "9999-12-31T10:00:00+09:00",
                                   "0001-01-01T00:00:00+14:00"])
def test_a_booking_at_year_1_or_9999_is_422(client, intake_payload, start):
    token = _intake(client, intake_payload)
    slot = _legal_slots(client)[0]
    response = client.post("/api/v1/bookings", json={"intake_token": token, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": start}]})
    assert response.status_code == 422
    assert "start" in " ".join(error_of(response)["fields"]["appointments"])


def test_a_time_that_is_not_a_slot_is_422_even_near_an_appointment(client, intake_payload):
    """Only a real slot lost to someone else is slot_taken; 7 minutes past one is no slot."""
    from datetime import datetime

    slot = _legal_slots(client)[0]
    first = _intake(client, intake_payload)
    booked = client.post("/api/v1/bookings", json={"intake_token": first, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": slot["start"]}]})
    assert booked.status_code == 201
    second = _intake(client, {**intake_payload, "email": "other@hanbit.example"})
    near = (datetime.fromisoformat(slot["start"]) + timedelta(minutes=7)).isoformat()
    response = client.post("/api/v1/bookings", json={"intake_token": second, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": near}]})
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"
    taken = client.post("/api/v1/bookings", json={"intake_token": second, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": slot["start"]}]})
    assert taken.status_code == 409
    assert error_of(taken)["code"] == "slot_taken"


def test_waitlist_fields_are_parsed_at_the_boundary(client):
    response = client.post("/api/v1/waitlist", json={"intake_token": "\u3000", "zone": 5,
                                                     "date": "2026-1-1"})
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"intake_token", "zone", "date"}


def test_api_answers_are_utf8_json_with_korean_as_is(client):
    response = client.get("/api/v1/zones")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert "법률존".encode() in response.data
    assert b"\\u" not in response.data


# --- staff API and pages -----------------------------------------------------------------


@pytest.mark.parametrize("date_value", ["0001-01-01", "9999-12-31", "20260101", "2026-1-1", ""])
def test_agenda_dates_are_strict_on_the_api_and_the_page(app, client, auth, staff, date_value):
    headers = staff_token(app, STAFF["admin"])
    response = client.get("/api/v1/agenda", query_string={"date": date_value}, headers=headers)
    assert response.status_code == 400
    auth.login(STAFF["admin"])
    if date_value:  # the page without a date shows today
        assert client.get("/adviser/", query_string={"date": date_value}).status_code == 400


@pytest.mark.parametrize("value", [BIG, "²", "①"])
def test_agenda_adviser_filter_takes_only_real_ids(app, client, auth, staff, value):
    headers = staff_token(app, STAFF["admin"])
    with app.app_context():
        today = local_today().isoformat()
    response = client.get("/api/v1/agenda", query_string={"date": today, "adviser_id": value},
                          headers=headers)
    assert response.status_code == 400
    auth.login(STAFF["admin"])
    assert client.get("/adviser/", query_string={"adviser_id": value}).status_code == 200


@pytest.mark.parametrize("path", [
    f"/api/v1/appointments/{BIG}/check-in", f"/api/v1/appointments/{2**70}/no-show",
    "/api/v1/appointments/²/outcome"])
def test_appointment_ids_past_64_bits_are_404(app, client, staff, path):
    headers = staff_token(app, STAFF["admin"])
    assert client.post(path, json={}, headers=headers).status_code == 404


@pytest.mark.parametrize("path", [f"/adviser/appointments/{BIG}/outcome",
                                  f"/admin/advisers/{BIG}/edit", f"/admin/zones/{2**64}/edit"])
def test_page_routes_with_ids_past_64_bits_are_404(app, client, auth, staff, path):
    auth.login(STAFF["admin"])
    assert client.get(path).status_code == 404


def test_outcome_figures_are_bounded(app, client, staff, booked):
    appointment_id, _ = booked
    headers = staff_token(app, STAFF["admin"])
    response = client.post(f"/api/v1/appointments/{appointment_id}/outcome", headers=headers,
                           json={"summary": "x", "finance_amount_krw": 10**12 + 1,
                                 "patent_transfers": 2**63})
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"finance_amount_krw", "patent_transfers"}
    response = client.post(f"/api/v1/appointments/{appointment_id}/outcome", headers=headers,
                           json={"summary": "x\x00"})
    assert response.status_code == 422


def test_a_crlf_in_next_never_reaches_the_location_header(app, client, staff):
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/auth/login?next=/admin/%0D%0ASet-Cookie:%20x=1",
                           data={"email": STAFF["admin"], "password": STAFF_PASSWORD})
    assert response.status_code == 400
    assert "x=1" not in str(response.headers)
    response = client.post("/auth/login?next=/admin/zones",
                           data={"email": STAFF["admin"], "password": STAFF_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/zones"


def test_stats_refuse_an_empty_to_and_malformed_dates(app, client):
    headers = staff_token(app, STAFF["admin"])
    for query in ({"to": ""}, {"from": ""}, {"to": "2026-1-1"}, {"from": "0001-01-01"},
                  {"to": "9999-12-31"}):
        response = client.get("/api/v1/stats", query_string=query, headers=headers)
        assert response.status_code == 400, query
    assert client.get("/api/v1/stats", headers=headers).status_code == 200
