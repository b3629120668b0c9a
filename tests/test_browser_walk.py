"""The applicant's whole path in Debian's Chromium, in Korean and in English: home -> (the
header's language selector) -> pre-screen -> zones -> a two-zone visit on one day -> the
private page -> cancel. Every page speaks one language and axe-core finds nothing serious
or critical on it. Screenshots land in tests/artifacts/, named per language."""

import re

import pytest

from tests.browser import ARTIFACTS, check_page, fill_firm, tick

pytestmark = pytest.mark.browser
# A file format named as it is in both languages.
ALLOWED = ("ics",)

# What the applicant reads and types, per language. A foreign founder types English data.
WORDS = {
    "ko": {"start": "사전문진 시작하기", "submit": "결과 보기", "legal": "법률존",
           "finance": "금융존", "kdb": "한국산업은행", "book": "방문 예약하기",
           "show": "빈 시간 보기", "booked": "방문 예약 확인", "cancel": "방문 취소",
           "confirm_cancel": "예, 방문을 취소합니다",
           "cancelled": "취소된 예약", "company": "주식회사 한빛테크", "contact": "김담당",
           "description": "공장 증설을 위한 시설자금 대출과 납품 계약서 검토가 필요합니다.",
           "reason": "일정이 바뀌었습니다"},
    "en": {"start": "Start the pre-screen", "submit": "See my zones", "legal": "Legal zone",
           "finance": "Finance zone", "kdb": "KDB", "book": "Book a visit",
           "show": "Show free times", "booked": "Your visit", "cancel": "Cancel the visit",
           "confirm_cancel": "Yes, cancel the visit",
           "cancelled": "Cancelled booking", "company": "Hanbit Tech Co., Ltd.",
           "contact": "Jane Doe",
           "description": "We need a facility loan to extend the plant and a review of a "
                          "supply contract.",
           "reason": "Our plans changed"},
}







def check(page, language: str, name: str, phone: bool = False) -> None:
    check_page(page, language, name, walk="walk", phone=phone, allowed=ALLOWED)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_applicant_books_a_two_zone_visit_and_cancels_it(live, page, language):
    words = WORDS[language]
    page.goto(live.url + "/")  # the browser asks for Korean; English is chosen on the page
    assert page.get_attribute("html", "lang") == "ko"
    if language == "en":
        page.locator(".ons-languages").get_by_role("link", name="English").click()
        page.wait_for_function("document.documentElement.lang === 'en'")
    check(page, language, "01-home")
    page.get_by_role("link", name=re.compile(words["start"])).first.click()
    page.wait_for_url(re.compile(r"/intake/$"))
    check(page, language, "02-prescreen-empty", phone=True)

    fill_firm(page, words["company"], words["contact"])
    tick(page, "needs-contract_review")
    tick(page, "needs-facility_loan")
    page.fill("#description", words["description"])
    tick(page, "consent_personal_info")
    page.screenshot(path=str(ARTIFACTS / f"walk-{language}-02-prescreen.png"), full_page=True)
    page.get_by_role("button", name=re.compile(words["submit"])).click()

    page.wait_for_url(re.compile(r"/intake/[A-Za-z0-9_-]{40,}$"))
    body = page.inner_text("main")
    assert words["legal"] in body and words["finance"] in body
    assert words["kdb"] in body  # the facility loan points at KDB
    check(page, language, "03-zones")
    page.get_by_role("link", name=re.compile(words["book"])).click()

    page.wait_for_url(re.compile(r"/booking/new/"))
    assert page.is_checked("#zone-legal") and page.is_checked("#zone-finance")
    check(page, language, "04-booking", phone=True)
    # The third day both zones are free: early days may have only late slots left today.
    third = page.locator("td.is-all a").nth(2)
    day = re.search(r"day=([\d-]+)", third.get_attribute("href")).group(1)
    third.click()  # the calendar shows the day's times in place
    page.wait_for_selector(f"td.is-selected a[href*='day={day}']")
    page.wait_for_selector(".ons-plan")
    check(page, language, "04-day", phone=True)
    page.locator(".ons-plan").first.get_by_role("button").click()

    page.wait_for_url(re.compile(r"/booking/[A-Za-z0-9_-]{40,}$"))
    body = page.inner_text("main")
    assert words["booked"] in body
    assert page.locator(".ons-itinerary-item").count() == 2
    check(page, language, "05-booked", phone=True)

    page.get_by_role("link", name=re.compile(words["cancel"])).click()
    page.wait_for_url(re.compile(r"/cancel$"))
    page.fill("#reason", words["reason"])
    page.get_by_role("button", name=re.compile(words["confirm_cancel"])).click()
    page.wait_for_selector(f"text={words['cancelled']}")
    assert words["reason"] in page.inner_text("main")
    check(page, language, "06-cancelled")
    assert page.console_errors == []
