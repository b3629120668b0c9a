"""One language at a time: the catalogues are complete and current, the locale is chosen as
README says, and the converted pages and the API speak only the reader's language."""

import re
import shlex
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.admin_helpers import admin_client
from tests.language_helpers import english_words, hangul, html_lang, visible_text

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ko", "en")
# The adviser's pages, read signed in as the admin (every menu entry, the adviser pickers)
# with a booked visit: {day}, {appointment}, {number} and {adviser} are its own.
# tests/test_i18n_staff.py reads them again with outcomes, rules, errors and flashes.
STAFF_PAGES = ("/adviser/?date={day}", "/adviser/availability?adviser_id={adviser}",
               "/adviser/companies?q={number}", "/adviser/company/{number}",
               "/adviser/appointments/{appointment}/outcome", "/adviser/walk-in")
# The pages converted to the catalogues so far; every page that is converted joins this list.
# Pages under /admin/ are read signed in as an admin (tests/test_i18n_admin.py reads each with
# its rows, errors and messages).
CONVERTED_PAGES = ("/", "/auth/login", "/no-such-page", "/intake/", *STAFF_PAGES,
                   "/admin/", "/admin/zones", "/admin/zones/new", "/admin/institutions",
                   "/admin/advisers", "/admin/advisers/new", "/admin/closures", "/admin/needs",
                   "/admin/needs/new", "/admin/routing", "/admin/outbox", "/admin/audit",
                   "/admin/imports")


def _catalogue(language: str):
    with (ROOT / f"translations/{language}/LC_MESSAGES/messages.po").open("rb") as file:
        return read_po(file, locale=language)


def _singular(msgid):
    """A msgid, or a plural one's singular (read_po gives a tuple, read_mo a list)."""
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def _ids(catalogue) -> set:
    """(context, msgid) of each message; a plural one by its singular, as extraction names it."""
    return {(message.context, _singular(message.id)) for message in catalogue if message.id}


def _extracted() -> set:
    """The msgids in the sources, extracted as `make translations` extracts them."""
    makefile = (ROOT / "Makefile").read_text()
    flags = shlex.split(re.search(r"^BABEL_KEYWORDS := (.*)$", makefile, re.M).group(1))
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords([flag for flag in flags if flag != "-k"]))
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    found = set()
    for _path, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return {(context, message) for context, message in found if message}


# ---------------------------------------------------------------- the catalogues

@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_has_a_translation_neither_empty_nor_fuzzy(language):
    catalogue = _catalogue(language)
    assert len(catalogue) > 100
    untranslated = [message.id for message in catalogue if message.id and (
        message.fuzzy or not all(message.string if isinstance(message.string, tuple)
                                 else [message.string]))]
    assert untranslated == [], f"translate these in translations/{language}: {untranslated}"
    # Placeholders (%(count)s) are the same in the translation as in the msgid.
    problems = [(message.id, errors) for message, errors in catalogue.check()]
    assert problems == []


def test_the_korean_catalogue_is_korean():
    untouched = [message.id for message in _catalogue("ko")
                 if message.id and not re.search(r"[\uac00-\ud7a3]", str(message.string))]
    assert untouched == []


def test_the_catalogues_hold_exactly_the_msgids_of_the_sources():
    """A new _() without a translation fails here until `make translations` and a translator
    have been by; a msgid no source uses any more is gone from the catalogues too."""
    in_sources = _extracted()
    assert len(in_sources) > 100
    for language in LANGUAGES:
        in_catalogue = _ids(_catalogue(language))
        assert sorted(in_sources - in_catalogue, key=str) == [], \
            f"run `make translations` and translate translations/{language}"
        assert sorted(in_catalogue - in_sources, key=str) == [], \
            f"run `make translations`: these are used nowhere ({language})"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_po_compiled(language):
    """The .mo files are built from the .po files (make run / make test); a stale one fails."""
    mo_path = ROOT / f"translations/{language}/LC_MESSAGES/messages.mo"
    assert mo_path.exists(), "run `make compile-translations`"
    with mo_path.open("rb") as file:
        compiled = _texts(read_mo(file))
    assert compiled == _texts(_catalogue(language)), "run `make compile-translations`"


def _texts(catalogue) -> dict:
    """(context, msgid) -> translation; a plural message's ids and forms as tuples."""
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(message.context, plain(message.id)): plain(message.string)
            for message in catalogue if message.id}


# ---------------------------------------------------------------- choosing the language

def test_korean_by_default(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert html_lang(page) == "ko"
    assert "원스톱 기업지원 상담" in page
    assert response.headers["Content-Language"] == "ko"
    assert "Accept-Language" in response.headers["Vary"]
    assert client.get_cookie("lang") is None


def test_lang_en_is_kept_in_a_cookie(client):
    response = client.get("/?lang=en")
    page = response.get_data(as_text=True)
    assert html_lang(page) == "en"
    assert "Onestop business support consultation" in page
    cookie = client.get_cookie("lang")
    assert cookie.value == "en" and cookie.http_only and cookie.same_site == "Lax"
    # The next page, without ?lang=, is English too; ?lang=ko switches back and is kept.
    assert html_lang(client.get("/auth/login").get_data(as_text=True)) == "en"
    assert html_lang(client.get("/auth/login?lang=ko").get_data(as_text=True)) == "ko"
    assert client.get_cookie("lang").value == "ko"
    assert html_lang(client.get("/").get_data(as_text=True)) == "ko"


def test_an_unknown_lang_is_ignored(client):
    response = client.get("/?lang=fr")
    assert response.status_code == 200
    assert html_lang(response.get_data(as_text=True)) == "ko"
    assert client.get_cookie("lang") is None
    client.get("/?lang=en")
    assert html_lang(client.get("/?lang=xx").get_data(as_text=True)) == "en"
    assert client.get_cookie("lang").value == "en"


def test_accept_language_when_nothing_was_chosen(client):
    english = {"Accept-Language": "en-US,en;q=0.9"}
    assert html_lang(client.get("/", headers=english).get_data(as_text=True)) == "en"
    preferred = {"Accept-Language": "fr;q=1, ko;q=0.8, en;q=0.5"}
    assert html_lang(client.get("/", headers=preferred).get_data(as_text=True)) == "ko"
    unknown = {"Accept-Language": "fr, de"}
    assert html_lang(client.get("/", headers=unknown).get_data(as_text=True)) == "ko"
    # A choice made on the page beats the browser's.
    client.get("/?lang=ko")
    assert html_lang(client.get("/", headers=english).get_data(as_text=True)) == "ko"


def test_the_language_selector_keeps_the_page_and_its_query(client):
    page = client.get("/auth/login?next=%2Fadviser%2F&lang=en").get_data(as_text=True)
    nav = re.search(r'<nav class="ons-languages" aria-label="([^"]+)">(.*?)</nav>', page, re.S)
    assert nav.group(1) == "Language"
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="(\w+)" translate="no"'
                       r'( aria-current="true")?>([^<]+)</a>', nav.group(2))
    assert [(href.replace("&amp;", "&"), hreflang, lang, bool(current), name)
            for href, hreflang, lang, current, name in links] == [
        ("/auth/login?next=%2Fadviser%2F&lang=ko", "ko", "ko", False, "한국어"),
        ("/auth/login?next=%2Fadviser%2F&lang=en", "en", "en", True, "English"),
    ]
    korean = client.get("/?lang=ko").get_data(as_text=True)
    assert '<nav class="ons-languages" aria-label="언어">' in korean
    assert re.search(r'lang="ko" translate="no" aria-current="true">한국어</a>', korean)


# ---------------------------------------------------------------- one language per page

@pytest.fixture
def staff_visit(app, client, auth, staff, booked) -> dict:
    """The client signed in as the admin; what the staff pages' paths name."""
    from app.booking.models import Appointment
    from app.extensions import db
    from app.types import to_local

    appointment_id, _start = booked
    with app.app_context():
        appointment = db.session.get(Appointment, appointment_id)
        values = {"day": to_local(appointment.starts_at).date().isoformat(),
                  "appointment": appointment_id, "adviser": appointment.adviser_id,
                  "number": appointment.booking.intake.business_number}
    auth.login(staff["admin"])
    return values


@pytest.mark.parametrize("path", CONVERTED_PAGES)
def test_converted_pages_speak_one_language(request, app, client, path):
    if path in STAFF_PAGES:
        path = path.format(**request.getfixturevalue("staff_visit"))
    elif path.startswith("/admin/"):
        admin_client(app, client)
    korean_response = client.get(path)
    assert korean_response.status_code in (200, 404)
    korean = korean_response.get_data(as_text=True)
    english = client.get(f"{path}{'&' if '?' in path else '?'}lang=en").get_data(as_text=True)
    assert html_lang(korean) == "ko" and html_lang(english) == "en"
    assert english_words(korean) == []
    assert hangul(english) == []
    assert len(visible_text(english)) > 10


def test_form_errors_come_in_the_pages_language(client, auth):
    """WTForms' own messages from its catalogue, ours from translations/."""
    korean = auth.login("", "")
    page = korean.get_data(as_text=True)
    assert korean.status_code == 422
    assert "이 항목은 필수입니다." in page and "입력 내용을 확인해 주세요" in page
    assert english_words(page) == []
    client.get("/?lang=en")
    english = auth.login("", "")
    page = english.get_data(as_text=True)
    assert "This field is required." in page and "Please check the following" in page
    assert hangul(page) == []


def test_the_sign_in_refusal_and_the_profile_in_english(client, auth, staff):
    client.get("/?lang=en")
    refused = auth.login(staff["adviser_a"], "wrong password!")
    assert refused.status_code == 401
    assert "The e-mail or password is not right" in refused.get_data(as_text=True)
    assert hangul(refused.get_data(as_text=True)) == []
    auth.login(staff["adviser_a"])
    profile = client.get("/auth/profile").get_data(as_text=True)
    assert "My account" in profile and "Change password" in profile
    assert hangul(profile) == []  # the adviser's Korean name is data, marked translate="no"
    assert client.get("/auth/profile?lang=ko").status_code == 200
    korean = client.get("/auth/profile").get_data(as_text=True)
    assert "내 계정" in korean
    assert english_words(korean) == []


def test_a_flashed_message_in_the_readers_language(client):
    client.get("/?lang=en")
    page = client.get("/adviser/", follow_redirects=True).get_data(as_text=True)
    assert "Please sign in." in page and "로그인이 필요합니다" not in page
    client.get("/?lang=ko")
    page = client.get("/adviser/", follow_redirects=True).get_data(as_text=True)
    assert "로그인이 필요합니다." in page and "Please sign in" not in page


def test_an_error_page_in_both_languages(client):
    korean = client.get("/no-such-page")
    assert korean.status_code == 404
    assert "찾을 수 없습니다" in korean.get_data(as_text=True)
    english = client.get("/no-such-page?lang=en").get_data(as_text=True)
    assert "Not found" in english and "Error code 404" in english


# ---------------------------------------------------------------- the API

def test_an_api_error_in_the_accept_language_language(client):
    korean = client.get("/api/v1/no-such-thing")
    assert korean.status_code == 404
    assert korean.get_json() == {"error": {
        "code": "not_found",
        "message": "요청하신 페이지나 항목이 없습니다. 링크를 다시 확인해 주세요."}}
    english = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en"})
    assert english.get_json() == {"error": {
        "code": "not_found", "message": "There is nothing here. Please check the link."}}
    assert english.headers["Content-Language"] == "en"


def test_a_validation_error_keeps_its_code_and_fields_in_both_languages(client):
    korean = client.post("/api/v1/intakes", json={})
    english = client.post("/api/v1/intakes", json={}, headers={"Accept-Language": "en-GB"})
    assert korean.status_code == english.status_code == 422
    ko_error, en_error = korean.get_json()["error"], english.get_json()["error"]
    assert ko_error["code"] == en_error["code"] == "invalid"
    assert ko_error["message"] == "입력 내용에 오류가 있습니다."
    assert en_error["message"] == "Some fields are not valid."
    assert set(ko_error["fields"]) == set(en_error["fields"])
    assert "company_name" in ko_error["fields"]


def test_a_malformed_body_is_refused_in_the_readers_language(client):
    headers = {"Content-Type": "application/json"}
    korean = client.post("/api/v1/intakes", data=b"{not json", headers=headers)
    assert korean.status_code == 400
    assert korean.get_json()["error"] == {"code": "bad_request",
                                          "message": "본문이 올바른 JSON이 아닙니다."}
    english = client.post("/api/v1/intakes", data=b"{not json",
                          headers={**headers, "Accept-Language": "en"})
    assert english.get_json()["error"]["message"] == "The body is not valid JSON."


def test_the_api_follows_accept_language_not_the_pages_cookie(client):
    """API.md: the API takes no cookies and no ?lang=; Accept-Language alone decides."""
    client.get("/?lang=en")
    answer = client.get("/api/v1/no-such-thing?lang=en")
    assert answer.get_json()["error"]["message"].startswith("요청하신")
    assert "Set-Cookie" not in answer.headers


# ---------------------------------------------------------------- dates, numbers, money

def _in(app, language: str, function, *args):
    with app.test_request_context(f"/?lang={language}"):
        return function(*args)


def test_dates_and_times_in_each_language_on_the_centres_clock(app):
    from datetime import UTC, date, datetime

    from app.main.filters import local_date, local_time

    day = date(2026, 12, 1)
    late = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # 00:30 on 1 December in Seoul
    assert _in(app, "ko", local_date, day) == "2026년 12월 1일 (화)"
    assert _in(app, "en", local_date, day) == "Tue 1 Dec 2026"
    assert _in(app, "ko", local_date, late) == "2026년 12월 1일 (화)"
    assert _in(app, "en", local_time, late) == "00:30"
    assert _in(app, "ko", local_date, None) == ""


@pytest.mark.parametrize(("amount", "korean", "english"), [
    (0, "0원", "KRW 0"),
    (7_890, "7,890원", "KRW 7,890"),
    (50_000_000, "5,000만 원", "KRW 50 million"),
    (34_500_000, "3,450만 원", "KRW 34.5 million"),
    (3_200_000_000, "32억 원", "KRW 3.2 billion"),
    (3_205_000_000, "32억 500만 원", "KRW 3.21 billion"),
    (1_234_567_890, "12억 3,456만 7,890원", "KRW 1.23 billion"),
    (1_200_000_000_000, "1조 2,000억 원", "KRW 1.2 trillion"),
])
def test_money_in_won_units_in_korean_and_krw_in_english(app, amount, korean, english):
    from app.main.filters import krw

    assert _in(app, "ko", krw, amount) == korean
    assert _in(app, "en", krw, amount) == english


def test_numbers_and_statuses_follow_the_language(app):
    from app.main.filters import krw, status_label, thousands

    assert _in(app, "ko", thousands, 1234567) == _in(app, "en", thousands, 1234567) == "1,234,567"
    assert _in(app, "ko", status_label, "no_show") == "불참"
    assert _in(app, "en", status_label, "no_show") == "No-show"
    assert _in(app, "en", status_label, "unheard_of") == "unheard_of"
    assert _in(app, "en", krw, None) == ""
