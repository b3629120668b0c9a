"""An adviser's path in Debian's Chromium: sign in -> agenda -> check-in -> outcome -> the
firm's case file. Screenshots land in tests/artifacts/."""

import re
from datetime import timedelta

import pytest
import time_machine

from tests.browser import ARTIFACTS, LiveServer, launch
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"staff-{name}.png"), full_page=True)


def test_adviser_checks_in_records_an_outcome_and_reads_the_case_file(app, staff, booked):
    from playwright.sync_api import sync_playwright

    _, start = booked
    ARTIFACTS.mkdir(exist_ok=True)
    with time_machine.travel(start - timedelta(minutes=15), tick=True), LiveServer(app) as live, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ko-KR")
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(live.url + "/auth/login")
        page.fill("#email", staff["adviser_a"])
        page.fill("#password", STAFF_PASSWORD)
        shot(page, "01-login")
        page.get_by_role("button", name=re.compile("로그인")).click()
        page.wait_for_url(re.compile(r"/adviser/"))
        page.goto(f"{live.url}/adviser/?date={start.date().isoformat()}")
        assert "주식회사 한빛테크" in page.inner_text("main")
        shot(page, "02-agenda")
        page.get_by_role("button", name=re.compile("도착")).click()
        page.wait_for_selector("text=도착 처리했습니다")
        assert "도착 Checked in" in page.inner_text("main")
        page.get_by_role("link", name=re.compile("결과 기록")).click()
        page.fill("#summary", "납품 계약서의 손해배상 조항을 수정하도록 안내함")
        page.fill("#follow_up", "수정본 검토 후 재방문")
        page.fill("#ip_applications", "1")
        shot(page, "03-outcome")
        page.get_by_role("button", name=re.compile("저장")).click()
        page.wait_for_selector("text=상담 결과를 저장했습니다")
        assert "완료 Completed" in page.inner_text("main")
        page.get_by_role("link", name="124-81-00998").click()
        page.wait_for_url(re.compile(r"/adviser/company/"))
        body = page.inner_text("main")
        assert "납품 계약서의 손해배상 조항" in body
        shot(page, "04-case-file")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "04-case-file-phone")
        browser.close()
    assert errors == []
