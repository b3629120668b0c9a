"""/admin/centre: an admin edits the centre's facts (CSRF, specific errors, the audit log);
an adviser cannot."""

import pytest
from sqlalchemy import select

from app.auth.models import AuditEntry
from app.centres.models import Centre
from app.extensions import db
from tests.admin_helpers import count, entries, sign_in

GOOD = {"name": "경남창조경제혁신센터", "name_en": "Gyeongnam CCEI", "region": "경상남도",
        "address": "경상남도 창원시 의창구 창원대로18번길 22",
        "address_en": "22 Changwon-daero 18beon-gil, Changwon", "phone": "055 123 4567",
        "hours": "평일 09:00–18:00", "hours_en": "Weekdays 09:00–18:00",
        "directions_url": "https://map.example.com/centre", "privacy_officer": "이보호",
        "privacy_department": "경영지원팀", "privacy_phone": "+82 55 123 4568",
        "privacy_email": "dpo@centre.example"}


def centre(app) -> Centre:
    with app.app_context():
        row = db.session.scalar(select(Centre))
        db.session.expunge(row)
        return row


def test_the_page_shows_the_form_with_the_centres_facts_and_the_menu_links_it(app, admin):
    page = admin.get("/admin/centre").get_data(as_text=True)
    assert 'name="phone"' in page and 'value="055-000-0000"' in page
    assert '<code translate="no">gyeongnam</code>' in page
    assert 'href="/admin/centre" aria-current="page"' in page
    assert 'href="/admin/centre"' in admin.get("/admin/zones").get_data(as_text=True)


def test_saving_good_facts_stores_them_normalised_audits_and_shows_them(app, admin):
    before = centre(app)
    response = admin.post("/admin/centre", GOOD)
    assert response.status_code == 303 and response.location.endswith("/admin/centre")
    after = centre(app)
    assert (after.phone, after.privacy_phone) == ("055-123-4567", "055-123-4568")
    assert (after.name_en, after.hours, after.directions_url) == (
        "Gyeongnam CCEI", "평일 09:00–18:00", "https://map.example.com/centre")
    assert after.updated_at > before.updated_at
    [entry] = entries(app, "centre", "update")
    assert entry.entity_id == str(after.id) and entry.actor.email == "boss@onestop.local"
    assert entry.before["phone"] == "055-000-0000" and entry.after["phone"] == "055-123-4567"
    assert "name" not in entry.after  # unchanged columns are not logged
    assert "변경했습니다." in admin.get("/admin/centre").get_data(as_text=True)
    home = admin.get("/?lang=en").get_data(as_text=True)
    assert 'href="tel:0551234567"' in home and "Weekdays 09:00–18:00" in home
    assert 'href="https://map.example.com/centre"' in home


def test_saving_the_same_facts_again_writes_no_audit_entry(app, admin):
    admin.post("/admin/centre", GOOD)
    admin.post("/admin/centre", GOOD)
    assert len(entries(app, "centre")) == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "12345", "국내 전화번호가 아닙니다"),
    ("phone", "055-123-4567 ext 2", "국내 전화번호가 아닙니다"),
    ("privacy_phone", "call us", "국내 전화번호가 아닙니다"),
    ("directions_url", "javascript:alert(1)", "https:// (또는 http://)로 시작하는"),
    ("directions_url", "map.naver.com/centre", "https:// (또는 http://)로 시작하는"),
    ("directions_url", "https://", "https:// (또는 http://)로 시작하는"),
    ("directions_url", "https://exa mple.com", "https:// (또는 http://)로 시작하는"),
    ("directions_url", "ftp://example.com/map", "https:// (또는 http://)로 시작하는"),
    ("privacy_email", "not-an-address", "이메일"),
    ("name", "", "필수"),
    ("address", "   ", "필수"),
    ("name_en", "x" * 101, "100"),
    ("region", "경" * 21, "20"),
    ("hours", "x" * 201, "200"),
    ("directions_url", "https://example.com/" + "x" * 490, "500"),
])
def test_a_bad_value_is_named_on_its_field_and_nothing_changes(app, admin, field, value,
                                                                message):
    before = centre(app)
    response = admin.post("/admin/centre", {**GOOD, field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = page[page.index(f'id="{field}-error"'):][:400]
    assert message in error, error
    after = centre(app)
    assert (after.phone, after.name, after.updated_at) == (before.phone, before.name,
                                                           before.updated_at)
    assert count(app, AuditEntry) == 0


def test_every_problem_is_named_at_once_in_english(admin):
    response = admin.post("/admin/centre?lang=en", {**GOOD, "phone": "123",
                                                    "directions_url": "ftp://x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not a Korean phone number (e.g. 055-123-4567" in page
    assert "Enter a web address starting with https://" in page


def test_blank_optional_facts_are_allowed(app, admin):
    blank = dict.fromkeys(("phone", "hours", "hours_en", "directions_url", "privacy_phone",
                           "privacy_email", "address_en"), "")
    assert admin.post("/admin/centre", {**GOOD, **blank}).status_code == 303
    after = centre(app)
    assert (after.phone, after.directions_url, after.privacy_phone) == ("", "", "")


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, admin):
    response = admin.client.post("/admin/centre", data=GOOD)
    assert response.status_code == 400
    assert centre(app).phone == "055-000-0000" and count(app, AuditEntry) == 0


def test_an_adviser_cannot_see_or_change_the_centre(app, client):
    sign_in(app, client, "helper@onestop.local", "adviser", zone_code="legal")
    assert client.get("/admin/centre").status_code == 403
    assert client.post("/admin/centre", data=GOOD).status_code in (400, 403)
    assert centre(app).phone == "055-000-0000"


def test_signed_out_the_page_sends_to_the_login(client):
    response = client.get("/admin/centre")
    assert response.status_code in (302, 303) and "/auth/login" in response.location


def test_the_page_saved_as_shown_is_accepted_and_changes_nothing(app, admin):
    """The demo centre's facts (seed-demo's) pass the form's own rules."""
    import re

    page = admin.get("/admin/centre").get_data(as_text=True)
    shown = {name: value for name, value in re.findall(
        r'<input [^>]*?name="([a-z_]+)"[^>]*?value="([^"]*)"', page) if name != "csrf_token"}
    assert set(shown) >= {"name", "phone", "privacy_email", "directions_url"}
    from html import unescape

    response = admin.post("/admin/centre", {k: unescape(v) for k, v in shown.items()})
    assert response.status_code == 303
    assert entries(app, "centre") == []
