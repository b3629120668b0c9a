"""Issue 14, the national office's screens: the network's centres made, edited, deactivated
(bookings kept, their number shown) and reactivated; clear errors for bad input; no firm's
page for the national role, no network page for a centre's staff."""

import pytest
from sqlalchemy import select

from app.auth.models import AuditEntry
from app.booking.models import Appointment
from app.centres.models import Centre
from app.extensions import db
from tests.admin_helpers import count, one
from tests.firm_helpers import make_firm
from tests.network_helpers import BUSAN_ADVISER, audit_count, make_network, staff_client

NEW = {"code": "daegu", "name": "대구창조경제혁신센터", "name_en": "Daegu CCEI",
       "region": "대구광역시", "address": "대구광역시 동구 동대구로 1", "address_en": "",
       "phone": "053 000 0000", "hours": "평일 09:00–18:00", "hours_en": "",
       "directions_url": "https://map.example/daegu", "privacy_officer": "홍길동",
       "privacy_department": "경영지원팀", "privacy_phone": "", "privacy_email": "p@daegu.example"}


@pytest.fixture
def net(app):
    return make_network(app)


@pytest.fixture
def national(app, net):
    return staff_client(app, "office@onestop.local", "national")


def test_the_national_office_lists_the_network_with_counts(app, net, national):
    with app.app_context():
        make_firm("부산기업", None, [(BUSAN_ADVISER, "booked", None)])
    page = national.get("/admin/centres")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "부산창조경제혁신센터" in text and "부산광역시" in text and "부산기업" not in text
    busan_row = text.split("부산창조경제혁신센터</a>")[1].split("</tr>")[0]
    assert '<span>1</span>' in busan_row  # one zone, one booking to come
    nav = text.split('id="krds-header"')[1].split("</header>")[0]
    assert "/admin/centres" in nav and "/admin/routing" in nav and "/admin/needs" in nav
    menu = text.split('class="ons-staff-nav"')[1].split("</nav>")[0]
    for personal in ("/admin/zones", "/admin/advisers", "/admin/outbox", "/admin/closures",
                     "/admin/audit", "/adviser/"):
        assert personal not in menu and personal not in nav


def test_a_centre_is_created_and_edited(app, net, national):
    made = national.post("/admin/centres/new", NEW)
    assert made.status_code == 303
    daegu = one(app, Centre, Centre.code == "daegu")
    assert daegu.active and daegu.phone == "053-000-0000" and daegu.region == "대구광역시"
    assert [e.action for e in _entries(app, "centre")] == ["create"]
    edited = national.post("/admin/centres/daegu", {**NEW, "code": "daegu2",
                                                    "name_en": "Daegu Centre"})
    assert edited.status_code == 303 and edited.headers["Location"].endswith("/centres/daegu2")
    after = one(app, Centre, Centre.id == daegu.id)
    assert (after.code, after.name_en) == ("daegu2", "Daegu Centre")
    assert national.get("/admin/centres/daegu").status_code == 404
    # The new centre is a centre to the public at once (API.md's GET /api/v1/centres).
    codes = [c["code"] for c in national.get("/api/v1/centres").get_json()["centres"]]
    assert "daegu2" in codes


@pytest.mark.parametrize(("change", "field", "says"), [
    ({"code": "busan"}, "code", "같은 코드의 센터가 이미 있습니다: busan"),
    ({"code": "Bad Code!"}, "code", "영문 소문자"),
    ({"code": "all"}, "code", "다른 코드를 고르세요"),
    ({"code": ""}, "code", None),
    ({"name": ""}, "name", None),
    ({"name": "   "}, "name", None),
    ({"phone": "12345"}, "phone", "전화번호"),
    ({"directions_url": "javascript:alert(1)"}, "directions_url", "https://"),
])
def test_bad_centres_are_refused_with_a_clear_error(app, net, national, change, field, says):
    centres, audited = count(app, Centre), audit_count(app)
    response = national.post("/admin/centres/new", {**NEW, **change})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f'id="{field}-error"' in text
    if says:
        assert says in text
    assert count(app, Centre) == centres and audit_count(app) == audited


def test_the_default_centres_code_and_state_stay(app, net, national):
    home = one(app, Centre, Centre.id == net.default)
    app.config["DEFAULT_CENTRE"] = home.code
    renamed = national.post(f"/admin/centres/{home.code}", {**NEW, "code": "other"})
    assert renamed.status_code == 422 and "DEFAULT_CENTRE" in renamed.get_data(as_text=True)
    off = national.post(f"/admin/centres/{home.code}/active", {"active": "0"})
    assert off.status_code == 303
    assert "비활성화할 수 없습니다" in national.get(off.headers["Location"]).get_data(as_text=True)
    assert one(app, Centre, Centre.id == home.id).active


def test_unknown_centres_are_404(national):
    for path in ("/admin/centres/nowhere", "/admin/centres/" + "x" * 40):
        assert national.get(path).status_code == 404
    assert national.post("/admin/centres/nowhere", NEW).status_code == 404
    assert national.post("/admin/centres/nowhere/active", {"active": "0"}).status_code == 404


def test_deactivating_a_centre_keeps_its_bookings_and_says_how_many(app, net, national):
    with app.app_context():
        make_firm("부산기업", None, [(BUSAN_ADVISER, "booked", None)])
        make_firm("부산상사", None, [(BUSAN_ADVISER, "booked", None)])
        make_firm("경남기업", None, [("lawyer@onestop.local", "booked", None)])
    page = national.get("/admin/centres/busan").get_data(as_text=True)
    assert "앞으로의 예약 2건" in page and "아무것도 취소되지 않습니다" in page
    response = national.post("/admin/centres/busan/active", {"active": "0"})
    assert response.status_code == 303
    shown = national.get(response.headers["Location"]).get_data(as_text=True)
    assert "예약 2건은 그대로 유지되며 취소되지 않았습니다" in shown
    assert "새 사전문진과 예약을 받지 않습니다" in shown
    assert "부산기업" not in shown  # a count, never a firm
    assert not one(app, Centre, Centre.code == "busan").active
    with app.app_context():
        statuses = set(db.session.scalars(select(Appointment.status)))
    assert statuses == {"booked"}
    # An inactive centre is no centre to a firm; its staff still work in it.
    assert national.get("/api/v1/zones?centre=busan").status_code == 404
    busan_admin = staff_client(app, "boss@busan.local", "admin", centre_code="busan")
    assert busan_admin.get("/admin/zones").status_code == 200
    [entry] = [e for e in _entries(app, "centre") if e.action == "deactivate"]
    assert entry.after == {"active": False}
    back = national.post("/admin/centres/busan/active", {"active": "1"})
    assert back.status_code == 303 and one(app, Centre, Centre.code == "busan").active


# Who may use the network's pages (the authorization matrix lists the same).
NETWORK_PAGES = ("/admin/centres", "/admin/centres/new", "/admin/centres/busan")


def test_the_network_pages_are_the_national_offices_only(app, net):
    admin = staff_client(app, "boss@busan.local", "admin", centre_code="busan")
    adviser = staff_client(app, "law2@busan.local", "adviser", centre_code="busan",
                           zone_code="legal")
    anonymous = app.test_client()
    for path in NETWORK_PAGES:
        assert admin.get(path).status_code == 403, path
        assert adviser.get(path).status_code == 403, path
        assert anonymous.get(path).status_code == 302, path
    assert admin.post("/admin/centres/busan/active", {"active": "0"}).status_code == 403
    assert one(app, Centre, Centre.code == "busan").active


@pytest.mark.parametrize("path", [
    "/admin/zones", "/admin/zones/new", "/admin/institutions", "/admin/advisers",
    "/admin/advisers/new", "/admin/closures", "/admin/outbox", "/admin/audit", "/admin/centre",
    "/adviser/", "/adviser/companies",
])
def test_the_national_office_reaches_no_centres_management_or_firm(national, path):
    assert national.get(path).status_code == 403


def test_the_national_office_keeps_the_base_rules(app, net, national):
    page = national.get("/admin/routing")
    assert page.status_code == 200
    assert "고소장" not in page.get_data(as_text=True)  # a centre's own rules are not shown
    made = national.post("/admin/routing", {"zone_id": str(net.legal), "phrase": "전국 규칙",
                                            "weight": "1"})
    assert made.status_code == 303
    from app.intake.models import RoutingRule

    rule = one(app, RoutingRule, RoutingRule.phrase == "전국 규칙")
    assert rule.centre_id is None
    assert national.post(f"/admin/routing/{rule.id}", {
        "zone_id": str(net.legal), "phrase": "전국 규칙 2", "weight": "2"}).status_code == 303
    assert national.get(f"/admin/routing/{net.rule}").status_code == 404  # a centre's own
    assert national.post(f"/admin/routing/{rule.id}/delete").status_code == 303
    assert one(app, RoutingRule, RoutingRule.id == rule.id) is None


def _entries(app, entity: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.entity == entity)
                                       .order_by(AuditEntry.id)))


@pytest.mark.parametrize("language", ("ko", "en"))
def test_the_network_pages_speak_one_language(app, net, national, language):
    from tests.test_i18n_admin import assert_one_language, read

    with app.app_context():
        make_firm("부산기업", None, [(BUSAN_ADVISER, "booked", None)])
    for path in ("/admin/centres", "/admin/centres/new", "/admin/centres/busan",
                 "/admin/routing", "/admin/needs"):
        assert_one_language(read(national, path, language), language)
    for change in ({"code": "busan", "name": ""}, {"code": "all"}):
        national.get(f"/?lang={language}")
        refused = national.post("/admin/centres/new", {**NEW, **change})
        assert refused.status_code == 422
        assert_one_language(refused.get_data(as_text=True), language)
    done = national.post("/admin/centres/busan/active", {"active": "0"}, follow_redirects=True)
    assert_one_language(done.get_data(as_text=True), language)
    busan_admin = staff_client(app, "boss@busan.local", "admin", centre_code="busan")
    national.post("/admin/centres/busan/active", {"active": "1"})
    national.post("/admin/routing", {"zone_id": str(net.legal), "phrase": "전국 규칙",
                                     "weight": "1"})
    for path in ("/admin/routing", "/admin/needs", "/admin/zones/new"):
        assert_one_language(read(busan_admin, path, language), language)
