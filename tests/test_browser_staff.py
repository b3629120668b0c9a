"""An adviser's path in Debian's Chromium, in Korean and in English (chosen from the header's
language selector): sign in -> agenda -> check-in -> outcome -> the firm's case file; and
the search and a case file that keeps another zone's notes back. Every page speaks one
language and axe-core finds nothing serious or critical on it. Screenshots land in
tests/artifacts/, named per language."""

import re
from datetime import timedelta

import pytest
import time_machine

from tests.browser import ARTIFACTS, LiveServer, check_page, launch, signed_in
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser
LANGUAGES = ("ko", "en")
WORDS = {
    "ko": {"sign_in": "로그인", "check_in": "도착", "checked_in": "도착 처리했습니다",
           "status_checked_in": "도착", "record": "결과 기록", "save": "저장",
           "saved": "상담 결과를 저장했습니다", "status_completed": "완료", "search": "찾기",
           "withheld": "다른 존의 상담 기록", "amount": "3억 원"},
    "en": {"sign_in": "Sign in", "check_in": "Check in", "checked_in": "Checked in.",
           "status_checked_in": "Checked in", "record": "Record the outcome", "save": "Save",
           "saved": "Outcome saved.", "status_completed": "Completed", "search": "Search",
           "withheld": "Another zone's notes", "amount": "KRW 300 million"},
}


def check(page, language: str, name: str, phone: bool = False) -> None:
    check_page(page, language, name, walk="staff", phone=phone)


def _signed_in(browser, live, email: str, language: str, screenshot: str | None = None):
    """A desktop page signed in as an adviser in `language` (tests/browser.py signed_in),
    the login page checked on the way when `screenshot` names it, and its console errors."""
    page = signed_in(browser, live, email, STAFF_PASSWORD, language, landing=r"/adviser/",
                     before=(lambda login: check(login, language, screenshot)) if screenshot
                     else None)
    return page, page.console_errors


@pytest.mark.parametrize("language", LANGUAGES)
def test_adviser_checks_in_records_an_outcome_and_reads_the_case_file(
        app, staff, booked, language):
    from playwright.sync_api import sync_playwright

    words = WORDS[language]
    _, start = booked
    ARTIFACTS.mkdir(exist_ok=True)
    with time_machine.travel(start - timedelta(minutes=15), tick=True), LiveServer(app) as live, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        page, errors = _signed_in(browser, live, staff["adviser_a"], language,
                                  screenshot="01-login")
        page.goto(f"{live.url}/adviser/?date={start.date().isoformat()}")
        assert "주식회사 한빛테크" in page.inner_text("main")  # a name, in both languages
        check(page, language, "02-agenda", phone=True)
        page.get_by_role("button", name=re.compile(words["check_in"])).click()
        page.wait_for_selector(f"text={words['checked_in']}")
        assert page.locator(".ons-status-checked_in").inner_text() == words["status_checked_in"]
        check(page, language, "02-agenda-checked-in")
        page.get_by_role("link", name=re.compile(words["record"])).click()
        check(page, language, "03-outcome-empty")
        page.fill("#summary", "납품 계약서의 손해배상 조항을 수정하도록 안내함")
        page.fill("#follow_up", "수정본 검토 후 재방문")
        assert page.locator("#ip_applications").count() == 0  # a legal consultation
        page.screenshot(path=str(ARTIFACTS / f"staff-{language}-03-outcome.png"),
                        full_page=True)
        page.get_by_role("button", name=re.compile(words["save"])).click()
        page.wait_for_selector(f"text={words['saved']}")
        assert page.locator(".ons-status-completed").first.inner_text() == \
            words["status_completed"]
        page.get_by_role("link", name="124-81-00998").click()
        page.wait_for_url(re.compile(r"/adviser/company/"))
        body = page.inner_text("main")
        assert "납품 계약서의 손해배상 조항" in body
        check(page, language, "04-case-file", phone=True)
        browser.close()
    assert errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_adviser_finds_a_firm_and_reads_only_their_zones_notes(app, staff, language):
    from playwright.sync_api import sync_playwright

    from tests.firm_helpers import business_number, make_firm

    words = WORDS[language]
    number = business_number("220818888")
    with app.app_context():
        make_firm("주식회사 두존_100%", number, [
            ("lawyer@onestop.local", "completed",
             {"summary": "주주간 계약서 초안을 검토함", "follow_up": "수정본 재검토"}),
            ("kodit@onestop.local", "completed",
             {"summary": "보증 한도 상담", "finance_amount_krw": 300_000_000})])
        make_firm("주식회사 특허만", business_number("220818889"),
                  [("patent@onestop.local", "booked", None)])
    ARTIFACTS.mkdir(exist_ok=True)
    with LiveServer(app) as live, sync_playwright() as playwright:
        browser = launch(playwright)
        page, errors = _signed_in(browser, live, staff["adviser_a"], language)
        page.goto(live.url + "/adviser/companies")
        page.fill("#q", "주식회사")
        page.get_by_role("button", name=re.compile(words["search"])).click()
        page.wait_for_selector("table")
        results = page.inner_text("main")
        assert "주식회사 두존_100%" in results and "주식회사 특허만" not in results
        check(page, language, "05-search", phone=True)
        page.get_by_role("link", name="주식회사 두존_100%").click()
        page.wait_for_url(re.compile(r"/adviser/company/"))
        body = page.inner_text("main")
        assert "주주간 계약서 초안" in body and words["amount"] in body
        assert "보증 한도 상담" not in body and words["withheld"] in body
        check(page, language, "06-case-file", phone=True)
        browser.close()
    assert errors == []
