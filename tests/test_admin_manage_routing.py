"""Needs, routing rules (with the "try it" box) and the audit log through the admin pages."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.auth.audit import record_change
from app.auth.models import AuditEntry, User
from app.extensions import db
from app.intake.models import Intake, Need, RoutingRule
from app.types import local_today
from app.zones.models import Institution
from tests.admin_helpers import (
    count,
    entries,
    one,
    zone_id,
)

# Needs


def need_form(app, **change) -> dict:
    return {"code": "export_finance", "zone_id": str(zone_id(app, "finance")),
            "institution_id": str(one(app, Institution, Institution.code == "kdb").id),
            "label": "수출 금융", "label_en": "Export finance", "weight": "2.5",
            "sort_order": "50", "active": "y", **change}


def test_needs_are_created_edited_and_deactivated(app, admin):
    assert admin.post("/admin/needs/new", need_form(app)).status_code == 303
    need = one(app, Need, Need.code == "export_finance")
    assert need.weight == 2.5 and need.active
    assert "수출 금융" in admin.get("/admin/needs").get_data(as_text=True)
    edit = need_form(app, label="수출입 금융", code="changed")
    assert admin.post(f"/admin/needs/{need.id}", edit).status_code == 303
    need = one(app, Need, Need.id == need.id)
    assert need.label == "수출입 금융" and need.code == "export_finance"
    assert admin.post(f"/admin/need/{need.id}/active", {"active": "0"}).status_code == 303
    assert one(app, Need, Need.id == need.id).active is False
    actions = [e.action for e in entries(app, "need")]
    assert actions == ["create", "update", "deactivate"]
    assert entries(app, "need", "update")[0].after == {"label": "수출입 금융"}
    assert "export_finance" not in admin.get("/api/v1/needs").get_data(as_text=True)


@pytest.mark.parametrize("change, field", [
    ({"weight": "0"}, "weight"),
    ({"weight": "-2"}, "weight"),
    ({"weight": "heavy"}, "weight"),
    ({"institution_id": "__legal_aid__"}, "institution_id"),
    ({"zone_id": "77"}, "zone_id"),
    ({"code": "contract_review"}, "code"),
    ({"label_en": ""}, "label_en"),
])
def test_bad_needs_are_refused(app, admin, change, field):
    if change.get("institution_id") == "__legal_aid__":
        change = {"institution_id": str(one(app, Institution, Institution.code == "legal_aid").id)}
    needs = count(app, Need)
    response = admin.post("/admin/needs/new", need_form(app, **change))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(app, Need) == needs and count(app, AuditEntry) == 0


def test_every_problem_of_a_post_is_named_at_once(app, admin):
    response = admin.post("/admin/needs/new", need_form(app, code="Bad Code!", weight="0",
                                                        label=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("code", "weight", "label"):
        assert f'id="{field}-error"' in page
    assert "가중치는 0보다 크고" in page


# Routing rules


def rule_form(app, **change) -> dict:
    return {"zone_id": str(zone_id(app, "patent")), "institution_id": "",
            "phrase": "반도체 설계자산", "weight": "2", "active": "y", **change}


def test_routing_rules_are_added_filtered_edited_and_deactivated(app, admin):
    patent = zone_id(app, "patent")
    response = admin.post("/admin/routing", rule_form(app))
    assert response.status_code == 303
    rule = one(app, RoutingRule, RoutingRule.phrase == "반도체 설계자산")
    assert rule.zone_id == patent and rule.weight == 2
    page = admin.get(f"/admin/routing?zone={patent}").get_data(as_text=True)
    listed = page[page.index("<tbody>", page.index('id="rules-list"')):page.index('id="try-it"')]
    assert "반도체 설계자산" in listed and "특허존" in listed and "법률존" not in listed
    assert admin.post(f"/admin/routing/{rule.id}", rule_form(
        app, phrase=" 반도체 IP ", weight="1.5")).status_code == 303
    rule = one(app, RoutingRule, RoutingRule.id == rule.id)
    assert (rule.phrase, rule.weight) == ("반도체 IP", 1.5)
    assert admin.post(f"/admin/routing_rule/{rule.id}/active", {"active": "0"}).status_code == 303
    assert one(app, RoutingRule, RoutingRule.id == rule.id).active is False
    [entry] = entries(app, "routing_rule", "update")
    assert entry.before == {"phrase": "반도체 설계자산", "weight": 2.0}


def rules_listed(page: str) -> str:
    """The rows of the routing page's rule list."""
    return page[page.index("<tbody>", page.index('id="rules-list"')):page.index('id="try-it"')]


def test_the_add_form_comes_before_the_rule_list(admin):
    page = admin.get("/admin/routing").get_data(as_text=True)
    assert page.index('id="new-rule"') < page.index('id="rules-list"') < page.index('id="try-it"')


@pytest.mark.parametrize("q, hit, miss", [
    ("계약", "계약", None),  # a phrase
    ("KIBO", None, None),  # an institution's English name: its rules
    ("특허존", None, "법률존"),  # a zone's name: its rules only
    ("%", None, None),  # a LIKE wildcard is a character like any other
])
def test_the_rule_search_finds_by_phrase_zone_institution_and_need(app, admin, q, hit, miss):
    page = admin.get("/admin/routing", query_string={"q": q}).get_data(as_text=True)
    listed = rules_listed(page)
    with app.app_context():
        rules = list(db.session.scalars(select(RoutingRule)))
        by_need = {n.institution_id for n in db.session.scalars(select(Need)) if (
            n.institution_id and (q in n.label or q.lower() in n.label_en.lower()))}
        expected = {r.phrase for r in rules if (
            q in r.phrase or q in r.zone.name or q.lower() in r.zone.name_en.lower()
            or r.institution_id in by_need
            or (r.institution and (q in r.institution.name
                                   or q.lower() in r.institution.name_en.lower())))}
        if q == "%":
            assert expected == set()
    for phrase in expected if len(expected) <= 50 else ():  # all on one page
        assert f">{escape(phrase)}</a>" in listed, phrase
    found = len(re.findall(r'<th scope="row">', listed))
    assert found == min(len(expected), 50)
    if not expected:
        assert "맞는 규칙이 없습니다" in listed
    if hit:
        assert hit in listed
    if miss:
        assert miss not in listed
    assert f'value="{q}"' in page  # the search box keeps what was typed


def test_a_need_finds_the_rules_of_its_zone_and_institution(app, admin):
    with app.app_context():
        need = db.session.scalar(select(Need).where(Need.institution_id.is_not(None)))
        label, institution_id = need.label, need.institution_id
        theirs = {r.phrase for r in db.session.scalars(select(RoutingRule).where(
            RoutingRule.institution_id == institution_id))}
    listed = rules_listed(admin.get("/admin/routing", query_string={"q": label}).get_data(True))
    assert theirs and all(f">{escape(phrase)}</a>" in listed for phrase in theirs)


def test_the_zone_filter_and_the_search_go_together(app, admin):
    legal = zone_id(app, "legal")
    listed = rules_listed(admin.get("/admin/routing", query_string={
        "q": "특허", "zone": legal}).get_data(as_text=True))
    assert "특허존" not in listed


def test_the_rule_list_is_paged(app, admin):
    patent = zone_id(app, "patent")
    with app.app_context():
        for n in range(120):
            db.session.add(RoutingRule(zone_id=patent, phrase=f"쪽수 시험 {n:03d}", weight=1))
        db.session.commit()
        total = count(app, RoutingRule)
    pages = -(-total // 50)
    first = admin.get("/admin/routing").get_data(as_text=True)
    assert len(re.findall(r'<th scope="row">', rules_listed(first))) == 50
    assert f"{total}개 라우팅 규칙" in first or str(total) in first
    assert 'href="/admin/routing?page=2"' in first and 'aria-current="page">1<' in first
    searched = admin.get("/admin/routing", query_string={"q": "쪽수 시험", "page": "2"})
    text = searched.get_data(as_text=True)
    assert "쪽수 시험 050" in text and "쪽수 시험 049" not in text
    assert "q=%EC%AA%BD" in text and "page=3" in text  # the pager keeps the search
    for asked, shown in (("0", 1), ("-3", 1), ("abc", 1), ("999", pages)):
        response = admin.get("/admin/routing", query_string={"page": asked})
        assert response.status_code == 200
        assert f'aria-current="page">{shown}<' in response.get_data(as_text=True)


def test_a_duplicate_phrase_in_a_zone_is_saved_with_a_warning(app, admin):
    existing = one(app, RoutingRule, RoutingRule.zone_id == zone_id(app, "legal"))
    response = admin.post("/admin/routing", rule_form(
        app, zone_id=str(existing.zone_id), phrase=f"  {existing.phrase} "),
        follow_redirects=True)
    assert f"#{existing.id}" in response.get_data(as_text=True)
    assert "같은 문구의 규칙이 이미 있습니다" in response.get_data(as_text=True)
    assert count(app, RoutingRule, RoutingRule.phrase == existing.phrase) == 2
    elsewhere = admin.post("/admin/routing", rule_form(app, phrase=existing.phrase),
                           follow_redirects=True)
    assert "같은 문구의 규칙이 이미 있습니다" not in elsewhere.get_data(as_text=True)


@pytest.mark.parametrize("change, field", [
    ({"phrase": "   "}, "phrase"),
    ({"phrase": "가" * 101}, "phrase"),
    ({"weight": "0"}, "weight"),
    ({"weight": "-1"}, "weight"),
    ({"institution_id": "__kodit__"}, "institution_id"),  # a finance institution
    ({"zone_id": "nope"}, "zone_id"),
])
def test_bad_routing_rules_are_refused(app, admin, change, field):
    if change.get("institution_id") == "__kodit__":
        change = {"institution_id": str(one(app, Institution, Institution.code == "kodit").id)}
    rules = count(app, RoutingRule)
    response = admin.post("/admin/routing", rule_form(app, **change))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(app, RoutingRule) == rules and count(app, AuditEntry) == 0


def test_the_try_it_box_routes_a_sample_and_stores_nothing(app, admin):
    before = (count(app, Intake), count(app, RoutingRule), count(app, AuditEntry))
    page = admin.get("/admin/routing", query_string={
        "sample": "특허 출원과 상표 등록을 알아보고 있습니다", "needs": ["contract_review"]})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    result = text[text.index('id="try-result"'):]
    assert result.index("특허존") < result.index("법률존")
    assert "적합도" in result and "계약서 검토" in result
    assert re.search(r'id="needs-contract_review"[^>]*checked', text)
    assert (count(app, Intake), count(app, RoutingRule), count(app, AuditEntry)) == before
    nothing = admin.get("/admin/routing", query_string={"sample": "날씨가 좋네요"})
    assert "맞는 상담존이 없습니다" in nothing.get_data(as_text=True)


# The audit log


def test_the_audit_log_filters_and_pages_newest_first(app, admin):
    with app.app_context():
        boss = db.session.scalar(select(User).where(User.email == "boss@onestop.local"))
        other = db.session.scalar(select(User).where(User.email == "lawyer@onestop.local"))
        for n in range(60):
            record_change(boss, "update", "zone", 1, before={"n": n}, after={"n": n + 1})
        record_change(other, "login", "user", other.id)
        db.session.commit()
        boss_id, other_id = boss.id, other.id
    first = admin.get("/admin/audit").get_data(as_text=True)
    assert "61건 중 1/2쪽" in first
    assert first.count("<tr>") == 51  # header + 50
    assert first.index("login") < first.index("n</code>: 59 → 60")
    second = admin.get("/admin/audit?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 12 and "n</code>: 0 → 1" in second
    by_actor = admin.get(f"/admin/audit?actor_id={other_id}").get_data(as_text=True)
    assert "1건 중" in by_actor and "<code>login</code>" in by_actor
    by_entity = admin.get("/admin/audit?entity=zone&action=update").get_data(as_text=True)
    assert "60건 중" in by_entity
    assert 'href="/admin/audit?page=2&amp;entity=zone&amp;action=update"' in by_entity
    with app.app_context():
        today = local_today()
    dated = admin.get("/admin/audit", query_string={
        "date_from": today.isoformat(), "date_to": today.isoformat(), "actor_id": boss_id})
    assert "60건 중" in dated.get_data(as_text=True)
    past = admin.get("/admin/audit", query_string={"date_to": "2000-01-01"})
    assert "0건 중" in past.get_data(as_text=True)


@pytest.mark.parametrize("query", [
    {"date_from": "2026-12-05", "date_to": "2026-12-01"},
    {"date_from": "yesterday"},
    {"actor_id": "x"},
    {"entity": "spaceship"},
])
def test_bad_audit_filters_are_refused(admin, query):
    response = admin.get("/admin/audit", query_string=query)
    assert response.status_code == 422
    assert "ons-error-summary" in response.get_data(as_text=True)

