"""The applicant's whole path in Debian's Chromium: home -> pre-screen -> zones -> a two-zone
visit on one day -> the private page -> cancel. Screenshots land in tests/artifacts/."""

import re

import pytest

from tests.browser import ARTIFACTS, LiveServer, launch

pytestmark = pytest.mark.browser


@pytest.fixture
def live(app):
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def page(live):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        yield page
        browser.close()


def tick(page, input_id: str) -> None:
    """Tick a box the way a person does: by its label (KRDS draws the box on the label)."""
    page.click(f"label[for='{input_id}']")
    assert page.is_checked(f"#{input_id}")


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"walk-{name}.png"), full_page=True)


def test_applicant_books_a_two_zone_visit_and_cancels_it(live, page):
    page.goto(live.url + "/")
    shot(page, "01-home")
    page.get_by_role("link", name=re.compile("사전문진 시작하기")).first.click()
    page.wait_for_url(re.compile(r"/intake/$"))

    page.fill("#company_name", "주식회사 한빛테크")
    page.fill("#founded_on", "2022-03-15")
    page.fill("#business_number", "124-81-00998")
    page.fill("#contact_name", "김담당")
    page.fill("#email", "contact@hanbit.example")
    page.fill("#phone", "010 1234 5678")
    tick(page, "needs-contract_review")
    tick(page, "needs-facility_loan")
    page.fill("#description", "공장 증설을 위한 시설자금 대출과 납품 계약서 검토가 필요합니다.")
    tick(page, "consent_personal_info")
    shot(page, "02-prescreen")
    page.get_by_role("button", name=re.compile("결과 보기")).click()

    page.wait_for_url(re.compile(r"/intake/[A-Za-z0-9_-]{40,}$"))
    body = page.inner_text("main")
    assert "법률존" in body and "금융존" in body
    assert "한국산업은행" in body  # the facility loan points at KDB
    shot(page, "03-zones")
    page.get_by_role("link", name=re.compile("방문 예약하기")).click()

    page.wait_for_url(re.compile(r"/booking/new/"))
    assert page.is_checked("#zone-legal") and page.is_checked("#zone-finance")
    # The third day both zones are free: early days may have only late slots left today.
    page.locator(".ons-day.is-complete label").nth(2).click()
    page.get_by_role("button", name=re.compile("빈 시간 보기")).click()
    page.wait_for_selector(".ons-plan")
    shot(page, "04-day")
    page.locator(".ons-plan").first.get_by_role("button").click()

    page.wait_for_url(re.compile(r"/booking/[A-Za-z0-9_-]{40,}$"))
    body = page.inner_text("main")
    assert "방문 예약 확인" in body
    assert page.locator(".ons-itinerary-item").count() == 2
    shot(page, "05-booked")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "05-booked-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.fill("#reason", "일정이 바뀌었습니다")
    page.get_by_role("button", name=re.compile("예약 취소")).click()
    page.wait_for_selector("text=취소된 예약")
    assert "일정이 바뀌었습니다" in page.inner_text("main")
    shot(page, "06-cancelled")
    assert page.console_errors == []
