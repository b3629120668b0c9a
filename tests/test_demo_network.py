"""`seed-demo --network`: the 17 centres with their names and regions, their zones,
institutions, advisers on rotation, one admin login each and one national login, printed
once; a second run changes nothing. Gyeongnam stays the demo centre it was."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.centres.models import Centre
from app.demo.network import CENTRES, TAX_AND_LABOUR
from app.extensions import db
from app.intake.models import Need
from app.states import Role
from app.types import local_today
from app.zones.availability import free_slots
from app.zones.models import Adviser, Institution, RotationRule, Zone
from tests.conftest import AuthActions
from tests.test_cli import counts

LOGIN = re.compile(r"^\s+(\w+)\s+(\S+@onestop\.local)\s+(\S+)$", re.M)
REGIONS = {"서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시",
           "울산광역시", "세종특별자치시", "경기도", "강원특별자치도", "충청북도", "충청남도",
           "전북특별자치도", "전라남도", "경상북도", "경상남도", "제주특별자치도"}


@pytest.fixture
def seeded(empty_app):
    """The network seeded once; the command's output."""
    result = empty_app.test_cli_runner().invoke(args=["seed-demo", "--network"])
    assert result.exit_code == 0, result.output
    return result.output


def _centres(app) -> list[Centre]:
    with app.app_context():
        return list(db.session.scalars(select(Centre).order_by(Centre.code)))


def test_the_network_has_the_17_centres_their_zones_advisers_and_home(empty_app, seeded):
    centres = _centres(empty_app)
    assert len(centres) == 17 and all(c.active for c in centres)
    assert {c.region for c in centres} == REGIONS
    names = {c.code: (c.name, c.name_en) for c in centres}
    assert names["seoul"] == ("서울창조경제혁신센터", "Seoul Creative Economy Innovation Center")
    assert names["jeju"][0] == "제주창조경제혁신센터"
    assert names["gyeongnam"][0] == "경남창조경제혁신센터"
    assert all(c.name.endswith("창조경제혁신센터") and c.address and c.phone for c in centres)
    assert len({c.phone for c in centres}) == 17
    _zones_and_institutions(empty_app)
    _advisers_and_slots(empty_app)
    _the_home(empty_app)


def _zones_and_institutions(empty_app) -> None:
    """Every centre has the classic zones, several tax and labour too."""
    with empty_app.app_context():
        zones: dict[str, set] = {}
        for code, zone in db.session.execute(select(Centre.code, Zone.code).join(
                Zone, Zone.centre_id == Centre.id)):
            zones.setdefault(code, set()).add(zone)
        assert all({"legal", "finance", "patent"} <= own for own in zones.values())
        assert {c for c, own in zones.items() if {"tax", "labour"} <= own} == set(TAX_AND_LABOUR)
        assert zones["gyeongnam"] == {"legal", "finance", "patent"}
        assert len(TAX_AND_LABOUR) == 8
        finance = {}
        for centre, institution in db.session.execute(
                select(Zone.centre_id, Institution.code).join(Institution.zone)
                .where(Zone.code == "finance")):
            finance.setdefault(centre, set()).add(institution)
        assert len(finance) == 17
        assert all(own == {"kodit", "kibo", "kdb", "ibk"} for own in finance.values())
        # The tax and labour zones offer needs a firm can tick.
        assert {n.zone.code for n in db.session.scalars(select(Need))} >= {"tax", "labour"}


def _advisers_and_slots(empty_app) -> None:
    """Every zone has advisers on rotation; a network centre's slots are its own."""
    with empty_app.app_context():
        for centre in db.session.scalars(select(Centre)):
            advisers = db.session.scalars(select(Adviser).join(Adviser.zone).where(
                Zone.centre_id == centre.id)).all()
            assert {a.zone.code for a in advisers} == {z.code for z in db.session.scalars(
                select(Zone).where(Zone.centre_id == centre.id))}
            assert all(a.rotation_rules for a in advisers)
        # The finance institutions take turns: one adviser each, KODIT and KIBO alternate
        # Fridays (as in Gyeongnam).
        busan = db.session.scalar(select(Centre).where(Centre.code == "busan"))
        rota = {(r.adviser.institution.code, r.weekday, r.every_n_weeks, r.week_offset)
                for r in db.session.scalars(select(RotationRule).join(RotationRule.adviser)
                                            .join(Adviser.zone).where(
                    Zone.centre_id == busan.id, Zone.code == "finance"))}
        assert {("kodit", 4, 2, 0), ("kibo", 4, 2, 1), ("kdb", 2, 1, 0),
                ("ibk", 3, 1, 0)} <= rota
        day = local_today() + timedelta(days=7)
        slots = free_slots("legal", day - timedelta(days=day.weekday()),
                           day + timedelta(days=6 - day.weekday()), centre_id=busan.id)
        legal = db.session.scalar(select(Zone.id).where(Zone.centre_id == busan.id,
                                                         Zone.code == "legal"))
        assert slots and {s.zone_id for s in slots} == {legal}


def test_one_admin_per_centre_and_one_national_login_printed_once_then_nothing(empty_app, seeded):
    logins = {email: (role, password) for role, email, password in LOGIN.findall(seeded)}
    assert logins["national@onestop.local"][0] == "national"
    assert {e for e, (role, _) in logins.items() if role == "admin"} == {
        "admin@onestop.local", *(f"admin.{c.code}@onestop.local" for c in CENTRES)}
    with empty_app.app_context():
        for email, (role, _) in logins.items():
            user = db.session.scalar(select(User).where(User.email == email))
            if role == "admin":
                centre = db.session.get(Centre, user.centre_id)
                assert email in (f"admin.{centre.code}@onestop.local", "admin@onestop.local")
        national = db.session.scalar(select(User).where(User.role == Role.NATIONAL))
        assert national.email == "national@onestop.local" and national.centre_id is None
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.role == Role.ADMIN)) == 17
    # The printed password signs Busan's admin in.
    auth = AuthActions(empty_app.test_client())
    response = auth.login("admin.busan@onestop.local", logins["admin.busan@onestop.local"][1])
    assert response.status_code == 303, response.get_data(as_text=True)

    # A second run says the logins exist and changes nothing.
    before = (counts(empty_app), len(_centres(empty_app)))
    again = empty_app.test_cli_runner().invoke(args=["seed-demo", "--network"])
    assert again.exit_code == 0, again.output
    assert "@onestop.local" not in again.output and "exist" in again.output
    assert (counts(empty_app), len(_centres(empty_app))) == before


def test_gyeongnam_keeps_todays_demo_centre(empty_app, make_app, seeded):
    """The default centre's rows are those of the one-centre demo (tests/test_cli.py)."""
    alone = make_app("empty")
    assert alone.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0

    def gyeongnam(app):
        with app.app_context():
            centre = db.session.scalar(select(Centre).where(Centre.code == "gyeongnam"))
            zones = db.session.scalars(select(Zone).where(Zone.centre_id == centre.id)).all()
            ids = [z.id for z in zones]
            return ({(z.code, z.name, z.slot_minutes) for z in zones},
                    {(i.code, i.name) for i in db.session.scalars(
                        select(Institution).where(Institution.zone_id.in_(ids)))},
                    {(a.name, a.title) for a in db.session.scalars(
                        select(Adviser).where(Adviser.zone_id.in_(ids)))},
                    centre.phone, centre.region)

    assert gyeongnam(empty_app) == gyeongnam(alone)


def _the_home(empty_app) -> None:
    """The network's home lists every seeded centre."""
    page = empty_app.test_client().get("/").get_data(as_text=True)
    assert page.count('class="structured-item ons-centre"') == 17
    assert page.count('class="ons-region-title"') == 17
