"""Issue 14, the national statistics: every figure reads its scope (one centre, a set, the
network), the API's and the pages' `centre`, the funnel's cohort, the import's `centre`
column and the weekly summary per centre."""

import io
import json
import re
import secrets
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.auth.services import create_api_token
from app.centres.models import Centre
from app.centres.scope import StatsScope
from app.centres.services import CentreFacts, default_centre
from app.extensions import db
from app.intake.models import Intake
from app.states import Role
from app.stats.figures import NETWORK, Period, imported_count, zone_figures
from app.stats.flow import funnel, funnels, lead_time, splits
from app.stats.imports import import_consultations
from app.stats.models import ImportBatch, ImportedConsultation, ZoneDay
from app.stats.utilisation import utilisation
from app.zones.models import Adviser, Zone
from tests.conftest import STAFF_PASSWORD
from tests.stats_helpers import HEADER, bearer, csv_bytes, make_visit, sign_in

SEOUL = ZoneInfo("Asia/Seoul")
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
FIGURES = ("consultations", "finance_amount_krw", "patent_transfers", "ip_applications")


def kst(*parts) -> datetime:
    return datetime(*parts, tzinfo=SEOUL)


def user(email: str, role: str, centre_id: int | None) -> User:
    made = User(email=email, name=email.split("@")[0], role=role, centre_id=centre_id,
                password_hash=generate_password_hash(STAFF_PASSWORD, method="scrypt"))
    db.session.add(made)
    db.session.flush()
    return made


@pytest.fixture
def network(app):
    """Busan beside the demo centre: legal, finance and a tax zone (a type the demo centre
    has not), an adviser in each; an admin of each centre and a national user; tokens."""
    with app.app_context():
        busan = Centre(code="busan", name="부산창조경제혁신센터", name_en="Busan CCEI")
        db.session.add(busan)
        db.session.flush()
        for n, (code, name) in enumerate((("legal", "부산 법률존"), ("finance", "부산 금융존"),
                                          ("tax", "부산 세무존"))):
            zone = Zone(centre_id=busan.id, code=code, name=name, name_en=f"Busan {code}",
                        sort_order=n)
            db.session.add(zone)
            db.session.flush()
            db.session.add(Adviser(name=f"부산 상담위원 {code}", zone_id=zone.id))
        home = default_centre()
        admin = user("home-admin@stats.test", Role.ADMIN, home.id)
        busan_admin = user("busan-admin@stats.test", Role.ADMIN, busan.id)
        national = user("office@stats.test", Role.NATIONAL, None)
        db.session.commit()
        return {"busan": busan.id, "home": home.id, "home_code": home.code,
                "admin": admin.id, "busan_admin": busan_admin.id, "national": national.id,
                "tokens": {name: create_api_token(db.session.get(User, uid)) for name, uid in
                           (("admin", admin.id), ("busan_admin", busan_admin.id),
                            ("national", national.id))}}


def busan_visit(zone_code: str, start: datetime, status: str = "completed", *,
                intake_at: datetime | None = None, outcome: dict | None = None) -> int:
    """A Busan pre-screen, its booking and one appointment in a Busan zone."""
    busan = db.session.scalar(select(Centre.id).where(Centre.code == "busan"))
    return make_visit(zone_code, start, status, intake_at=intake_at, outcome=outcome,
                      centre_id=busan, region="부산광역시", company_name="부산 기업")


@pytest.fixture
def figures(app, network):
    """Different March figures at each centre (live visits and imported rows)."""
    with app.app_context():
        make_visit("legal", kst(2026, 3, 10, 10), intake_at=kst(2026, 3, 2, 9))
        make_visit("legal", kst(2026, 3, 11, 10), intake_at=kst(2026, 3, 2, 9))
        make_visit("finance", kst(2026, 3, 12, 10), intake_at=kst(2026, 3, 3, 9),
                   outcome={"finance_amount_krw": 100_000_000})
        make_visit("patent", kst(2026, 3, 13, 10), "no_show", intake_at=kst(2026, 3, 3, 9))
        busan_visit("legal", kst(2026, 3, 10, 14), intake_at=kst(2026, 3, 5, 9))
        busan_visit("tax", kst(2026, 3, 16, 14), intake_at=kst(2026, 3, 5, 9))
        busan_visit("finance", kst(2026, 3, 17, 14), intake_at=kst(2026, 3, 6, 9),
                    outcome={"finance_amount_krw": 50_000_000, "patent_transfers": 0})
        busan_visit("finance", kst(2026, 3, 18, 14), "no_show", intake_at=kst(2026, 3, 6, 9))
        busan_visit("legal", kst(2026, 3, 19, 14), "cancelled", intake_at=kst(2026, 3, 6, 9))
        home_admin = db.session.get(User, network["admin"])
        busan_admin = db.session.get(User, network["busan_admin"])
        import_consultations(csv_bytes(["2026-03-20,legal,,,0,0,0,",
                                        "2026-03-21,patent,,,0,2,0,"]), actor=home_admin)
        import_consultations(csv_bytes(["2026-03-22,legal,,,0,0,0,"]), actor=busan_admin)
    return network


def scopes(network) -> dict[str, StatsScope]:
    home = CentreFacts.of(db.session.get(Centre, network["home"]))
    busan = CentreFacts.of(db.session.get(Centre, network["busan"]))
    return {"home": StatsScope((home,)), "busan": StatsScope((busan,)),
            "both": StatsScope(tuple(sorted((home, busan), key=lambda c: c.code))),
            "all": StatsScope((home, busan), network=True)}


def test_every_figure_reads_only_its_scope(ctx, figures):
    found = scopes(figures)
    (home,), (busan,), (both,), (every,) = (zone_figures([MARCH], found[name])
                                            for name in ("home", "busan", "both", "all"))
    assert home["legal"].consultations == 3 and "tax" not in home  # 2 live + 1 imported
    assert home["patent"].patent_transfers == 2
    assert busan["legal"].consultations == 2 and busan["tax"].consultations == 1
    assert busan["finance"].finance_amount_krw == 50_000_000 and "patent" not in busan
    for code in home.keys() | busan.keys():  # the network's table sums each zone type
        for name in FIGURES:
            total = sum(getattr(side[code], name) for side in (home, busan) if code in side)
            assert getattr(both[code], name) == getattr(every[code], name) == total
    assert zone_figures([MARCH])[0]["legal"].consultations == 5  # NETWORK: every centre

    assert funnel(MARCH, found["home"]).as_dict() == {
        "intakes": 4, "bookings": 4, "appointments": 4, "completed": 3, "no_show": 1,
        "cancelled": 0}
    assert funnel(MARCH, found["busan"]).as_dict() == {
        "intakes": 5, "bookings": 5, "appointments": 5, "completed": 3, "no_show": 1,
        "cancelled": 1}
    by_centre = funnels(MARCH, found["all"])
    assert funnel(MARCH, found["all"]) == by_centre[figures["home"]] + by_centre[
        figures["busan"]]
    assert funnel(MARCH, found["both"]).intakes == 9
    assert lead_time(MARCH, found["home"]).count == 4
    assert lead_time(MARCH, found["busan"]).count == 4  # the cancelled one is not kept
    assert lead_time(MARCH, found["all"]).count == 8
    assert imported_count(MARCH, found["home"]) == 2
    assert imported_count(MARCH, found["busan"]) == 1
    assert imported_count(MARCH, found["all"]) == 3
    regions = {row.value: row.intakes for row in splits(MARCH, found["busan"])["region"]}
    assert regions == {"부산광역시": 5, "__imported__": 0}
    rows = utilisation(MARCH, found["busan"])
    assert {row.centre_id for row in rows} == {figures["busan"]}
    assert {row.zone for row in rows if row.level == "zone"} == {"legal", "finance", "tax"}
    assert not [row for row in utilisation(MARCH, found["busan"], advisers=False)
                if row.level == "adviser"]


def test_the_rollup_keeps_each_zones_centre(ctx, figures):
    from app.stats.rollup import rebuild

    rebuild()
    db.session.commit()
    centres = dict(db.session.execute(select(Zone.id, Zone.centre_id)).all())
    rows = db.session.execute(select(ZoneDay.zone_id, ZoneDay.centre_id)).all()
    assert rows and all(centres[zone_id] == centre_id for zone_id, centre_id in rows)
    assert {centre for _, centre in rows} == {figures["home"], figures["busan"]}
    imported = db.session.execute(select(ImportedConsultation.zone_id,
                                         ImportedConsultation.centre_id)).all()
    assert all(centres[zone_id] == centre_id for zone_id, centre_id in imported)


def api(client, token: str, **query):
    query.setdefault("from", "2026-03-01")
    query.setdefault("to", "2026-03-31")
    return client.get("/api/v1/stats", query_string=query, headers=bearer(token))


def test_the_api_answers_one_centre_a_set_or_the_network(app, client, figures):
    national, admin = figures["tokens"]["national"], figures["tokens"]["admin"]
    home = figures["home_code"]
    default = api(client, national).get_json()
    assert "centres" not in default and "tax" not in default["zones"]
    assert default == api(client, admin).get_json() == api(client, admin, centre=home).get_json()
    busan = api(client, national, centre="busan").get_json()
    assert busan == api(client, figures["tokens"]["busan_admin"]).get_json()
    assert busan["zones"]["tax"]["consultations"] == 1 and "centres" not in busan
    assert busan["funnel"]["cancelled"] == 1
    for query in (f"busan,{home}", f"{home},busan", "all"):
        body = api(client, national, centre=query).get_json()
        assert set(body["centres"]) == {home, "busan"}
        assert body["centres"]["busan"]["zones"] == busan["zones"]
        assert body["centres"][home]["zones"] == default["zones"]
        for code, total in body["zones"].items():
            for name in FIGURES:
                assert total[name] == sum(block["zones"].get(code, {}).get(name, 0)
                                          for block in body["centres"].values())
        for step, count in body["funnel"].items():
            assert count == sum(block["funnel"][step] for block in body["centres"].values())
        assert body["zones"]["legal"]["consultations"] == 5
    cumulative = client.get("/api/v1/stats", query_string={"centre": "all", "to": "2026-12-31"},
                            headers=bearer(national))
    assert cumulative.status_code == 200 and cumulative.get_json()["from"] is None


@pytest.mark.parametrize(("who", "centre", "status", "code"), [
    ("admin", "busan", 403, "forbidden"),
    ("admin", "all", 403, "forbidden"),
    ("busan_admin", "__home__", 403, "forbidden"),
    ("admin", "nowhere", 404, "not_found"),
    ("national", "nowhere", 404, "not_found"),
    ("national", "busan,nowhere", 404, "not_found"),
])
def test_the_api_refuses_another_or_an_unknown_centre(client, network, who, centre, status,
                                                      code):
    centre = network["home_code"] if centre == "__home__" else centre
    response = api(client, network["tokens"][who], centre=centre)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_an_advisers_token_still_may_not_read_the_stats(app, client, network):
    from tests.stats_helpers import staff

    _, token = staff(app, "adviser")
    assert api(client, token).status_code == 403


def test_a_pre_screen_of_the_period_counts_in_its_cohort_whenever_its_visit_falls(ctx,
                                                                                  network):
    found = scopes(network)
    busan_visit("legal", kst(2026, 4, 8, 10), intake_at=kst(2026, 3, 30, 9))
    busan_visit("legal", kst(2026, 3, 31, 10), "no_show", intake_at=kst(2026, 2, 27, 9))
    assert funnel(MARCH, found["busan"]).as_dict() == {
        "intakes": 1, "bookings": 1, "appointments": 1, "completed": 1, "no_show": 0,
        "cancelled": 0}
    april = Period(date(2026, 4, 1), date(2026, 4, 30))
    assert funnel(april, found["busan"]).intakes == 0
    february = Period(date(2026, 2, 1), date(2026, 2, 28))
    assert funnel(february, found["busan"]).no_show == 1
    assert funnel(MARCH, found["home"]).intakes == 0  # nothing of Busan's at home


def counts() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count()).select_from(ImportedConsultation)),
            db.session.scalar(select(func.count()).select_from(ImportBatch)),
            db.session.scalar(select(func.coalesce(func.sum(ZoneDay.consultations), 0))))


def with_centre(*rows: str) -> bytes:
    return csv_bytes(list(rows), header=HEADER + ",centre")


def test_rows_without_a_centre_go_to_the_importers_centre(ctx, network):
    busan_admin = db.session.get(User, network["busan_admin"])
    file = csv_bytes(["2026-03-02,legal,,,0,0,0,", "2026-03-02,tax,,,0,0,0,"])
    assert import_consultations(file, actor=busan_admin).imported == 2
    assert set(db.session.scalars(select(ImportedConsultation.centre_id))) == {network["busan"]}
    # The same file at the demo centre means its own consultations (it has no tax zone).
    home_admin = db.session.get(User, network["admin"])
    legal_only = csv_bytes(["2026-03-02,legal,,,0,0,0,"])
    assert import_consultations(legal_only, actor=busan_admin).imported == 1
    assert import_consultations(legal_only, actor=home_admin).imported == 1
    assert import_consultations(legal_only, actor=home_admin).duplicate
    assert import_consultations(legal_only, actor=busan_admin).duplicate
    # A file naming its centre on every row is the same file whoever imports it.
    named = with_centre("2026-03-03,legal,,,0,0,0,,busan")
    national = db.session.get(User, network["national"])
    assert import_consultations(named, actor=national).imported == 1
    assert import_consultations(named, actor=busan_admin).duplicate


def test_the_cli_imports_into_the_centre_it_is_given(app, runner, network, tmp_path):
    path = tmp_path / "busan-history.csv"
    path.write_bytes(csv_bytes(["2026-03-02,legal,,,0,0,0,", "2026-03-02,tax,,,0,0,0,"]))
    result = runner.invoke(args=["import-consultations", str(path), "--centre", "busan"])
    assert result.exit_code == 0 and "2건을 가져왔습니다" in result.output
    again = runner.invoke(args=["import-consultations", str(path), "--centre", "busan"])
    assert again.exit_code == 0 and "바뀐 것이 없습니다" in again.output
    unknown = runner.invoke(args=["import-consultations", str(path), "--centre", "nowhere"])
    assert unknown.exit_code == 1 and "nowhere" in unknown.output
    # Without --centre the rows are the default centre's, which has no tax zone: refused.
    home = runner.invoke(args=["import-consultations", str(path)])
    assert home.exit_code == 1 and "아무것도 가져오지 않았습니다" in home.output
    with app.app_context():
        assert set(db.session.scalars(select(ImportedConsultation.centre_id))) == {
            network["busan"]}
        assert counts() == (2, 1, 2)


def test_a_national_import_names_the_centre_of_every_row(ctx, network):
    national = db.session.get(User, network["national"])
    home = network["home_code"]
    from app.stats.imports import ImportRejected

    with pytest.raises(ImportRejected) as refused:
        import_consultations(with_centre("2026-03-03,legal,,,0,0,0,,busan",
                                         "2026-03-03,legal,,,0,0,0,,"), actor=national)
    assert list(refused.value.fields) == ["row 3.centre"]
    assert "센터 코드" in refused.value.fields["row 3.centre"][0]
    with pytest.raises(ImportRejected) as refused:  # the zone is looked up in the row's centre
        import_consultations(with_centre(f"2026-03-03,tax,,,0,0,0,,{home}"), actor=national)
    assert list(refused.value.fields) == ["row 2.zone"]
    assert counts()[:2] == (0, 0)
    made = import_consultations(with_centre(f"2026-03-03,legal,,,0,0,0,,{home}",
                                            "2026-03-03,tax,,,0,0,0,,busan"), actor=national)
    assert made.imported == 2
    assert sorted(db.session.scalars(select(ImportedConsultation.centre_id))) == sorted(
        [network["home"], network["busan"]])


def test_the_api_import_refuses_another_centre_and_changes_nothing(app, client, network):
    token = network["tokens"]["busan_admin"]
    with app.app_context():
        before = counts()
    other = with_centre("2026-03-03,legal,,,0,0,0,,busan",
                        f"2026-03-04,legal,,,0,0,0,,{network['home_code']}")
    response = client.post("/api/v1/import/consultations", data=other, headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert "3" in response.get_json()["error"]["message"]  # the row is named
    unknown = with_centre("2026-03-03,legal,,,0,0,0,,nowhere")
    response = client.post("/api/v1/import/consultations", data=unknown, headers=bearer(token))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    national = client.post("/api/v1/import/consultations", headers=bearer(
        network["tokens"]["national"]), data=csv_bytes(["2026-03-03,legal,,,0,0,0,"]))
    assert national.status_code == 422 and "row 2.centre" in national.get_json()["error"][
        "fields"]
    with app.app_context():
        assert counts() == before
    own = client.post("/api/v1/import/consultations", headers=bearer(token),
                      data=with_centre("2026-03-03,legal,,,0,0,0,,busan"))
    assert own.status_code == 200 and own.get_json() == {"imported": 1}


def test_the_import_page_refuses_another_centre_and_changes_nothing(app, client, network):
    sign_in(app, client, network["busan_admin"])
    page = client.get("/admin/imports")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]
    with app.app_context():
        before = counts()
    file = with_centre(f"2026-03-04,legal,,,0,0,0,,{network['home_code']}")
    response = client.post("/admin/imports", data={
        "csrf_token": token, "file": (io.BytesIO(file), "other.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 403
    assert "소속 센터의 상담만" in response.get_data(as_text=True)
    with app.app_context():
        assert counts() == before


def test_the_weekly_summary_goes_to_each_centre_with_its_own_figures(ctx, network):
    from app.admin.weekly import send_weekly_summary
    from app.notify.models import OutboxMessage
    from app.stats.weekly import previous_week
    from app.types import local_datetime

    today = date(2026, 3, 9)  # a Monday: the week before is 3.2–3.8
    make_visit("legal", kst(2026, 3, 3, 10), intake_at=kst(2026, 3, 2, 9))
    busan_visit("legal", kst(2026, 3, 4, 10), intake_at=kst(2026, 3, 2, 9))
    busan_visit("tax", kst(2026, 3, 5, 10), intake_at=kst(2026, 3, 3, 9))
    # Mail that did not go out: each admin hears of their own centre's only.
    for centre, status in ((network["busan"], "dead"), (network["busan"], "dead"),
                           (network["home"], "failed")):
        intake_id = db.session.scalar(select(Intake.id).where(Intake.centre_id == centre)
                                      .order_by(Intake.id))
        db.session.add(OutboxMessage(dedupe_key=f"intake:{intake_id}:{secrets.token_hex(4)}",
                                     kind="intake_received", recipient="firm@example.com",
                                     subject="-", body_text="-", status=status))
    db.session.commit()
    with time_machine.travel(local_datetime(today, time(9)), tick=False):
        assert previous_week(datetime.now(UTC))[0] == date(2026, 3, 2)
        written = send_weekly_summary()
    messages = {m.recipient: m for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "weekly"))}
    admins = set(db.session.scalars(select(User.email).where(User.role == Role.ADMIN,
                                                               User.active)))
    assert written == len(admins) and set(messages) == admins
    assert "office@stats.test" not in messages
    busan = json.loads(messages["busan-admin@stats.test"].content)
    home = json.loads(messages["home-admin@stats.test"].content)
    assert busan["context"]["counts"]["intakes"] == 2 and home["context"]["counts"][
        "intakes"] == 1
    assert busan["context"]["center_name"] == "부산창조경제혁신센터"
    assert {z["code"]: z["completed"] for z in busan["context"]["zones"]} == {
        "legal": 1, "finance": 0, "tax": 1}
    assert "tax" not in {z["code"] for z in home["context"]["zones"]}
    assert (busan["context"]["outbox"]["dead"], busan["context"]["outbox"]["failed"]) == (2, 0)
    assert (home["context"]["outbox"]["dead"], home["context"]["outbox"]["failed"]) == (0, 1)


def test_the_national_dashboard_shows_each_centre_beside_the_network(app, client, figures):
    sign_in(app, client, figures["national"])
    query = {"from": "2026-03-01", "to": "2026-03-31", "asof": "2026-03-31", "centre": "all"}
    page = client.get("/admin/", query_string=query)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="table-centres"' in html and 'id="table-funnel_centres"' in html
    assert "부산창조경제혁신센터" in html and 'value="busan" checked' not in html
    assert 'id="centre-all" name="centre" value="all" checked' in html
    assert "부산 상담위원" not in html  # no adviser (a person) in the national's tables
    assert "사전문진이 없으므로" in html  # why imported consultations are not in the funnel
    assert "그중 가져온 상담: 3건" in html
    assert "centre=all" in html  # the exports keep the scope
    export = client.get("/admin/stats/centres.csv", query_string=query)
    assert export.status_code == 200 and "-all-" in export.headers["Content-Disposition"]
    lines = export.data.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and any(line.startswith("부산창조경제혁신센터") for line in lines)
    workbook = load_workbook(io.BytesIO(client.get("/admin/stats/all.xlsx",
                                                   query_string=query).data))
    assert "센터별 누적 실적" in workbook.sheetnames
    one = client.get("/admin/", query_string={**query, "centre": ["busan"]})
    assert 'value="busan" checked' in one.get_data(as_text=True)
    assert 'id="table-centres"' not in one.get_data(as_text=True)
    chosen = client.get("/admin/stats/funnel_centres.csv",
                        query_string={**query, "centre": ["busan", figures["home_code"]]})
    assert chosen.status_code == 200 and len(chosen.data.decode("utf-8-sig").splitlines()) == 4
    assert client.get("/admin/", query_string={"centre": "nowhere"}).status_code == 404


def test_an_admins_dashboard_is_their_centre_only(app, client, figures):
    sign_in(app, client, figures["busan_admin"])
    query = {"from": "2026-03-01", "to": "2026-03-31"}
    html = client.get("/admin/", query_string=query).get_data(as_text=True)
    assert 'name="centre"' not in html and 'id="table-centres"' not in html
    assert "부산 세무존" in html
    zones = client.get("/admin/stats/zones.csv", query_string=query).data.decode("utf-8-sig")
    assert "부산 세무존" in zones
    assert client.get("/admin/", query_string={"centre": figures["home_code"]}
                      ).status_code == 403
    assert client.get("/admin/stats/zones.csv", query_string={"centre": "all"}
                      ).status_code == 403
    assert client.get("/admin/", query_string={"centre": "nowhere"}).status_code == 404


def test_the_scope_default_is_the_whole_network(ctx):
    assert NETWORK.network and NETWORK.ids is None


MIGRATION = "d4a7e2c9f160"


def test_the_migration_gives_every_rollup_and_imported_row_its_zones_centre(databases,
                                                                            tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from tests.databases import app_before

    with app_before(MIGRATION, tmp_path) as old, old.app_context(), db.engine.begin() as sql:
        centre = sql.execute(text("SELECT id FROM centres ORDER BY id LIMIT 1")).scalar()
        if centre is None:
            sql.execute(text("INSERT INTO centres (id, code, name, name_en, region, address, "
                             "address_en, phone, hours, hours_en, directions_url, "
                             "privacy_officer, privacy_department, privacy_phone, "
                             "privacy_email, active) VALUES (1, 'gyeongnam', '경남', 'G', '', "
                             "'', '', '', '', '', '', '', '', '', '', :yes)"), {"yes": True})
            centre = 1
        sql.execute(text(
            "INSERT INTO zones (id, centre_id, code, name, name_en, description, "
            "description_en, what_to_bring, what_to_bring_en, slot_minutes, buffer_minutes, "
            "min_notice_hours, horizon_days, opens_at, closes_at, sort_order, active) VALUES "
            "(7, :centre, 'legal', '법률존', 'Legal', '', '', '', '', 60, 0, 0, 60, "
            "'09:00:00', '18:00:00', 0, :yes)"), {"centre": centre, "yes": True})
        sql.execute(text("INSERT INTO import_batches (id, content_sha256, filename, rows, "
                         "imported_at) VALUES (1, :sha, 'old.csv', 2, "
                         "'2026-01-05 01:00:00+00')"), {"sha": "0" * 64})
        for n in (1, 2):
            sql.execute(text(
                "INSERT INTO imported_consultations (id, batch_id, day, zone_id, company_name, "
                "finance_amount_krw, patent_transfers, ip_applications, summary) VALUES "
                "(:n, 1, :day, 7, '옛 기업', 100, 0, 0, '')"), {"n": n, "day": date(2025, 3, n)})
        sql.execute(text(
            "INSERT INTO zone_days (day, zone_id, consultations, finance_amount_krw, "
            "patent_transfers, ip_applications) VALUES ('2025-03-01', 7, 1, 100, 0, 0), "
            "('2025-03-02', 7, 1, 100, 0, 0)"))
    with old.app_context():
        upgrade(revision=MIGRATION)
        for table in ("imported_consultations", "zone_days"):
            rows = db.session.execute(text(
                f"SELECT zone_id, centre_id, finance_amount_krw FROM {table}")).all()
            assert rows == [(7, centre, 100), (7, centre, 100)], table


@pytest.mark.parametrize("edges", [
    [None, date(2026, 3, 1)], [None, date(2026, 3, 18)], [date(2026, 1, 15), date(2026, 3, 18)],
    [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)],
    [None, date(2025, 12, 31), date(2026, 1, 1), date(2026, 2, 1), date(2026, 7, 18)],
])
def test_whole_months_and_the_days_left_cover_each_interval_once(edges):
    from app.stats.figures import month_split

    months, days = month_split(edges)
    first = date(2024, 1, 1)
    start = edges[0] or first
    covered: dict[date, int] = {}
    for low, high in months:
        month = low or first
        while month < high:
            following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
            for n in range((following - month).days):
                covered[month + timedelta(days=n)] = covered.get(month + timedelta(days=n), 0) + 1
            month = following
    for low, high in days:
        for n in range((high - (low or first)).days):
            day = (low or first) + timedelta(days=n)
            covered[day] = covered.get(day, 0) + 1
    span = [start + timedelta(days=n) for n in range((edges[-1] - start).days)]
    assert all(covered.get(day) == 1 for day in span)
    assert set(covered) == set(span)


def test_the_network_reads_whole_months_and_stays_in_step_with_the_days(ctx, figures):
    from app.stats.models import ZoneMonth
    from app.stats.rollup import rebuild

    rebuild()
    db.session.commit()
    months = dict(((m, z), c) for m, z, c in db.session.execute(
        select(ZoneMonth.month, ZoneMonth.zone_id, ZoneMonth.consultations)))
    assert months and sum(months.values()) == db.session.scalar(
        select(func.sum(ZoneDay.consultations)))
    found = scopes(figures)
    periods = [Period(None, date(2026, 3, 15)), Period(None, date(2026, 3, 31)), MARCH,
               Period(date(2026, 3, 10), date(2026, 4, 30))]
    network = zone_figures(periods, found["all"])
    by_day = [{code: sum((zone_figures([p], found[c])[0].get(code) or _zero()).consultations
                         for c in ("home", "busan")) for code in network[i]}
              for i, p in enumerate(periods)]
    assert [{c: f.consultations for c, f in n.items()} for n in network] == by_day
    busan_visit("tax", kst(2026, 3, 25, 10))  # the session's hooks keep both levels in step
    assert zone_figures([MARCH], found["all"])[0]["tax"].consultations == 2
    assert sum(db.session.scalars(select(ZoneMonth.consultations))) == db.session.scalar(
        select(func.sum(ZoneDay.consultations)))


def _zero():
    from app.stats.figures import Figures

    return Figures()
