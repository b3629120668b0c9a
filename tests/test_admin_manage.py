"""The admin's set-up screens through the test client: zones, institutions and closures;
who may use any management page; a post without its CSRF token."""

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import AuditEntry
from app.booking.models import Appointment
from app.extensions import db
from app.intake.models import RoutingRule
from app.types import local_today, to_local
from app.zones.models import Closure, Institution, Zone
from tests.admin_helpers import (
    ZONE,
    count,
    entries,
    one,
    sign_in,
    zone_id,
)

# Zones


def test_a_new_zone_is_created_and_audited(app, admin):
    response = admin.post("/admin/zones/new", ZONE)
    assert response.status_code == 303
    zone = one(app, Zone, Zone.code == "tax")
    assert (zone.slot_minutes, zone.buffer_minutes, zone.opens_at) == (40, 5, time(10))
    [entry] = entries(app, "zone", "create")
    assert entry.actor.email == "boss@onestop.local" and entry.entity_id == str(zone.id)
    assert entry.before is None and entry.after["code"] == "tax"
    assert entry.after["opens_at"] == "10:00"
    assert "세무존" in admin.get("/admin/zones").get_data(as_text=True)


def test_editing_a_zone_audits_only_what_changed(app, admin):
    legal = zone_id(app, "legal")
    page = admin.get(f"/admin/zones/{legal}").get_data(as_text=True)
    assert 'value="법률존"' in page
    data = {**ZONE, "name": "법률존", "name_en": "Legal zone", "slot_minutes": "45"}
    assert admin.post(f"/admin/zones/{legal}", data).status_code == 303
    zone = one(app, Zone, Zone.id == legal)
    assert zone.slot_minutes == 45 and zone.code == "legal"  # the code never changes
    [entry] = entries(app, "zone", "update")
    assert entry.before["slot_minutes"] == 60 and entry.after["slot_minutes"] == 45
    assert "name" not in entry.before
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert "slot_minutes</code>: 60 → 45" in log


@pytest.mark.parametrize("change, field", [
    ({"opens_at": "17:00", "closes_at": "09:00"}, "closes_at"),
    ({"buffer_minutes": "-5"}, "buffer_minutes"),
    ({"slot_minutes": "0"}, "slot_minutes"),
    ({"min_notice_hours": "-1"}, "min_notice_hours"),
    ({"slot_minutes": "400"}, "slot_minutes"),  # longer than the opening hours
    ({"horizon_days": "ten"}, "horizon_days"),
    ({"code": "Tax Zone"}, "code"),
    ({"code": "legal"}, "code"),  # taken
    ({"name": " "}, "name"),
    ({"sort_order": str(2**40)}, "sort_order"),  # no integer column holds it
])
def test_bad_zones_are_refused_and_change_nothing(app, admin, change, field):
    response = admin.post("/admin/zones/new", {**ZONE, **change})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and "ons-error-summary" in page
    assert count(app, Zone) == 3 and count(app, AuditEntry) == 0


def test_an_edit_with_closing_before_opening_is_refused(app, admin):
    legal = zone_id(app, "legal")
    data = {**ZONE, "opens_at": "18:00", "closes_at": "09:00"}
    response = admin.post(f"/admin/zones/{legal}", data)
    assert response.status_code == 422
    assert "마감 시각은 시작 시각보다 늦어야 합니다" in response.get_data(as_text=True)
    assert one(app, Zone, Zone.id == legal).opens_at == time(9)


def test_deactivating_a_zone_says_its_bookings_stay(app, admin, booked):
    legal = zone_id(app, "legal")
    response = admin.post(f"/admin/zone/{legal}/active", {"active": "0"},
                          follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "예약된 상담 1건은 그대로 유지됩니다" in text
    assert one(app, Zone, Zone.id == legal).active is False
    assert one(app, Appointment, Appointment.id == booked[0]).status == "booked"
    [entry] = entries(app, "zone", "deactivate")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})
    assert admin.post(f"/admin/zone/{legal}/active", {"active": "1"}).status_code == 303
    assert one(app, Zone, Zone.id == legal).active is True


def test_the_switch_only_returns_to_admin_pages(app, admin):
    legal = zone_id(app, "legal")
    response = admin.post(f"/admin/zone/{legal}/active",
                          {"active": "1", "back": "//evil.example/admin/"})
    assert response.headers["Location"] == "/admin/zones"
    assert admin.post(f"/admin/adviser/{legal}/active", {"active": "0"}).status_code == 404


# Institutions


def test_institutions_are_added_edited_and_deactivated(app, admin):
    finance = zone_id(app, "finance")
    assert "신용보증기금" in admin.get(f"/admin/institutions?zone={finance}").get_data(True)
    response = admin.post("/admin/institutions", {
        "code": "kvic", "zone_id": str(finance), "name": "한국벤처투자", "name_en": "KVIC",
        "active": "y"})
    assert response.status_code == 303
    institution = one(app, Institution, Institution.code == "kvic")
    assert institution.zone_id == finance
    data = {"zone_id": str(finance), "name": "한국벤처투자(주)", "name_en": "KVIC",
            "sort_order": "9"}  # no "active": unticked
    assert admin.post(f"/admin/institutions/{institution.id}", data).status_code == 303
    institution = one(app, Institution, Institution.id == institution.id)
    assert institution.name == "한국벤처투자(주)" and institution.active is False
    [entry] = entries(app, "institution", "deactivate")
    assert entry.before["name"] == "한국벤처투자" and entry.after["active"] is False
    assert [e.after["zone"] for e in entries(app, "institution", "create")] == ["finance"]


@pytest.mark.parametrize("change, field", [
    ({"zone_id": "999"}, "zone_id"),
    ({"zone_id": ""}, "zone_id"),
    ({"code": "kodit"}, "code"),
    ({"code": "K!"}, "code"),
    ({"name": ""}, "name"),
])
def test_bad_institutions_are_refused(app, admin, change, field):
    data = {"code": "kvic", "zone_id": str(zone_id(app, "finance")), "name": "한국벤처투자",
            "name_en": "KVIC", **change}
    response = admin.post("/admin/institutions", data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(app, Institution) == 6 and count(app, AuditEntry) == 0


def test_an_institution_in_use_keeps_its_zone(app, admin):
    kodit = one(app, Institution, Institution.code == "kodit")
    response = admin.post(f"/admin/institutions/{kodit.id}", {
        "zone_id": str(zone_id(app, "legal")), "name": kodit.name, "name_en": kodit.name_en,
        "active": "y"})
    assert response.status_code == 422
    assert one(app, Institution, Institution.id == kodit.id).zone_id == kodit.zone_id


# Closures


def test_closures_are_added_listed_and_removed(app, admin, booked):
    with app.app_context():
        day = to_local(booked[1]).date()
    response = admin.post("/admin/closures", {"day": day.isoformat(), "zone_id": "",
                                              "reason": "창립기념일"}, follow_redirects=True)
    text = response.get_data(as_text=True)  # the day's bookings, listed (test_admin_closures)
    assert "휴무로 지정했습니다" in text and "그날 예약된 상담 1건이 그대로 있습니다" in text
    assert "창립기념일" in text
    closure = one(app, Closure, Closure.day == day)
    assert closure.zone_id is None
    again = admin.post("/admin/closures", {"day": day.isoformat(),
                                           "zone_id": str(zone_id(app, "legal"))})
    assert again.status_code == 422 and "이미 휴무로 지정된 날입니다" in again.get_data(True)
    assert admin.post(f"/admin/closures/{closure.id}/delete").status_code == 303
    assert count(app, Closure) == 0
    assert [e.action for e in entries(app, "closure")] == ["create", "delete"]
    assert entries(app, "closure", "delete")[0].before["reason"] == "창립기념일"


@pytest.mark.parametrize("data, field", [
    ({"day": "2020-01-01"}, "day"),
    ({"day": "2026-02-30"}, "day"),
    ({"day": ""}, "day"),
    ({"zone_id": "999"}, "zone_id"),
])
def test_bad_closures_are_refused(app, admin, data, field):
    with app.app_context():
        tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = admin.post("/admin/closures", {"day": tomorrow, "zone_id": "", **data})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(app, Closure) == 0 and count(app, AuditEntry) == 0


def test_a_past_closure_stays(app, admin):
    with app.app_context():
        db.session.add(Closure(day=local_today() - timedelta(days=3), reason="지난 휴무"))
        db.session.commit()
        closure_id = db.session.scalar(select(Closure.id))
    response = admin.post(f"/admin/closures/{closure_id}/delete", follow_redirects=True)
    assert "지난 휴무는 지울 수 없습니다" in response.get_data(as_text=True)
    assert count(app, Closure) == 1


# Who may use the screens


MINE = ("views_manage", "views_manage_people", "views_manage_routing")


def admin_routes(app, only_mine: bool = True):
    """(url, method) of the routes under /admin/ (or just this work's), ids filled in."""
    ids = {"zone_id": str(zone_id(app, "legal")), "entity": "zone"}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin/"):
            continue
        module = app.view_functions[rule.endpoint].__module__.rsplit(".", 1)[-1]
        if only_mine and module not in MINE:
            continue
        url = re.sub(r"<(?:[^>]*:)?([^>:]+)>", lambda m: ids.get(m.group(1), "1"), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield url, method


def test_every_admin_page_is_for_admins_only(app, client):
    app.config["WTF_CSRF_ENABLED"] = False  # the role is refused before any form is read
    routes = list(admin_routes(app, only_mine=False))
    mine = list(admin_routes(app))
    assert len(mine) >= 25 and set(mine) <= set(routes)
    assert {"/admin/zones", "/admin/audit", "/admin/routing", "/admin/zone/1/active"} <= {
        url for url, _ in routes}
    for url, method in routes:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/auth/login" in response.headers["Location"]
    sign_in(app, client, "helper@onestop.local", "adviser", zone_code="legal")
    for url, method in routes:
        assert client.open(url, method=method).status_code == 403, (method, url)
    assert count(app, AuditEntry) == 0


def test_admins_can_open_every_page(app, admin):
    with app.app_context():  # the closure the routes' id 1 names
        db.session.add(Closure(day=local_today() + timedelta(days=1), reason="휴무"))
        db.session.commit()
    for url, method in admin_routes(app):
        if method == "GET":
            response = admin.get(url)
            assert response.status_code in (200, 303), url
            if response.status_code == 200:
                assert "관리 메뉴" in response.get_data(as_text=True)


def test_the_menu_shows_every_management_section(admin):
    page = admin.get("/admin/zones").get_data(as_text=True)
    for path in ("/admin/zones", "/admin/institutions", "/admin/advisers", "/admin/closures",
                 "/admin/needs", "/admin/routing", "/admin/audit"):
        assert f'href="{path}"' in page


def test_the_admin_menu_leads_to_the_advisers_agenda_which_admins_may_open(admin):
    page = admin.get("/admin/zones").get_data(as_text=True)
    assert '<a href="/adviser/">상담위원 일정</a>' in page
    agenda = admin.get("/adviser/")
    assert agenda.status_code == 200 and "<h1" in agenda.get_data(as_text=True)


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, admin):
    legal, rules = zone_id(app, "legal"), count(app, RoutingRule)
    for url, data in ((f"/admin/zones/{legal}", {**ZONE, "slot_minutes": "30"}),
                      ("/admin/zones/new", ZONE),
                      (f"/admin/zone/{legal}/active", {"active": "0"}),
                      ("/admin/routing", {"zone_id": legal, "phrase": "소송", "weight": "1"})):
        response = admin.client.post(url, data=data)
        assert response.status_code == 400
        assert "보안 토큰" in response.get_data(as_text=True)
    zone = one(app, Zone, Zone.id == legal)
    assert zone.slot_minutes == 60 and zone.active and count(app, Zone) == 3
    assert count(app, AuditEntry) == 0 and count(app, RoutingRule) == rules
