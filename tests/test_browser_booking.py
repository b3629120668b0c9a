"""The booking page in Debian's Chromium, in Korean and in English, at 1280 and 390 px: a
firm that asks for a technology guarantee takes the page's first suggestion and is booked
with KIBO (the steps say "booked", the page says where the e-mail went and offers Google and
Naver calendar links), a reschedule keeps KIBO, and cancelling asks first; a full day
clicked in the calendar leads to the waitlist, which tells the firm its place. axe-core finds
nothing serious on any page."""

import re
from datetime import timedelta

import pytest

from app.types import local_today
from tests.browser import check_page, fill_firm, serious_violations, tick
from tests.test_booking_api import make_intake
from tests.test_waitlist import fill_day

pytestmark = pytest.mark.browser

WORDS = {
    "ko": {"submit": "결과 보기", "book": "방문 예약하기", "kibo": "기술보증기금",
           "kibo_day": "기술보증기금 상담일", "booked": "방문 예약 확인",
           "move": "다른 시간으로 변경", "moved": "예약을 변경했습니다", "current": "현재 예약",
           "step": "예약 완료", "sent": "확인 메일을", "google": "Google 캘린더에 추가",
           "naver": "네이버 캘린더에 추가", "cancel": "방문 취소",
           "really": "정말 취소하시겠습니까?", "yes": "예, 방문을 취소합니다",
           "cancelled": "취소된 예약",
           "full": "마감 · 대기 신청", "join": "특허존 대기 신청", "place": "대기 순번 2번",
           "company": "주식회사 한빛테크", "contact": "김담당",
           "description": "기술보증을 받아 연구 장비를 사려고 합니다."},
    "en": {"submit": "See my zones", "book": "Book a visit", "kibo": "KIBO",
           "kibo_day": "KIBO day", "booked": "Your visit", "move": "Move to another time",
           "moved": "Your booking has been moved", "current": "Your booking now",
           "step": "Visit booked", "sent": "We sent the confirmation e-mail to",
           "google": "Add to Google Calendar", "naver": "Add to Naver Calendar",
           "cancel": "Cancel the visit", "really": "Do you really want to cancel?",
           "yes": "Yes, cancel the visit", "cancelled": "Cancelled booking",
           "full": "Full · join the waitlist", "join": "Join the waitlist for Patent zone",
           "place": "You are number 2 in the queue", "company": "Hanbit Tech Co., Ltd.",
           "contact": "Jane Doe",
           "description": "We want a technology guarantee to buy research equipment."},
}
PHONE = {"width": 390, "height": 844}








def check(page, language: str, name: str, phone: bool = True) -> None:
    found = serious_violations(page)
    assert not found, "\n".join(v[:700] for v in found)
    check_page(page, language, name, walk="booking", phone=phone, allowed=("ics",))



def in_view(page, selector: str) -> bool:
    """Whether the element's top comes into the upper half of the viewport (KRDS scrolls
    smoothly, so give it a moment; polled from here, as a page without JavaScript runs none)."""
    for _attempt in range(50):
        box = page.locator(selector).bounding_box()
        if box is not None and -1 <= box["y"] < page.viewport_size["height"] / 2:
            return True
        page.wait_for_timeout(100)
    return False


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_technology_guarantee_is_booked_and_kept_with_kibo(live, page, language):
    words = WORDS[language]
    page.goto(f"{live.url}/intake/?lang={language}")
    fill_firm(page, words["company"], words["contact"])
    tick(page, "needs-tech_guarantee")
    page.fill("#description", words["description"])
    tick(page, "consent_personal_info")
    page.get_by_role("button", name=re.compile(words["submit"])).click()
    page.wait_for_url(re.compile(r"/intake/[A-Za-z0-9_-]{40,}$"))
    assert words["kibo"] in page.inner_text("main")
    page.get_by_role("link", name=re.compile(words["book"])).first.click()

    page.wait_for_url(re.compile(r"/booking/new/"))
    assert page.is_checked("#zone-finance")
    main = page.inner_text("main")
    assert words["kibo_day"] in main
    assert page.locator("td.has-institution a").count() > 0
    check(page, language, "01-booking")
    # The first suggestion: the first plan of the suggested day.
    first = page.locator(".ons-plan").first
    assert words["kibo"] in first.inner_text()
    first.get_by_role("button").click()

    page.wait_for_url(re.compile(r"/booking/[A-Za-z0-9_-]{40,}$"))
    body = page.inner_text("main")
    assert words["booked"] in body and words["kibo"] in body
    assert words["step"] in page.locator("[aria-current='step']").first.inner_text()
    assert words["sent"] in body and "c***@hanbit.example" in body
    google = page.get_by_role("link", name=re.compile(words["google"]))
    assert google.get_attribute("href").startswith("https://calendar.google.com/")
    assert page.get_by_role("link", name=re.compile(words["naver"])).count() == 1
    check(page, language, "02-booked", phone=False)

    page.get_by_role("link", name=re.compile(words["move"])).click()
    page.wait_for_url(re.compile(r"/reschedule"))
    assert words["current"] in page.inner_text("main")
    # The arrow keys walk the open days of the month, as in a date picker.
    page.locator("td.is-selected a").focus()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.closest('td').className")
    assert "ons-cal-day" in focused and "is-selected" not in focused
    # Another KIBO day, chosen in the calendar: its times appear in place (no reload).
    other = page.locator("td.has-institution:not(.is-selected) a").first
    label = other.text_content()
    assert words["kibo_day"] in label
    day = re.search(r"day=(\d{4}-\d{2}-\d{2})", other.get_attribute("href")).group(1)
    other.click()
    page.wait_for_selector(f"td.is-selected.has-institution a[href*='day={day}']")
    assert f"day={day}" in page.url
    assert page.evaluate("document.activeElement.id") == "times"
    page.go_back()  # the browser's back button returns to the day shown before
    page.wait_for_selector(f"td.is-selected a:not([href*='day={day}'])")
    page.go_forward()
    page.wait_for_selector(f"td.is-selected a[href*='day={day}']")
    check(page, language, "03-reschedule")
    plan = page.locator(".ons-plan").first
    assert words["kibo"] in plan.inner_text()
    plan.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/booking/[A-Za-z0-9_-]{40,}$"))
    assert words["moved"] in page.inner_text("body")
    assert words["kibo"] in page.inner_text("main")
    # Cancelling asks first, on a page of its own, and only the red button cancels.
    cancel = page.get_by_role("link", name=re.compile(words["cancel"]))
    assert "ons-danger" in cancel.get_attribute("class")
    cancel.click()
    page.wait_for_url(re.compile(r"/cancel$"))
    assert words["really"] in page.inner_text("main") and words["kibo"] in page.inner_text("main")
    page.get_by_role("button", name=words["yes"]).click()
    page.wait_for_selector(f"text={words['cancelled']}")
    assert page.console_errors == []


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_full_day_in_the_calendar_leads_to_the_waitlist(app, live, page, language,
                                                          intake_payload):
    words = WORDS[language]
    with app.app_context():
        day = next(d for d in (local_today() + timedelta(days=k) for k in range(3, 20))
                   if d.weekday() == 1)  # a Tuesday: the patent attorney's day
        fill_day("patent", day)
    client = app.test_client()
    ahead = make_intake(client, intake_payload, email="first@example.com")
    assert client.post("/api/v1/waitlist", json={
        "intake_token": ahead, "zone": "patent", "date": day.isoformat()}).status_code == 201
    token = make_intake(client, intake_payload, needs=[], description="특허 출원 상담")

    page.set_viewport_size(PHONE)
    page.goto(f"{live.url}/booking/new/{token}?zones=patent&lang={language}")
    full = page.locator("td.is-full a").first
    assert full.locator(".ons-cal-label").text_content().endswith(words["full"])
    full.click()
    page.wait_for_selector(f"text={words['join']}")
    # On a phone the times (here the waitlist) come into view, not below the calendar.
    assert in_view(page, "#times")
    page.set_viewport_size({"width": 1280, "height": 900})
    check(page, language, "04-full-day")
    page.get_by_role("button", name=words["join"]).click()
    page.wait_for_selector(f"text={words['place']}")  # the flash, above main
    check(page, language, "05-waitlist-joined")
    assert page.console_errors == []


def test_without_javascript_a_day_is_a_plain_link_to_its_times(app, live, browser,
                                                               intake_payload):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    token = make_intake(app.test_client(), intake_payload)
    page.goto(f"{live.url}/booking/new/{token}")
    page.locator("td.is-all a").nth(1).click()
    page.wait_for_url(re.compile(r"day=.*#times$"))
    assert page.locator(".ons-plan").count() > 0
    assert in_view(page, "#times")
    context.close()
