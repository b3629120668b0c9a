"""Issue 14, a centre's admin manages only their own centre: another centre's zones,
institutions, advisers, appointments, closures and rules are 404 and stay unchanged; lists,
menus and new rows are the admin's centre's; the needs and base rules are national."""

import re

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.booking.models import Appointment
from app.extensions import db
from app.intake.models import Need, RoutingRule
from app.types import to_local
from app.zones.models import Adviser, Closure, Institution, Zone
from tests.admin_helpers import ZONE, count, one
from tests.firm_helpers import make_firm
from tests.network_helpers import (
    BUSAN_ADVISER,
    audit_count,
    make_network,
    staff_client,
)


@pytest.fixture
def net(app):
    return make_network(app)


@pytest.fixture
def busan_admin(app, net):
    return staff_client(app, "boss@busan.local", "admin", centre_code="busan")


@pytest.fixture
def national(app, net):
    return staff_client(app, "office@onestop.local", "national")


def _state(app, net) -> dict:
    """What a refused change must leave as it was: the demo centre's rows."""
    with app.app_context():
        zone, inst = db.session.get(Zone, net.legal), db.session.get(Institution, net.kodit)
        adviser, rule = db.session.get(Adviser, net.lawyer), db.session.get(RoutingRule, net.rule)
        return {"zone": (zone.name, zone.active), "inst": (inst.name, inst.active),
                "adviser": (adviser.name, adviser.active, adviser.user.active),
                "rule": (rule.phrase, rule.active),
                "closure": db.session.get(Closure, net.closure) is not None}


def test_another_centres_ids_are_404_and_change_nothing(app, net, busan_admin):
    before, audited = _state(app, net), audit_count(app)
    zone_post = {**ZONE, "code": "", "name": "남의 존"}
    refused = [
        ("get", f"/admin/zones/{net.legal}", None),
        ("post", f"/admin/zones/{net.legal}", zone_post),
        ("get", f"/admin/institutions/{net.kodit}", None),
        ("post", f"/admin/institutions/{net.kodit}",
         {"zone_id": str(net.busan_legal), "name": "x", "name_en": "x"}),
        ("get", f"/admin/advisers/{net.lawyer}", None),
        ("post", f"/admin/advisers/{net.lawyer}", {"name": "남", "zone_id": str(net.legal)}),
        ("get", f"/admin/advisers/{net.lawyer}/deactivate", None),
        ("post", f"/admin/advisers/{net.lawyer}/deactivate", {}),
        ("post", f"/admin/advisers/{net.lawyer}/reactivate", {}),
        ("post", f"/admin/advisers/{net.lawyer}/reassign", {"appointment_id": "1"}),
        ("get", f"/admin/advisers/{net.lawyer}/rules", None),
        ("get", f"/admin/closures/{net.closure}/bookings", None),
        ("post", f"/admin/closures/{net.closure}/bookings", {}),
        ("post", f"/admin/closures/{net.closure}/delete", {}),
        ("get", f"/admin/routing/{net.rule}", None),
        ("post", f"/admin/routing/{net.rule}", {"zone_id": str(net.busan_legal),
                                                "phrase": "남의 규칙", "weight": "1"}),
        ("post", f"/admin/routing/{net.rule}/delete", {}),
        ("post", f"/admin/zone/{net.legal}/active", {"active": "0"}),
        ("post", f"/admin/institution/{net.kodit}/active", {"active": "0"}),
        ("post", f"/admin/routing_rule/{net.rule}/active", {"active": "0"}),
    ]
    for method, path, data in refused:
        response = (busan_admin.get(path) if method == "get" else busan_admin.post(path, data))
        assert response.status_code == 404, (method, path, response.status_code)
    assert _state(app, net) == before and audit_count(app) == audited


def test_the_lists_and_menus_are_the_admins_centre_only(app, net, busan_admin):
    zones = busan_admin.get("/admin/zones").get_data(as_text=True)
    assert "부산 법률존" in zones and f"/admin/zones/{net.legal}\"" not in zones
    assert "금융존" not in zones
    advisers = busan_admin.get("/admin/advisers").get_data(as_text=True)
    assert "부산 변호사" in advisers and "김정의" not in advisers
    institutions = busan_admin.get("/admin/institutions").get_data(as_text=True)
    assert "부산지방변호사회" in institutions and "신용보증기금" not in institutions
    closures = busan_admin.get("/admin/closures").get_data(as_text=True)
    assert "경남 점검일" not in closures
    menu = busan_admin.get("/admin/advisers/new").get_data(as_text=True)
    assert f'value="{net.busan_legal}"' in menu and f'value="{net.legal}"' not in menu
    # Naming another centre in the query is 403 (app/centres/scope.py), one's own is fine.
    assert busan_admin.get("/admin/zones?centre=gyeongnam").status_code == 403
    assert busan_admin.get("/admin/zones?centre=busan").status_code == 200
    assert busan_admin.get("/admin/zones?centre=nowhere").status_code == 404


def test_the_header_names_the_admins_centre(busan_admin):
    page = busan_admin.get("/admin/zones").get_data(as_text=True)
    header = page.split('id="krds-header"')[1].split("</header>")[0]
    assert "부산창조경제혁신센터" in header
    assert "/admin/centres" not in page  # the network's pages are the national office's


def test_zone_codes_are_unique_inside_a_centre_and_free_across_centres(app, net, busan_admin):
    page = busan_admin.get("/admin/zones/new").get_data(as_text=True)
    offered = re.search(r'<datalist id="zone-types">(.*?)</datalist>', page).group(1)
    for code in ("finance", "patent", "tax", "labour"):
        assert f'value="{code}"' in offered
    assert 'value="legal"' not in offered  # Busan has one
    made = busan_admin.post("/admin/zones/new", {**ZONE, "code": "finance", "name": "부산 금융존"})
    assert made.status_code == 303  # the demo centre's `finance` does not matter here
    assert one(app, Zone, Zone.code == "finance", Zone.centre_id == net.busan) is not None
    again = busan_admin.post("/admin/zones/new", {**ZONE, "code": "legal"})
    assert again.status_code == 422
    assert "이 센터에 같은 코드의 존이 이미 있습니다: legal" in again.get_data(as_text=True)
    assert count(app, Zone, Zone.centre_id == net.busan) == 2


def test_institutions_advisers_and_closures_are_made_in_the_admins_centre(app, net, busan_admin):
    made = busan_admin.post("/admin/institutions", {
        "code": "kodit", "zone_id": str(net.busan_legal), "name": "부산 보증", "name_en": "x"})
    assert made.status_code == 303  # `kodit` is the demo centre's code, not Busan's
    other = busan_admin.post("/admin/institutions", {
        "code": "busan_x", "zone_id": str(net.legal), "name": "남의 존", "name_en": "x"})
    assert other.status_code == 422 and count(app, Institution, Institution.code == "busan_x") == 0
    adviser = busan_admin.post("/admin/advisers/new", {
        "email": "new@busan.local", "name": "새 자문", "zone_id": str(net.busan_legal)})
    assert adviser.status_code == 201
    assert one(app, User, User.email == "new@busan.local").centre_id == net.busan
    elsewhere = busan_admin.post("/admin/advisers/new", {
        "email": "two@busan.local", "name": "남", "zone_id": str(net.legal)})
    assert elsewhere.status_code == 422 and one(app, User, User.email == "two@busan.local") is None
    day = "2031-03-03"
    assert busan_admin.post("/admin/closures", {"day": day, "zone_id": ""}).status_code == 303
    closure = one(app, Closure, Closure.reason == "", Closure.centre_id == net.busan)
    assert closure is not None and closure.zone_id is None
    zone_elsewhere = busan_admin.post("/admin/closures", {"day": "2031-03-04",
                                                          "zone_id": str(net.legal)})
    assert zone_elsewhere.status_code == 422
    assert count(app, Closure, Closure.centre_id == net.busan) == 1


def test_a_centre_wide_closure_lists_its_own_centres_bookings_only(app, net, busan_admin):
    with app.app_context():
        make_firm("경남기업", None, [("lawyer@onestop.local", "booked", None)])
        make_firm("부산기업", None, [(BUSAN_ADVISER, "booked", None)])
        day = db.session.scalar(select(Appointment.starts_at).order_by(Appointment.id.desc()))
        local = to_local(day).date().isoformat()
    response = busan_admin.post("/admin/closures", {"day": local, "zone_id": ""})
    assert response.status_code == 303
    page = busan_admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "부산기업" in page and "경남기업" not in page


def test_reassigning_another_centres_appointment_is_refused(app, net, busan_admin):
    with app.app_context():
        make_firm("경남기업", None, [("lawyer@onestop.local", "booked", None)])
        theirs = db.session.scalar(select(Appointment.id))
    response = busan_admin.post(f"/admin/advisers/{net.busan_adviser}/reassign", {
        "appointment_id": str(theirs), "adviser_id": str(net.busan_adviser)})
    assert response.status_code == 422
    assert one(app, Appointment, Appointment.id == theirs).adviser_id == net.lawyer


def test_an_admin_reads_the_base_rules_and_keeps_only_the_centres_own(app, net, busan_admin,
                                                                      national):
    made = national.post("/admin/routing", {"zone_id": str(net.legal), "phrase": "전국 계약 분쟁",
                                            "weight": "2", "active": "y"})
    assert made.status_code == 303
    base = one(app, RoutingRule, RoutingRule.phrase == "전국 계약 분쟁")
    assert base.centre_id is None
    page = busan_admin.get("/admin/routing").get_data(as_text=True)
    row = page.split("전국 계약 분쟁")[1].split("</tr>")[0]
    assert "전국 공통" in row and "읽기 전용" in row  # labelled national, no buttons
    assert f"/admin/routing/{base.id}\"" not in page
    assert "고소장" not in page  # the demo centre's own rules are not Busan's
    audited = audit_count(app)
    assert busan_admin.get(f"/admin/routing/{base.id}").status_code == 403
    assert busan_admin.post(f"/admin/routing/{base.id}", {
        "zone_id": str(net.busan_legal), "phrase": "바꿈", "weight": "1"}).status_code == 403
    assert busan_admin.post(f"/admin/routing/{base.id}/delete").status_code == 403
    assert busan_admin.post(f"/admin/routing_rule/{base.id}/active",
                            {"active": "0"}).status_code == 404
    after = one(app, RoutingRule, RoutingRule.id == base.id)
    assert (after.phrase, after.active) == ("전국 계약 분쟁", True)
    assert audit_count(app) == audited
    # Their own rule: added, edited, switched and deleted.
    own = busan_admin.post("/admin/routing", {"zone_id": str(net.busan_legal),
                                              "phrase": "부산 임대차", "weight": "1.5"})
    assert own.status_code == 303
    rule = one(app, RoutingRule, RoutingRule.phrase == "부산 임대차")
    assert rule.centre_id == net.busan
    assert busan_admin.post("/admin/routing", {"zone_id": str(net.legal), "phrase": "남의 존",
                                               "weight": "1"}).status_code == 422
    assert busan_admin.post(f"/admin/routing/{rule.id}", {
        "zone_id": str(net.busan_legal), "phrase": "부산 전세", "weight": "2"}).status_code == 303
    assert one(app, RoutingRule, RoutingRule.id == rule.id).phrase == "부산 전세"
    assert busan_admin.post(f"/admin/routing_rule/{rule.id}/active",
                            {"active": "0"}).status_code == 303
    assert busan_admin.post(f"/admin/routing/{rule.id}/delete").status_code == 303
    assert one(app, RoutingRule, RoutingRule.id == rule.id) is None


def test_the_needs_are_national_in_a_network(app, net, busan_admin, national):
    page = busan_admin.get("/admin/needs").get_data(as_text=True)
    assert busan_admin.get("/admin/needs").status_code == 200
    assert "/admin/needs/new" not in page and "전국 사업단이 관리합니다" in page
    need = one(app, Need, Need.active)
    assert busan_admin.get("/admin/needs/new").status_code == 403
    assert busan_admin.post(f"/admin/needs/{need.id}", {"label": "x"}).status_code == 403
    assert busan_admin.post(f"/admin/need/{need.id}/active", {"active": "0"}).status_code == 404
    assert one(app, Need, Need.id == need.id).active
    made = national.post("/admin/needs/new", {
        "code": "export_help", "zone_id": str(net.legal), "label": "수출 지원",
        "label_en": "Export help", "weight": "2", "active": "y"})
    assert made.status_code == 303 and one(app, Need, Need.code == "export_help") is not None
    assert national.post(f"/admin/need/{need.id}/active", {"active": "0"}).status_code == 303
    assert not one(app, Need, Need.id == need.id).active
