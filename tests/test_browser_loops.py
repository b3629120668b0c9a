"""The loops after booking in Debian's Chromium, in Korean and English, at 1280 and 390 px:
a booked visit's private page -> its calendar links -> cancel -> "really?" -> cancelled; and
the pre-screen result of a firm that booked, which links to its booking instead of a second
one. axe-core finds nothing serious or critical on any page."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from app.centres.services import default_centre
from tests.browser import check_page
from tests.test_booking_loops import book_one

pytestmark = pytest.mark.browser
ALLOWED = ("ics",)  # a file format named alike in both languages
WORDS = {
    "ko": {"google": "Google 캘린더에 추가", "naver": "네이버 캘린더에 추가", "cancel": "방문 취소",
           "really": "정말 취소하시겠습니까?", "yes": "예, 방문을 취소합니다",
           "cancelled": "취소된 예약", "see": "내 예약 보기", "reason": "일정이 바뀌었습니다"},
    "en": {"google": "Add to Google Calendar", "naver": "Add to Naver Calendar",
           "cancel": "Cancel the visit", "really": "Do you really want to cancel?",
           "yes": "Yes, cancel the visit", "cancelled": "Cancelled booking",
           "see": "See my booking", "reason": "Our plans changed"},
}






def check(page, language: str, name: str) -> None:
    check_page(page, language, name, walk="loops", phone=True, allowed=ALLOWED)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_booked_firm_adds_the_visit_to_its_calendar_and_cancels_with_confirmation(
        app, client, intake_payload, live, page, language):
    words = WORDS[language]
    intake, token, slot = book_one(client, app, intake_payload)

    page.goto(f"{live.url}/intake/{intake}?lang={language}")
    assert page.locator(f"a[href='/booking/new/{intake}']").count() == 0
    check(page, language, "01-result-booked")
    page.get_by_role("link", name=words["see"]).click()
    page.wait_for_url(re.compile(rf"/booking/for/{intake}$"))
    assert slot["adviser_name"] in page.inner_text("main")
    check(page, language, "02-found")

    page.goto(f"{live.url}/booking/{token}")
    google = page.get_by_role("link", name=re.compile(words["google"]))
    query = parse_qs(urlsplit(google.get_attribute("href")).query)
    assert query["action"] == ["TEMPLATE"] and re.fullmatch(r"\d{8}T\d{6}Z/\d{8}T\d{6}Z",
                                                            query["dates"][0])
    with app.app_context():  # the centre's address in the language of the page's calendar
        centre = default_centre()
        address = (centre.address_en or centre.address) if language == "en" else centre.address
    assert address in query["location"][0]
    naver = page.get_by_role("link", name=re.compile(words["naver"]))
    assert naver.get_attribute("href") == "https://calendar.naver.com/"
    assert page.locator("a[href$='/calendar.ics']").count() == 1
    cancel = page.get_by_role("link", name=re.compile(words["cancel"]))
    assert "ons-danger" in cancel.get_attribute("class")
    check(page, language, "03-private-page")

    cancel.click()
    page.wait_for_url(re.compile(r"/cancel$"))
    assert words["really"] in page.inner_text("main")
    check(page, language, "04-really")
    page.fill("#reason", words["reason"])
    page.get_by_role("button", name=words["yes"]).click()
    page.wait_for_selector(f"text={words['cancelled']}")
    assert words["reason"] in page.inner_text("main")
    check(page, language, "05-cancelled")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_new_result_puts_the_booking_button_in_the_first_phone_screen(
        app, client, intake_payload, live, page, language):
    response = client.post("/api/v1/intakes", json=intake_payload)
    intake = response.get_json()["intake"]["token"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live.url}/intake/{intake}?lang={language}")
    button = page.locator(f"a[href='/booking/new/{intake}']").first
    box = button.bounding_box()
    assert box and box["y"] + box["height"] <= 844
    page.set_viewport_size({"width": 1280, "height": 900})
    check(page, language, "06-result-new")
