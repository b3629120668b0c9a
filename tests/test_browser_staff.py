"""An adviser's path in Debian's Chromium: sign in -> agenda -> check-in -> outcome -> the
firm's case file; and the search and a case file that keeps another zone's notes back.
Screenshots land in tests/artifacts/."""

import re
from datetime import timedelta

import pytest
import time_machine

from tests.browser import ARTIFACTS, LiveServer, launch
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"staff-{name}.png"), full_page=True)


def _signed_in(browser, live, email: str, screenshot: str | None = None):
    """A desktop-sized page signed in through the login form, and its console errors."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(live.url + "/auth/login")
    page.fill("#email", email)
    page.fill("#password", STAFF_PASSWORD)
    if screenshot:
        shot(page, screenshot)
    page.get_by_role("button", name=re.compile("로그인")).click()
    page.wait_for_url(re.compile(r"/adviser/"))
    return page, errors


def test_adviser_checks_in_records_an_outcome_and_reads_the_case_file(app, staff, booked):
    from playwright.sync_api import sync_playwright

    _, start = booked
    ARTIFACTS.mkdir(exist_ok=True)
    with time_machine.travel(start - timedelta(minutes=15), tick=True), LiveServer(app) as live, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        page, errors = _signed_in(browser, live, staff["adviser_a"], screenshot="01-login")
        page.goto(f"{live.url}/adviser/?date={start.date().isoformat()}")
        assert "주식회사 한빛테크" in page.inner_text("main")
        shot(page, "02-agenda")
        page.get_by_role("button", name=re.compile("도착")).click()
        page.wait_for_selector("text=도착 처리했습니다")
        assert page.locator(".ons-status-checked_in").inner_text() == "도착"
        page.get_by_role("link", name=re.compile("결과 기록")).click()
        page.fill("#summary", "납품 계약서의 손해배상 조항을 수정하도록 안내함")
        page.fill("#follow_up", "수정본 검토 후 재방문")
        page.fill("#ip_applications", "1")
        shot(page, "03-outcome")
        page.get_by_role("button", name=re.compile("저장")).click()
        page.wait_for_selector("text=상담 결과를 저장했습니다")
        assert page.locator(".ons-status-completed").first.inner_text() == "완료"
        page.get_by_role("link", name="124-81-00998").click()
        page.wait_for_url(re.compile(r"/adviser/company/"))
        body = page.inner_text("main")
        assert "납품 계약서의 손해배상 조항" in body
        shot(page, "04-case-file")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "04-case-file-phone")
        browser.close()
    assert errors == []


def test_adviser_finds_a_firm_and_reads_only_their_zones_notes(app, staff):
    from playwright.sync_api import sync_playwright

    from tests.firm_helpers import business_number, make_firm

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
        page, errors = _signed_in(browser, live, staff["adviser_a"])
        page.goto(live.url + "/adviser/companies")
        page.fill("#q", "주식회사")
        page.get_by_role("button", name=re.compile("찾기")).click()
        results = page.inner_text("main")
        assert "주식회사 두존_100%" in results and "주식회사 특허만" not in results
        shot(page, "05-search")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "05-search-phone")
        page.get_by_role("link", name="주식회사 두존_100%").click()
        page.wait_for_url(re.compile(r"/adviser/company/"))
        body = page.inner_text("main")
        assert "주주간 계약서 초안" in body and "300,000,000" in body
        assert "보증 한도 상담" not in body and "다른 존의 상담 기록" in body
        shot(page, "06-case-file-phone")
        page.set_viewport_size({"width": 1280, "height": 900})
        shot(page, "06-case-file")
        browser.close()
    assert errors == []
