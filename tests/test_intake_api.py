"""The pre-screen through the JSON API: shapes, errors, and nothing stored on bad input."""

import json
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.intake.models import Intake


def count_intakes(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Intake))


def post(client, body, **kwargs):
    return client.post("/api/v1/intakes", json=body, **kwargs)


def test_zones_lists_each_zone_with_its_institutions(client):
    response = client.get("/api/v1/zones")
    assert response.status_code == 200
    assert response.content_type == "application/json; charset=utf-8"
    zones = {zone["code"]: zone for zone in response.get_json()["zones"]}
    assert set(zones) == {"legal", "finance", "patent"}
    assert zones["legal"]["name"] == "법률존"
    assert zones["legal"]["slot_minutes"] == 60
    finance_names = {i["name_en"] for i in zones["finance"]["institutions"]}
    assert finance_names == {"KODIT", "KIBO", "KDB", "IBK"}
    assert all(set(i) == {"id", "name", "name_en"} for i in zones["finance"]["institutions"])


def test_needs_has_at_least_five_per_zone_in_both_languages(client):
    needs = client.get("/api/v1/needs").get_json()["needs"]
    for zone in ("legal", "finance", "patent"):
        assert len([n for n in needs if n["zone"] == zone]) >= 5
    assert {"code": "contract_review", "zone": "legal", "label": "계약서 검토",
            "label_en": "Contract review"} in needs
    assert all(n["label"] and n["label_en"] for n in needs)


def test_a_valid_intake_is_stored_and_routed(app, client, intake_payload):
    response = post(client, intake_payload)
    assert response.status_code == 201, response.get_json()
    intake = response.get_json()["intake"]
    assert set(intake) == {"token", "stage", "recommended_zones"}
    assert intake["stage"] == "post_bi"  # founded 2022-03-15, more than 3 years before today
    codes = [zone["code"] for zone in intake["recommended_zones"]]
    assert set(codes) >= {"legal", "patent"}
    scores = [zone["score"] for zone in intake["recommended_zones"]]
    assert scores == sorted(scores, reverse=True)
    for zone in intake["recommended_zones"]:
        assert set(zone) == {"code", "score", "reasons", "institution_id"}
        assert zone["reasons"]
    assert len(intake["token"]) >= 43
    assert count_intakes(app) == 1


def test_the_intake_reads_back_with_its_fields(client, intake_payload):
    token = post(client, intake_payload).get_json()["intake"]["token"]
    response = client.get(f"/api/v1/intakes/{token}")
    assert response.status_code == 200
    intake = response.get_json()["intake"]
    assert intake["token"] == token
    assert intake["company_name"] == "주식회사 한빛테크"
    assert intake["business_number"] == "1248100998"
    assert intake["phone"] == "010-1234-5678"
    assert intake["founded_on"] == "2022-03-15"
    assert intake["needs"] == ["contract_review"]
    assert intake["employees"] == 12
    assert intake["consent_marketing"] is False


def test_the_database_keeps_only_the_tokens_hash(app, client, intake_payload):
    token = post(client, intake_payload).get_json()["intake"]["token"]
    with app.app_context():
        stored = db.session.scalar(select(Intake))
        assert stored.token_hash != token
        assert token not in json.dumps([stored.token_hash, stored.recommendation])
        assert stored.consent_notice_version
        assert stored.consent_personal_info_at is not None
        assert stored.consent_marketing_at is None
        assert stored.retention_until > stored.created_at


def test_unknown_intake_token_is_404(client):
    response = client.get("/api/v1/intakes/not-a-real-token")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_pre_founder_needs_no_business_number(client, intake_payload):
    body = {**intake_payload, "founded_on": None, "business_number": None}
    response = post(client, body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["intake"]["stage"] == "pre_bi"


def test_phone_numbers_are_normalised(client, intake_payload):
    token = post(client, {**intake_payload, "phone": "+82 10 9876 5432"}).get_json()["intake"][
        "token"]
    assert client.get(f"/api/v1/intakes/{token}").get_json()["intake"]["phone"] == "010-9876-5432"


def test_declining_marketing_changes_nothing(client, intake_payload):
    with_marketing = post(client, {**intake_payload, "consent_marketing": True}).get_json()
    without = post(client, {**intake_payload, "consent_marketing": False}).get_json()
    assert with_marketing["intake"]["recommended_zones"] == without["intake"]["recommended_zones"]
    assert with_marketing["intake"]["stage"] == without["intake"]["stage"]


BAD_FIELDS = [
    ("business_number", "124-81-00997"),        # wrong check digit
    ("business_number", "12345"),
    ("founded_on", "2021-02-30"),               # impossible date
    ("founded_on", "2999-01-01"),               # future
    ("founded_on", "next tuesday"),
    ("employees", -1),
    ("employees", "many"),
    ("employees", 2.5),
    ("needs", ["contract_review", "no_such_need"]),
    ("consent_personal_info", False),
    ("consent_personal_info", "yes"),
    ("description", "가" * 4001),
    ("email", "not-an-email"),
    ("phone", "12345"),
    ("company_name", ""),
]


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_each_bad_field_is_named_and_nothing_is_stored(app, client, intake_payload, field, value):
    response = post(client, {**intake_payload, field: value})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert all(isinstance(m, str) and m for m in error["fields"][field])
    assert count_intakes(app) == 0


def test_missing_consent_is_named(client, intake_payload):
    body = dict(intake_payload)
    del body["consent_personal_info"]
    error = post(client, body).get_json()["error"]
    assert "consent_personal_info" in error["fields"]


def test_every_bad_field_is_named_at_once(app, client, intake_payload):
    body = {**intake_payload, "business_number": "124-81-00997", "employees": -3,
            "phone": "abc", "email": "x", "needs": ["bogus"], "consent_personal_info": False,
            "contact_name": ""}
    fields = post(client, body).get_json()["error"]["fields"]
    assert set(fields) >= {"business_number", "employees", "phone", "email", "needs",
                           "consent_personal_info", "contact_name"}
    assert "bogus" in " ".join(fields["needs"])
    assert count_intakes(app) == 0


def test_a_founded_firm_needs_its_business_number(client, intake_payload):
    fields = post(client, {**intake_payload, "business_number": None}).get_json()["error"][
        "fields"]
    assert "business_number" in fields


def test_needs_or_a_description_are_required(client, intake_payload):
    fields = post(client, {**intake_payload, "needs": [], "description": "  "}).get_json()[
        "error"]["fields"]
    assert "needs" in fields


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"', b"", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_400(app, client, body):
    response = client.post("/api/v1/intakes", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert count_intakes(app) == 0


def test_a_body_over_one_megabyte_is_413(app, client, intake_payload):
    body = json.dumps({**intake_payload, "description": "a" * (1024 * 1024)})
    response = client.post("/api/v1/intakes", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert count_intakes(app) == 0


def test_unknown_fields_are_ignored(client, intake_payload):
    assert post(client, {**intake_payload, "favourite_colour": "blue"}).status_code == 201


def test_unknown_api_path_answers_in_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_openapi_document_lists_the_public_paths(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/zones", "/needs", "/intakes", "/intakes/{token}", "/slots", "/bookings",
            "/bookings/{token}", "/bookings/{token}/cancel", "/bookings/{token}/reschedule",
            "/agenda", "/advisers", "/appointments/{appointment_id}/outcome"
            } <= set(document["paths"])


def test_every_api_route_is_in_the_openapi_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {path.replace("{", "<").replace("}", ">") for path in document["paths"]}
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule.removeprefix("/api/v1"))
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert routes - {"/openapi.json"} <= documented


def test_public_calls_are_rate_limited_per_address(make_app, intake_payload):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_WRITE="2 per minute")
    client = app.test_client()
    statuses = [post(client, intake_payload).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert post(client, intake_payload).get_json()["error"]["code"] == "rate_limited"
    other = post(client, intake_payload, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 201


def test_the_pre_screen_page_is_rate_limited_like_the_api(make_app):
    """A stranger who posts the page instead of the API meets the same limit."""
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_WRITE="2 per minute",
                   WTF_CSRF_ENABLED=False)
    client = app.test_client()
    statuses = [client.post("/intake/", data={"company_name": "x"}).status_code
                for _ in range(3)]
    assert statuses == [422, 422, 429]
    assert client.get("/intake/").status_code == 200  # reading the form is not limited
    assert [client.post("/booking/new/unknown", data={}).status_code
            for _ in range(3)] == [404, 404, 429]
