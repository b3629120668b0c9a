"""Who sees which firm beyond the matrix: another zone's notes, a returning firm, an adviser
who moved zones, and the company search taking `%`, `_` and `/` literally."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.intake.models import Intake
from app.visits.services import case_file, find_firms
from app.visits.visibility import visible_intakes
from app.zones.models import Zone
from tests.firm_helpers import business_number, make_firm

LEGAL_NOTE, FINANCE_NOTE = "법률 상담 메모 LEGAL-NOTE", "보증 상담 메모 FINANCE-NOTE"


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def two_zone_firm(app):
    """A firm that saw the lawyer and KODIT, each with an outcome: its business number.

    Made in an app context of its own: page tests must not run inside one (Flask would reuse
    it, and its `g` with the first client's CSRF token, for every client).
    """
    number = business_number("220815555")
    with app.app_context():
        _two_zone_firm(number)
    return number


def _two_zone_firm(number: str) -> None:
    make_firm("두존 주식회사", number, [
        ("lawyer@onestop.local", "completed",
         {"summary": LEGAL_NOTE, "follow_up": "LEGAL-FOLLOW-UP"}),
        ("kodit@onestop.local", "completed",
         {"summary": FINANCE_NOTE, "follow_up": "FINANCE-FOLLOW-UP",
          "finance_amount_krw": 50_000_000})])


def test_another_zones_notes_stay_with_that_zone(app, client, auth, staff, two_zone_firm):
    expect = {"adviser_a": (LEGAL_NOTE, "LEGAL-FOLLOW-UP"),
              "adviser_b": (FINANCE_NOTE, "FINANCE-FOLLOW-UP"),
              "admin": (LEGAL_NOTE, "LEGAL-FOLLOW-UP", FINANCE_NOTE, "FINANCE-FOLLOW-UP")}
    every = {LEGAL_NOTE, "LEGAL-FOLLOW-UP", FINANCE_NOTE, "FINANCE-FOLLOW-UP"}
    for role, shown in expect.items():
        reader = app.test_client()
        auth.on(reader).login(staff[role])
        page = reader.get(f"/adviser/company/{two_zone_firm}").get_data(as_text=True)
        assert {text for text in every if text in page} == set(shown), role
        # Both visits, their zones and the figures are there for everyone who sees the firm.
        assert "법률존" in page and "금융존" in page and "5,000만 원" in page
        assert ("다른 존의 상담 기록은 그 존에서만 봅니다" in page) == (role != "admin")
        english = reader.get(f"/adviser/company/{two_zone_firm}?lang=en").get_data(as_text=True)
        assert "Legal" in english and "Finance" in english and "KRW 50 million" in english
        assert ("Another zone's notes stay with that zone" in english) == (role != "admin")


def test_a_returning_firm_is_recognised_with_all_its_pre_screens(ctx):
    number = business_number("220816666")
    make_firm("재방문 기업", number, [("patent@onestop.local", "completed",
                                    {"summary": "PATENT-NOTE", "patent_transfers": 2})],
              contact="첫 담당")
    make_firm("재방문 기업", number, [("lawyer@onestop.local", "booked", None)],
              contact="둘째 담당")
    record = case_file(_user("lawyer@onestop.local"), number)
    assert sorted(i.contact_name for i in record["intakes"]) == ["둘째 담당", "첫 담당"]
    patent = next(a for a in record["appointments"] if a.zone.code == "patent")
    shown = record["outcomes"][patent.id]
    assert shown.withheld and shown.summary is None and shown.follow_up is None
    assert shown.patent_transfers == 2
    assert case_file(_user("kodit@onestop.local"), number)["intakes"] == []


def test_an_adviser_who_moved_zones_keeps_the_firms_they_advised(two_zone_firm, ctx):
    kodit = _user("kodit@onestop.local")
    kodit.adviser.zone_id = db.session.scalar(select(Zone.id).where(Zone.code == "patent"))
    db.session.commit()
    record = case_file(kodit, two_zone_firm)
    assert len(record["intakes"]) == 1
    notes = {a.zone.code: record["outcomes"][a.id].summary for a in record["appointments"]}
    assert notes == {"finance": FINANCE_NOTE, "legal": None}


def test_a_staff_user_without_an_adviser_record_sees_no_firm(two_zone_firm, ctx):
    user = User(email="orphan@onestop.local", name="무소속", role="adviser", password_hash="x")
    db.session.add(user)
    db.session.commit()
    assert db.session.scalars(select(Intake).where(visible_intakes(user))).all() == []
    assert find_firms(user, "두존") == []


@pytest.fixture
def odd_names(app):
    """Firms whose names hold the characters LIKE treats specially, and a plain one."""
    with app.app_context():
        for n, name in enumerate(("100%_랩", "A/B 연구소", "평범한 기업")):
            make_firm(name, business_number(f"22081700{n}"))


@pytest.mark.parametrize(("query", "found"), [
    ("%%", []), ("__", []), ("%_", ["100%_랩"]), ("0%", ["100%_랩"]), ("_랩", ["100%_랩"]),
    ("A/", ["A/B 연구소"]), ("//", []), ("/B", ["A/B 연구소"]), ("평범", ["평범한 기업"]),
])
def test_the_search_matches_wildcards_literally(app, client, auth, staff, odd_names, query, found):
    auth.login(staff["admin"])
    page = client.get("/adviser/companies", query_string={"q": query})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    listed = [name for name in ("100%_랩", "A/B 연구소", "평범한 기업") if name in text]
    assert listed == found


def test_an_advisers_reach_stops_at_their_centre(app):
    """The lawyer advised a firm here; the same business number at another centre (its own
    pre-screen there) stays out of the lawyer's sight, and the centre passed down must be
    the user's own: another centre's id shows nothing at all."""
    from tests.centre_helpers import make_second_centre

    network = make_second_centre(app)
    number = business_number("220813333")
    with app.app_context():
        make_firm("두 센터 기업", number, [("lawyer@onestop.local", "booked", None)])
        elsewhere = make_firm("두 센터 기업 부산", number)
        db.session.get(Intake, elsewhere).centre_id = network.centre_b
        db.session.commit()
        lawyer = _user("lawyer@onestop.local")
        seen = db.session.scalars(select(Intake.company_name).where(
            Intake.business_number == number, visible_intakes(lawyer))).all()
        assert seen == ["두 센터 기업"]
        assert [i.company_name for i in case_file(lawyer, number)["intakes"]] == ["두 센터 기업"]
        assert db.session.scalars(select(Intake).where(
            visible_intakes(lawyer, network.centre_b))).all() == []
        admin = _user("admin@onestop.local")
        assert {i.company_name for i in find_firms(admin, "두 센터")} == {"두 센터 기업"}
