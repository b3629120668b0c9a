"""The network's first slice (issue 14): zones, closures, routing rules and pre-screens
belong to a centre; the public API's `centre`; `GET /api/v1/centres`."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.booking.models import Appointment
from app.booking.waitlist import join_waitlist
from app.centres.models import Centre
from app.extensions import db
from app.intake.models import Intake
from app.types import local_today, to_local
from app.zones.availability import free_slots
from app.zones.models import Adviser, Closure, Institution, RotationRule, Zone
from tests.databases import app_before, revision_before
from tests.test_intake_pages import form_data

REVISION = "f3b8d2a6c915"
CENTRE_TABLES = ("zones", "closures", "routing_rules", "intakes")


# ---------------------------------------------------------------- the migration

@pytest.fixture
def old_app(databases, tmp_path):
    """An app on a database migrated up to just before zones belonged to a centre."""
    with app_before(REVISION, tmp_path) as app:
        yield app


def _old_rows() -> None:
    """A zone, a need, a rule, two closures, two pre-screens with needs and bookings, as the
    old code stored them (no centre anywhere)."""
    yes, no = {"yes": True}, {"no": False}
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO centres (id, code, name, name_en, region, address, address_en, "
            "phone, hours, hours_en, directions_url, privacy_officer, privacy_department, "
            "privacy_phone, privacy_email, active, created_at, updated_at) VALUES (7, 'other', "
            "'다른 센터', 'Other', '', '', '', '', '', '', '', '', '', '', '', :yes, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"), yes)  # made after the default
        connection.execute(text(
            "INSERT INTO zones (id, code, name, name_en, description, description_en, "
            "what_to_bring, what_to_bring_en, slot_minutes, buffer_minutes, min_notice_hours, "
            "horizon_days, opens_at, closes_at, sort_order, active) VALUES (1, 'legal', "
            "'법률존', 'Legal zone', '', '', '', '', 60, 0, 0, 60, '09:00:00', '18:00:00', 0, "
            ":yes)"), yes)
        connection.execute(text(
            "INSERT INTO needs (id, code, zone_id, label, label_en, weight, sort_order, "
            "active) VALUES (1, 'contract_review', 1, '계약서 검토', 'Contract review', 3, 0, "
            ":yes)"), yes)
        connection.execute(text(
            "INSERT INTO routing_rules (id, zone_id, phrase, weight, active, created_at) "
            "VALUES (1, 1, '계약', 2, :yes, '2026-01-01 00:00:00')"), yes)
        connection.execute(text(
            "INSERT INTO closures (id, day, zone_id, reason, created_at) VALUES "
            "(1, '2026-02-02', NULL, '센터 행사', '2026-01-01 00:00:00'), "
            "(2, '2026-02-03', 1, '법률존 휴무', '2026-01-01 00:00:00')"))
        for n in (1, 2):
            row = {"id": n, "hash": f"{n:064x}", **no}
            connection.execute(text(
                "INSERT INTO intakes (id, token_hash, created_at, source, stage, "
                "recommendation, consent_personal_info_at, consent_notice_version, "
                "consent_marketing, retention_until, company_name) VALUES (:id, :hash, "
                "'2026-01-05 01:00:00+00', 'online', 'bi', '[]', '2026-01-05 01:00:00+00', "
                "'v1', :no, '2029-01-05 01:00:00+00', '한빛')"), row)
            connection.execute(text("INSERT INTO intake_needs VALUES (:id, 1)"), row)
            connection.execute(text(
                "INSERT INTO bookings (id, token_hash, intake_id, visit_date, status, "
                "created_at, updated_at) VALUES (:id, :hash, :id, '2026-01-09', 'booked', "
                "'2026-01-05 01:00:00+00', '2026-01-05 01:00:00+00')"), row)


def _counts() -> tuple:
    with db.engine.connect() as connection:
        return tuple(connection.execute(text(
            "SELECT (SELECT count(*) FROM zones), (SELECT count(*) FROM closures), "
            "(SELECT count(*) FROM routing_rules), (SELECT count(*) FROM intakes), "
            "(SELECT count(*) FROM intake_needs), (SELECT count(*) FROM bookings), "
            "(SELECT count(*) FROM needs)")).one())


def _centres_of_rows() -> set:
    with db.engine.connect() as connection:
        return {(table, centre) for table in CENTRE_TABLES for (centre,) in connection.execute(
            text(f"SELECT DISTINCT centre_id FROM {table}"))}


def test_the_upgrade_puts_every_row_in_the_default_centre_and_round_trips(old_app):
    with old_app.app_context():
        _old_rows()
        before = _counts()
        [default] = db.session.execute(text(
            "SELECT id FROM centres WHERE code = 'gyeongnam'")).one()
        db.session.remove()
        upgrade(revision=REVISION)
        assert _counts() == before == (1, 2, 1, 2, 2, 2, 1)  # nothing lost, no cascade
        assert _centres_of_rows() == {(table, default) for table in CENTRE_TABLES}
        columns = {table: {c["name"]: c for c in inspect(db.engine).get_columns(table)}
                   for table in CENTRE_TABLES}
        assert not columns["zones"]["centre_id"]["nullable"]
        assert not columns["intakes"]["centre_id"]["nullable"]
        assert columns["routing_rules"]["centre_id"]["nullable"]  # NULL: a national rule
        with db.engine.begin() as connection:  # the other centre may have its own `legal`
            connection.execute(text(
                "INSERT INTO zones (id, centre_id, code, name, name_en, description, "
                "description_en, what_to_bring, what_to_bring_en, slot_minutes, "
                "buffer_minutes, min_notice_hours, horizon_days, opens_at, closes_at, "
                "sort_order, active) VALUES (2, 7, 'legal', '법률존', 'Legal zone', '', '', "
                "'', '', 60, 0, 0, 60, '09:00:00', '18:00:00', 0, :yes)"), {"yes": True})
            connection.execute(text("DELETE FROM zones WHERE id = 2"))

        downgrade(revision=revision_before(old_app, REVISION))
        assert "centre_id" not in {c["name"] for c in inspect(db.engine).get_columns("zones")}
        assert _counts() == before
        upgrade(revision=REVISION)  # and forward again
        assert _counts() == before
        assert _centres_of_rows() == {(table, default) for table in CENTRE_TABLES}


# ---------------------------------------------------------------- two centres

BUSAN = {"code": "busan", "name": "부산창조경제혁신센터",
         "name_en": "Busan Center for Creative Economy & Innovation", "region": "부산광역시",
         "address": "부산광역시 동구 중앙대로 180", "phone": "051-000-0000"}


@pytest.fixture
def busan(app):
    """A second centre with its own `legal` zone, institution and adviser (on duty every
    weekday), beside the demo's Gyeongnam; and an inactive third centre with a zone."""
    with app.app_context():
        centre = Centre(**BUSAN)
        closed = Centre(code="closed", name="닫힌 센터", active=False)
        db.session.add_all([centre, closed])
        db.session.flush()
        zone = Zone(centre_id=centre.id, code="legal", name="부산 법률존",
                    name_en="Busan legal zone", min_notice_hours=24, horizon_days=60)
        db.session.add_all([zone, Zone(centre_id=closed.id, code="legal", name="닫힌 법률존",
                                       name_en="Closed legal zone")])
        db.session.flush()
        institution = Institution(zone_id=zone.id, code="busan_law", name="부산 법무법인",
                                  name_en="Busan Law")
        adviser = Adviser(name="부산 변호사", zone=zone, institution=institution)
        db.session.add_all([institution, adviser])
        db.session.flush()
        for weekday in range(5):
            db.session.add(RotationRule(adviser=adviser, weekday=weekday,
                                        start_time=time(10), end_time=time(16),
                                        valid_from=local_today() - timedelta(days=7)))
        db.session.commit()
        return {"centre": centre.id, "zone": zone.id, "adviser": adviser.id,
                "institution": institution.id}


def _window() -> dict:
    first = datetime.now(ZoneInfo("Asia/Seoul")).date()
    return {"from": first.isoformat(), "to": (first + timedelta(days=14)).isoformat()}


def _default_legal_advisers(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Adviser.id).join(Zone).join(
            Centre, Zone.centre_id == Centre.id).where(Centre.code == "gyeongnam",
                                                       Zone.code == "legal")))


def test_centres_lists_the_active_centres_by_code_with_their_active_zones(app, client, busan):
    response = client.get("/api/v1/centres")
    assert response.status_code == 200
    listed = response.get_json()["centres"]
    assert [c["code"] for c in listed] == ["busan", "gyeongnam"]  # not the inactive one
    first, second = listed
    assert first == {**{k: BUSAN[k] for k in ("code", "name", "name_en", "region", "address",
                                                 "phone")}, "zones": ["legal"]}
    assert set(second["zones"]) == {"legal", "finance", "patent"}
    assert second["name"] == app.config["CENTER_NAME"]


def test_zones_and_needs_are_the_named_centres(client, busan):
    default = client.get("/api/v1/zones").get_json()["zones"]
    assert client.get("/api/v1/zones?centre=gyeongnam").get_json()["zones"] == default
    assert {z["code"] for z in default} == {"legal", "finance", "patent"}
    assert "Busan Law" not in str(default)
    [legal] = client.get("/api/v1/zones?centre=busan").get_json()["zones"]
    assert legal["name"] == "부산 법률존"
    assert legal["institutions"] == [{"id": busan["institution"], "name": "부산 법무법인",
                                      "name_en": "Busan Law"}]
    needs = client.get("/api/v1/needs?centre=busan").get_json()["needs"]
    assert needs and {n["zone"] for n in needs} == {"legal"}  # the national needs of `legal`
    every = client.get("/api/v1/needs").get_json()["needs"]
    assert {n["zone"] for n in every} == {"legal", "finance", "patent"}


def test_an_intake_for_busan_books_busans_legal_adviser_never_gyeongnams(
        app, client, busan, intake_payload):
    response = client.post("/api/v1/intakes", json={**intake_payload, "centre": "busan"})
    assert response.status_code == 201, response.get_json()
    intake = response.get_json()["intake"]
    assert [z["code"] for z in intake["recommended_zones"]] == ["legal"]  # no patent zone
    assert intake["recommended_zones"][0]["institution_id"] in (None, busan["institution"])

    slots = client.get("/api/v1/slots", query_string={
        "zone": "legal", "centre": "busan", **_window()}).get_json()["slots"]
    assert slots and {s["adviser_id"] for s in slots} == {busan["adviser"]}
    default_slots = client.get("/api/v1/slots", query_string={
        "zone": "legal", **_window()}).get_json()["slots"]
    assert busan["adviser"] not in {s["adviser_id"] for s in default_slots}
    assert {s["adviser_id"] for s in default_slots} <= _default_legal_advisers(app)

    # Gyeongnam's lawyer is not bookable for a Busan pre-screen.
    theirs = default_slots[0]
    refused = client.post("/api/v1/bookings", json={"intake_token": intake["token"],
                                                    "appointments": [{
        "zone": "legal", "adviser_id": theirs["adviser_id"], "start": theirs["start"]}]})
    assert refused.status_code == 422
    booked = client.post("/api/v1/bookings", json={"intake_token": intake["token"],
                                                   "appointments": [{
        "zone": "legal", "adviser_id": slots[0]["adviser_id"], "start": slots[0]["start"]}]})
    assert booked.status_code == 201, booked.get_json()
    with app.app_context():
        stored = db.session.scalar(select(Intake).order_by(Intake.id.desc()).limit(1))
        [appointment] = db.session.scalars(select(Appointment).where(
            Appointment.intake_id == stored.id)).all()
        assert stored.centre_id == busan["centre"]
        assert (appointment.zone_id, appointment.adviser_id) == (busan["zone"],
                                                                 busan["adviser"])

    plans = client.get("/api/v1/plans", query_string={"intake_token": intake["token"]})
    assert plans.status_code == 200
    assert {i["institution_id"] for i in plans.get_json()["institutions"]} <= {
        busan["institution"]}


def test_an_intake_without_a_centre_is_the_default_centres(app, client, busan, intake_payload):
    response = client.post("/api/v1/intakes", json=intake_payload)
    assert response.status_code == 201
    codes = {z["code"] for z in response.get_json()["intake"]["recommended_zones"]}
    assert codes == {"legal", "patent"}
    with app.app_context():
        stored = db.session.scalar(select(Intake).order_by(Intake.id.desc()).limit(1))
        assert db.session.get(Centre, stored.centre_id).code == "gyeongnam"


def test_a_busan_pre_screen_waits_on_busans_zone(app, client, busan, intake_payload):
    token = client.post("/api/v1/intakes", json={**intake_payload, "centre": "busan"}
                        ).get_json()["intake"]["token"]
    with app.app_context():
        # A day Busan is closed and Gyeongnam's lawyer sits: Busan's zone is full that day.
        day = to_local(free_slots("legal", local_today() + timedelta(days=2),
                                  local_today() + timedelta(days=14))[0].start).date()
        db.session.add(Closure(day=day, reason="부산 행사", centre_id=busan["centre"]))
        db.session.commit()
        entry = join_waitlist(token, "legal", day)
        assert entry.zone_id == busan["zone"]


@pytest.mark.parametrize("code", ["nowhere", "closed", "BUSAN", "x" * 40])
def test_an_unknown_or_inactive_centre_is_404_everywhere(app, client, busan, intake_payload,
                                                         code):
    for path in ("/api/v1/zones", "/api/v1/needs"):
        response = client.get(path, query_string={"centre": code})
        assert response.status_code == 404, path
        assert response.get_json()["error"]["code"] == "not_found"
    response = client.get("/api/v1/slots", query_string={"zone": "legal", "centre": code,
                                                          **_window()})
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")
    with app.app_context():
        before = db.session.scalar(select(func.count(Intake.id)))
    response = client.post("/api/v1/intakes", json={**intake_payload, "centre": code})
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")
    with app.app_context():
        assert db.session.scalar(select(func.count(Intake.id))) == before  # nothing stored
    assert client.get("/intake/", query_string={"centre": code}).status_code == 404


def test_a_centre_that_is_not_text_is_named_invalid(client, busan, intake_payload):
    response = client.post("/api/v1/intakes", json={**intake_payload, "centre": 7})
    assert response.status_code == 422
    assert "centre" in response.get_json()["error"]["fields"]


def test_the_pre_screen_page_for_busan_says_so_and_files_it_there(app, client, busan):
    page = client.get("/intake/?centre=busan").get_data(as_text=True)
    assert BUSAN["name"] in page and 'action="/intake/?centre=busan"' in page
    plain = client.get("/intake/").get_data(as_text=True)
    assert 'action="/intake/"' in plain and BUSAN["name"] not in plain
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/intake/?centre=busan", data={**form_data(), "csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(Intake).order_by(Intake.id.desc()).limit(1))
        assert stored.centre_id == busan["centre"]
        assert [r["code"] for r in stored.recommendation] == ["legal"]


def test_a_zone_code_is_unique_inside_a_centre_only(app, busan):
    with app.app_context():
        db.session.add(Zone(centre_id=busan["centre"], code="legal", name="둘째",
                            name_en="Second"))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.add(Zone(centre_id=busan["centre"], code="patent", name="부산 특허존",
                            name_en="Busan patent zone"))
        db.session.commit()  # Gyeongnam's `patent` is no obstacle


def test_rows_made_without_a_centre_are_the_default_centres(app, busan):
    with app.app_context():
        zone = Zone(code="tax", name="세무존", name_en="Tax zone")
        closure = Closure(day=local_today() + timedelta(days=3), reason="행사")
        db.session.add_all([zone, closure])
        db.session.commit()
        default = db.session.scalar(select(Centre.id).where(Centre.code == "gyeongnam"))
        assert zone.centre_id == closure.centre_id == default


def test_a_centre_wide_closure_closes_only_its_centre(app, client, busan):
    with app.app_context():
        slots = free_slots("legal", local_today(), local_today() + timedelta(days=14),
                           centre_id=busan["centre"])
        day = to_local(slots[0].start).date()
        db.session.add(Closure(day=day, reason="부산 행사", centre_id=busan["centre"]))
        db.session.commit()
        theirs = free_slots("legal", day, day, centre_id=busan["centre"])
        ours = free_slots("legal", day, day)
    assert theirs == [] and ours  # Gyeongnam's lawyer still sits that day


@pytest.mark.browser
@pytest.mark.parametrize("language", ("ko", "en"))
def test_the_busan_pre_screen_in_the_browser(busan, live, page, language):
    """The pre-screen page for a named centre, at 1280 and 390 px: one language, axe-core
    finds nothing serious (screenshots tests/artifacts/network-<language>-*.png)."""
    from tests.browser import check_page

    page.goto(f"{live.url}/?lang={language}")
    page.goto(f"{live.url}/intake/?centre=busan")
    name = BUSAN["name"] if language == "ko" else BUSAN["name_en"]
    assert name in page.locator(".ons-page-head").inner_text()
    check_page(page, language, "01-prescreen-busan", walk="network", phone=True,
               allowed=("API", "HTTPS", "http"))
