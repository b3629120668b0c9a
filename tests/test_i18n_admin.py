"""The centre admin's pages and the statistics in one language at a time: every management
screen with the demo centre's rows, their errors and messages, the dashboard, its exports and
the historical import, in Korean and in English."""

import csv
import io
import re
from html import unescape

import pytest

from app.extensions import db
from app.intake.models import Need, RoutingRule
from app.notify.models import OutboxMessage
from app.notify.outbox import EXPIRED, enqueue
from app.zones.models import Adviser, Institution
from tests.admin_helpers import ZONE, one, zone_id
from tests.language_helpers import english_words, hangul, html_lang, visible_text
from tests.stats_helpers import bearer, csv_bytes, published_rows, staff

LANGUAGES = ("ko", "en")
AS_OF = {"asof": ["2026-05-31", "2026-07-17"], "from": "2026-01-01", "to": "2026-11-22"}


def pages(app) -> list[str]:
    """Every admin page, the new and edit forms too, over the demo centre's rows."""
    lawyer = one(app, Adviser, Adviser.name == "김정의").id
    return ["/admin/", "/admin/zones", "/admin/zones/new", f"/admin/zones/{zone_id(app, 'legal')}",
            "/admin/institutions",
            f"/admin/institutions/{one(app, Institution, Institution.code == 'kodit').id}",
            "/admin/advisers", "/admin/advisers/new", f"/admin/advisers/{lawyer}",
            f"/admin/advisers/{lawyer}/deactivate", "/admin/closures", "/admin/needs",
            "/admin/needs/new", f"/admin/needs/{one(app, Need, Need.code == 'contract_review').id}",
            "/admin/routing", f"/admin/routing/{one(app, RoutingRule).id}",
            "/admin/routing?sample=특허 출원과 계약서 검토가 필요합니다",
            "/admin/outbox", "/admin/audit", "/admin/imports"]


def read(client, path: str, language: str, status: int = 200) -> str:
    response = client.get(f"{path}{'&' if '?' in path else '?'}lang={language}")
    assert response.status_code == status, path
    return response.get_data(as_text=True)


def assert_one_language(html: str, language: str) -> None:
    """No Hangul on an English page outside names and data, no English word on a Korean one
    (acronyms such as CSV, KRW or IP are the same in both)."""
    assert html_lang(html) == language
    if language == "en":
        assert hangul(html) == []
    else:
        assert english_words(html) == []
    assert len(visible_text(html)) > 10


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_admin_page_speaks_one_language(app, admin, language):
    for path in pages(app):
        html = read(admin, path, language)
        assert_one_language(html, language)
    menu = read(admin, "/admin/zones", language)
    assert ('aria-label="관리 메뉴"' in menu) == (language == "ko")
    assert (">Routing rules</a>" in menu) == (language == "en")


@pytest.mark.parametrize(("language", "required", "limits", "saved"), [
    ("ko", "이 항목은 필수입니다.", "상담 시간은(는) 5~480 사이입니다.",
     "상담존 '세무존'을(를) 만들었습니다."),
    ("en", "This field is required.", "Slot length must be 5 to 480.", "Zone ‘Tax zone’ created."),
])
def test_a_refused_zone_and_a_created_one_in_the_pages_language(admin, language, required,
                                                                limits, saved):
    admin.get(f"/?lang={language}")
    refused = admin.post("/admin/zones/new", {**ZONE, "name": "", "slot_minutes": "1"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert required in page and limits in page
    assert_one_language(page, language)
    created = admin.post("/admin/zones/new", ZONE, follow_redirects=True)
    page = created.get_data(as_text=True)
    assert saved in unescape(page)
    assert_one_language(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_advisers_first_password_page_in_either_language(app, admin, language):
    admin.get(f"/?lang={language}")
    finance = zone_id(app, "finance")
    response = admin.post("/admin/advisers/new", {
        "email": f"new-{language}@onestop.local", "name": "오신규", "title": "기술보증기금 과장",
        "zone_id": str(finance)})
    assert response.status_code == 201
    page = response.get_data(as_text=True)
    assert_one_language(page, language)
    assert ("This password is shown only this once." in page) == (language == "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reassignment_plan_in_either_language(app, admin, booked, language):
    lawyer = one(app, Adviser, Adviser.name == "김정의").id
    page = read(admin, f"/admin/advisers/{lawyer}/deactivate", language)
    assert_one_language(page, language)
    assert ("1 consultation to reassign" in page) == (language == "en")
    assert ("넘겨야 할 상담 1건" in page) == (language == "ko")
    refused = admin.post(f"/admin/advisers/{lawyer}/deactivate")
    assert refused.status_code == 422
    assert_one_language(refused.get_data(as_text=True), language)


@pytest.fixture
def history(app, admin):
    """The centre's published history imported (as the dashboard tests import it)."""
    _, token = staff(app)
    response = app.test_client().post("/api/v1/import/consultations", data=csv_bytes(
        published_rows()), headers={**bearer(token), "Content-Type": "text/csv"})
    assert response.status_code == 200
    return admin


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dashboard_with_figures_speaks_one_language(history, language):
    page = read(history, "/admin/?" + "&".join(
        f"{key}={value}" for key, values in AS_OF.items()
        for value in (values if isinstance(values, list) else [values])), language)
    assert_one_language(page, language)
    assert ("Cumulative totals as of each date" in page) == (language == "en")
    finance = {"ko": "82억 500만 원", "en": "KRW 8.21 billion"}  # executed in the period
    assert f"<dd>{finance[language]}</dd>" in page


@pytest.mark.parametrize(("language", "heads", "first"), [
    ("ko", ["기준일", "법률존 상담", "금융존 상담", "금융존 집행액(억원)", "특허존 상담",
            "특허존 특허 이전"], ["상담존", "상담 건수"]),
    ("en", ["As of", "Legal zone: consultations", "Finance zone: consultations",
            "Finance zone: executed (100M KRW)", "Patent zone: consultations",
            "Patent zone: patent transfers"], ["Zone", "Consultations"]),
])
def test_the_exports_head_their_columns_in_the_readers_language(history, language, heads,
                                                                 first):
    """API.md fixes no export headers, so they follow the page's language; the rows do not
    change with it."""
    history.get(f"/?lang={language}")
    published = history.get("/admin/stats/published.csv", query_string=AS_OF)
    rows = list(csv.reader(io.StringIO(published.data.decode("utf-8-sig"))))
    assert rows[0] == heads
    assert rows[1] == ["2026-05-31", "95", "165", "32.00", "195", "128"]
    zones = history.get("/admin/stats/zones.csv", query_string=AS_OF).data.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(zones)))[:2] == first


@pytest.mark.parametrize(("headers", "message"), [
    ({}, "3행 date: 없는 날짜입니다 ('2026-02-30')"),
    ({"Accept-Language": "en"}, "Row 3, date: no such date (‘2026-02-30’)"),
])
def test_an_import_names_its_bad_rows_in_the_callers_language(app, client, headers, message):
    """The `fields` keys stay the same (API.md); the messages follow Accept-Language."""
    _, token = staff(app)
    response = client.post("/api/v1/import/consultations", data=csv_bytes(
        ["2026-05-31,legal,,,0,0,0,", "2026-02-30,legal,,,0,0,0,"]),
        headers={**bearer(token), **headers, "Content-Type": "text/csv"})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert fields == {"row 3.date": [message]}


def test_the_upload_page_shows_its_errors_in_english(admin):
    page = admin.get("/admin/imports?lang=en").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = admin.client.post("/admin/imports", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(csv_bytes(["2026-05-31,nowhere,,,x,0,0,"])),
                                      "bad.csv")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported: 2 problems to fix" in page
    assert "Row 2, zone: unknown zone, not one of legal, finance, patent" in page
    assert_one_language(page, "en")


@pytest.mark.parametrize(("language", "expired"), [
    ("ko", "보관 기간 안에 보내지 못해 지웠습니다."),
    ("en", "Not sent within the retention period (OUTBOX_KEEP_DAYS): erased unsent."),
])
def test_a_message_erased_unsent_says_so_in_the_pages_language(app, admin, language, expired):
    """The code prune_outbox stores, and the two-language sentence rows erased before it
    hold, read in the page's language; a mail server's own words stay as they are."""
    old = "보관 기간 안에 보내지 못해 지웠습니다 / not sent within OUTBOX_KEEP_DAYS: erased unsent"
    refused = "SMTPRecipientsRefused: {'firm@example.com': (550, b'no such user')}"
    with app.app_context():
        for n, last_error in enumerate((EXPIRED, old, refused)):
            message = db.session.get(OutboxMessage, enqueue(
                f"test:erased:{n}", "firm@example.com", "booked", {}))
            message.status, message.last_error = "dead", last_error
            message.recipient = message.subject = message.body_text = ""
            message.content = None
        db.session.commit()
    page = read(admin, "/admin/outbox?status=dead", language)
    assert unescape(page).count(expired) == 2
    assert '<code translate="no">SMTPRecipientsRefused' in page
    assert_one_language(page, language)
