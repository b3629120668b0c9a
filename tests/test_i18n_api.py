"""The API's messages in one language at a time: Korean by default and for `Accept-Language:
ko`, English for `en`; `code` and the `fields` keys the same in both (API.md). A `?lang=` or
the pages' `lang` cookie never changes the API's language (README "Languages")."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_api_token
from app.extensions import db
from app.types import local_today
from tests.conftest import STAFF
from tests.language_helpers import HANGUL
from tests.test_booking_api import make_intake, pick, slots

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9"}


def token_of(app, email: str) -> dict:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return {"Authorization": f"Bearer {create_api_token(user)}"}


def messages_of(error: dict) -> list[str]:
    """The error's message and every field message."""
    return [error["message"], *(m for found in error.get("fields", {}).values() for m in found)]


def answers(client, method: str, path: str, status: int, headers: dict | None = None,
            **kwargs) -> dict[str, dict]:
    """The same request with no Accept-Language, with `ko` and with `en`: each one's error,
    after checking that all three have the status, the code and the field keys."""
    found = {}
    for name, language in (("default", {}), ("ko", KOREAN), ("en", ENGLISH)):
        response = client.open(path, method=method, headers={**(headers or {}), **language},
                               **kwargs)
        assert response.status_code == status, (name, response.get_data(as_text=True))
        assert response.headers["Content-Language"] == ("en" if name == "en" else "ko")
        found[name] = response.get_json()["error"]
    codes = {error["code"] for error in found.values()}
    assert len(codes) == 1
    assert len({tuple(sorted(error.get("fields", {}))) for error in found.values()}) == 1
    return found


def assert_one_language(found: dict[str, dict]) -> None:
    """Korean by default and for ko, English for en, each message in its own language."""
    default, korean, english = found["default"], found["ko"], found["en"]
    assert default == korean
    assert korean["message"] != english["message"]
    for message in messages_of(english):
        assert not HANGUL.search(message), message
    assert HANGUL.search(korean["message"]), korean["message"]
    for field in korean.get("fields", {}):
        assert len(korean["fields"][field]) == len(english["fields"][field])
        for ko, en in zip(korean["fields"][field], english["fields"][field], strict=True):
            assert HANGUL.search(ko) and ko != en, (field, ko, en)


@pytest.fixture
def booked_slot(app, client, intake_payload):
    """A legal-zone slot booked by one firm: (the slot, another firm's intake token)."""
    first = local_today_of(app)
    slot = slots(client, "legal", first, first + timedelta(days=14))[0]
    token = make_intake(client, intake_payload)
    response = client.post("/api/v1/bookings", json={"intake_token": token,
                                                     "appointments": [pick(slot)]})
    assert response.status_code == 201
    booking = response.get_json()["booking"]
    other = make_intake(client, intake_payload, company_name="주식회사 둘째")
    return slot, other, booking


def local_today_of(app):
    with app.app_context():
        return local_today()


# ---------------------------------------------------------------- 401, 403

def test_401_without_a_token(app, client):
    found = answers(client, "GET", f"/api/v1/agenda?date={local_today_of(app)}", 401)
    assert_one_language(found)
    assert found["en"] == {"code": "unauthorized", "message": "A valid Bearer token is needed."}
    assert found["ko"]["message"] == "유효한 API 토큰이 필요합니다."


def test_403_for_a_token_of_another_role(app, client, staff):
    found = answers(client, "GET", "/api/v1/advisers", 403,
                    headers=token_of(app, STAFF["adviser_a"]))
    assert_one_language(found)
    assert found["en"]["code"] == "forbidden"
    assert found["ko"]["message"] == "이 기능을 쓸 권한이 없습니다."


def test_403_for_another_advisers_agenda(app, client, staff):
    with app.app_context():
        other = db.session.scalar(select(User).where(User.email == STAFF["adviser_b"])).adviser
        other_id = other.id
    found = answers(client, "GET",
                    f"/api/v1/agenda?date={local_today_of(app)}&adviser_id={other_id}", 403,
                    headers=token_of(app, STAFF["adviser_a"]))
    assert_one_language(found)
    assert found["ko"]["message"] == "본인 일정만 볼 수 있습니다."


# ---------------------------------------------------------------- 404, 405

@pytest.mark.parametrize("path", ["/api/v1/bookings/no-such-token",
                                  "/api/v1/intakes/no-such-token", "/api/v1/no-such-thing"])
def test_404_for_what_does_not_exist(client, path):
    found = answers(client, "GET", path, 404)
    assert_one_language(found)
    assert found["ko"]["code"] == "not_found"


def test_404_for_an_unknown_appointment(app, client, staff):
    found = answers(client, "POST", "/api/v1/appointments/999999/check-in", 404,
                    headers=token_of(app, STAFF["admin"]))
    assert_one_language(found)


def test_405_for_a_method_a_path_does_not_take(client):
    assert_one_language(answers(client, "GET", "/api/v1/bookings", 405))


# ---------------------------------------------------------------- 409

def test_409_slot_taken(client, booked_slot):
    slot, other, _booking = booked_slot
    found = answers(client, "POST", "/api/v1/bookings", 409,
                    json={"intake_token": other, "appointments": [pick(slot)]})
    assert_one_language(found)
    assert found["ko"]["code"] == "slot_taken" and "fields" not in found["ko"]


def test_409_conflict_too_early_to_check_in(app, client, staff, booked_slot):
    _slot, _other, booking = booked_slot
    appointment_id = booking["appointments"][0]["id"]
    found = answers(client, "POST", f"/api/v1/appointments/{appointment_id}/check-in", 409,
                    headers=token_of(app, STAFF["admin"]))
    assert_one_language(found)
    assert found["ko"]["code"] == "conflict"


# ---------------------------------------------------------------- 422 with fields

def test_422_a_pre_screen_names_its_bad_fields_in_each_language(client, intake_payload):
    body = {**intake_payload, "company_name": "", "email": "not-an-address", "employees": -1,
            "phone": 12, "language": "fr", "founded_on": "2026-02-30", "needs": [1]}
    found = answers(client, "POST", "/api/v1/intakes", 422, json=body)
    assert_one_language(found)
    assert {"company_name", "email", "employees", "phone", "language", "needs"} <= set(
        found["ko"]["fields"])


def test_422_bad_appointments_are_named_in_each_language(client, intake_payload):
    token = make_intake(client, intake_payload)
    body = {"intake_token": token,
            "appointments": [1, {"zone": "", "adviser_id": "x", "start": "tomorrow"}]}
    found = answers(client, "POST", "/api/v1/bookings", 422, json=body)
    assert_one_language(found)
    problems = found["en"]["fields"]["appointments"]
    assert problems[0] == "[0]: Must be an object."
    assert [p.split(":")[0] for p in problems] == [p.split(":")[0] for p in found["ko"]["fields"][
        "appointments"]] == ["[0]", "[1].zone", "[1].adviser_id", "[1].start"]
    empty = answers(client, "POST", "/api/v1/bookings", 422,
                    json={"intake_token": token, "appointments": []})
    assert_one_language(empty)
    assert empty["ko"]["fields"]["appointments"] == ["상담을 하나 이상 보내 주세요."]


def test_422_an_outcomes_bad_figures(app, client, staff):
    found = answers(client, "POST", "/api/v1/appointments/999999/outcome", 422,
                    headers=token_of(app, STAFF["admin"]),
                    json={"summary": "상담", "finance_amount_krw": -1, "patent_transfers": "2"})
    assert_one_language(found)
    assert set(found["ko"]["fields"]) == {"finance_amount_krw", "patent_transfers"}


def test_422_a_waitlist_for_a_day_with_free_slots(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    day = slots(client, "legal", local_today_of(app), local_today_of(app) + timedelta(days=14))[0]
    found = answers(client, "POST", "/api/v1/waitlist", 422,
                    json={"intake_token": token, "zone": "legal", "date": day["start"][:10]})
    assert_one_language(found)


# ---------------------------------------------------------------- 400

@pytest.mark.parametrize("query", [
    "zone=legal&from=2026-13-01&to=2026-12-31",  # a malformed date
    "zone=legal&from=2026-12-31&to=2026-12-01",  # from after to
    "zone=legal&from=2026-01-01&to=2026-12-31",  # too long a range
    "zone=no-such-zone&from=2026-12-01&to=2026-12-02",  # an unknown zone
])
def test_400_a_bad_query(client, query):
    found = answers(client, "GET", f"/api/v1/slots?{query}", 400)
    assert_one_language(found)
    assert found["ko"]["code"] == "bad_request"


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"\\ud800"'])
def test_400_a_body_that_is_not_a_json_object(client, body):
    found = answers(client, "POST", "/api/v1/intakes", 400, data=body,
                    content_type="application/json")
    assert_one_language(found)


def test_400_a_bad_statistics_period(app, client, staff):
    admin = token_of(app, STAFF["admin"])
    for query in ("from=&to=2026-12-01", "from=2026-12-02&to=2026-12-01"):
        assert_one_language(answers(client, "GET", f"/api/v1/stats?{query}", 400, headers=admin))


# ---------------------------------------------------------------- 413, 429

def test_413_a_body_beyond_the_app_wide_limit(client):
    found = answers(client, "POST", "/api/v1/intakes", 413, data=b"x" * (1024 * 1024 + 1),
                    content_type="application/json")
    assert_one_language(found)
    assert found["ko"]["code"] == "too_large"


def test_413_an_import_beyond_its_own_limit(app, client, staff):
    app.config["IMPORT_MAX_BYTES"] = 2 * 1024 * 1024
    found = answers(client, "POST", "/api/v1/import/consultations", 413,
                    data=b"x" * (2 * 1024 * 1024 + 1),
                    headers={**token_of(app, STAFF["admin"]), "Content-Type": "text/csv"})
    assert_one_language(found)
    assert found["en"]["message"] == "The file is too large (2 MB at most); split it."


def test_429_too_many_requests(make_app):
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_READ="1 per minute").test_client()
    assert client.get("/api/v1/zones").status_code == 200
    found = answers(client, "GET", "/api/v1/zones", 429)
    assert_one_language(found)
    assert found["ko"]["code"] == "rate_limited"


# ---------------------------------------------------------------- only Accept-Language

def test_neither_lang_nor_the_cookie_changes_the_apis_language(client):
    path = "/api/v1/bookings/no-such-token"
    korean = client.get(path).get_json()["error"]["message"]
    english = client.get(path, headers=ENGLISH).get_json()["error"]["message"]
    assert HANGUL.search(korean) and not HANGUL.search(english)
    assert client.get(f"{path}?lang=en").get_json()["error"]["message"] == korean
    answer = client.get(f"{path}?lang=ko", headers=ENGLISH)
    assert answer.get_json()["error"]["message"] == english
    assert "Set-Cookie" not in answer.headers
    client.set_cookie("lang", "en")
    answer = client.get(path)
    assert answer.get_json()["error"]["message"] == korean
    assert answer.headers["Content-Language"] == "ko"
    client.set_cookie("lang", "ko")
    assert client.get(path, headers=ENGLISH).get_json()["error"]["message"] == english
