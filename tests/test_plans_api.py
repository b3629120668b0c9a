"""GET /api/v1/plans: the days and plans a pre-screen is offered, its institution first."""

from sqlalchemy import select

from app.extensions import db
from app.zones.models import Institution
from tests.test_booking_api import make_intake
from tests.test_booking_calendar import TECH_GUARANTEE


def institution(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Institution.id).where(Institution.code == code))


def test_a_firm_sent_to_kibo_is_offered_kibo_first(app, client, intake_payload):
    token = make_intake(client, intake_payload, **TECH_GUARANTEE)
    kibo = institution(app, "kibo")
    answer = client.get("/api/v1/plans", query_string={"intake_token": token}).get_json()
    assert answer["institutions"] == [{"zone": "finance", "institution_id": kibo,
                                       "institution": "기술보증기금", "institution_en": "KIBO",
                                       "reason": "recommended"}]
    assert answer["date"] == answer["suggested_date"]
    shown = next(d for d in answer["days"] if d["date"] == answer["date"])
    assert shown["state"] == "all" and shown["institution_ids"] == [kibo]
    first = answer["plans"][0]
    assert first["preferred"] and first["appointments"][0]["institution_id"] == kibo
    starts = [p["appointments"][0]["start"] for p in answer["plans"] if p["preferred"]]
    assert starts == sorted(starts)  # in time order


def test_another_institution_or_any_can_be_asked_for(app, client, intake_payload):
    token = make_intake(client, intake_payload, **TECH_GUARANTEE)
    ibk = institution(app, "ibk")
    answer = client.get("/api/v1/plans", query_string={
        "intake_token": token, "institution_id": str(ibk)}).get_json()
    assert answer["institutions"][0]["reason"] == "chosen"
    assert answer["plans"][0]["appointments"][0]["institution_id"] == ibk
    anyone = client.get("/api/v1/plans", query_string={
        "intake_token": token, "institution_id": "any", "zones": "finance,legal"}).get_json()
    assert anyone["institutions"] == []
    assert {a["zone"] for a in anyone["plans"][0]["appointments"]} == {"finance", "legal"}


def test_bad_questions_are_400_and_an_unknown_intake_404(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    for query in ({}, {"intake_token": token, "zones": "nope"},
                  {"intake_token": token, "date": "2026-13-01"},
                  {"intake_token": token, "institution_id": "x"},
                  {"intake_token": token, "institution_id": "999999"}):
        response = client.get("/api/v1/plans", query_string=query)
        assert response.status_code == 400, query
        assert response.get_json()["error"]["code"] == "bad_request"
    assert client.get("/api/v1/plans", query_string={"intake_token": "nope"}).status_code == 404
