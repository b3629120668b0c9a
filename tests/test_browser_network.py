"""The network in Debian's Chromium, in Korean and in English (issue 14): a firm finds the
Busan centre from `/`, fills in Busan's pre-screen and books its legal zone, and the booked
page names Busan (not the default centre); Busan's admin signs in, finds the firm on the
day's agenda and Busan's own figures; the national office signs in, reads the network's
table with each centre beside it and sees no firm at all. Every page speaks one language,
axe-core finds nothing serious at 1280 and 390 px (tests/artifacts/network-*.png)."""

import re

import pytest
from sqlalchemy import select

from app.booking.models import Appointment
from app.extensions import db
from app.types import to_local
from tests.browser import check_page, fill_firm, signed_in, tick
from tests.centre_helpers import NETWORK_STAFF, make_second_centre
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser
ALLOWED = ("ics",)

WORDS = {
    "ko": {"suggest": "센터 추천받기", "busan": "부산창조경제혁신센터",
           "home": "경남창조경제혁신센터", "submit": "결과 보기", "book": "방문 예약하기",
           "company": "부산 주식회사 바다", "contact": "박담당",
           "description": "거래처와의 계약서를 검토받고 싶습니다.", "network": "전국"},
    "en": {"suggest": "Suggest a centre", "busan": "Busan CCEI", "home": "Gyeongnam",
           "submit": "See my zones", "book": "Book a visit",
           "company": "Bada Busan Co., Ltd.", "contact": "Jane Park",
           "description": "We would like a lawyer to review a supplier contract.",
           "network": "Every centre"},
}


def check(page, language: str, name: str) -> None:
    check_page(page, language, name, walk="network", phone=True, allowed=ALLOWED)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_firm_books_at_busan_and_busans_admin_and_the_national_office_sign_in(
        app, live, browser, page, language):
    words = WORDS[language]
    network = make_second_centre(app)

    # The firm: the finder suggests Busan for the Busan region, and its pre-screen says so.
    page.goto(f"{live.url}/?lang={language}")
    page.select_option("#region", "busan")
    page.get_by_role("button", name=words["suggest"]).click()
    suggestion = page.locator(".ons-suggestion")
    assert words["busan"] in suggestion.inner_text()
    check(page, language, "01-finder")
    suggestion.locator("a[href*='/intake/'][href*='centre=busan']").click()
    page.wait_for_url(re.compile(r"/intake/\?.*centre=busan"))
    assert words["busan"] in page.inner_text("main")
    fill_firm(page, words["company"], words["contact"])
    tick(page, "needs-contract_review")
    page.fill("#description", words["description"])
    tick(page, "consent_personal_info")
    check(page, language, "02-prescreen")
    page.get_by_role("button", name=re.compile(words["submit"])).click()
    page.wait_for_url(re.compile(r"/intake/[A-Za-z0-9_-]{40,}$"))
    page.get_by_role("link", name=re.compile(words["book"])).first.click()
    page.wait_for_url(re.compile(r"/booking/new/"))
    check(page, language, "03-booking")
    page.locator(".ons-plan").first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/booking/[A-Za-z0-9_-]{40,}$"))
    booked = page.inner_text("body")
    assert words["busan"] in booked and "051-000-0000" in booked
    assert words["home"] not in booked
    check(page, language, "04-booked")
    with app.app_context():
        visit = db.session.scalar(select(Appointment).order_by(Appointment.id.desc()))
        assert visit.adviser_id == network.adviser_b2  # Busan's adviser, nobody else's
        day = to_local(visit.starts_at).date().isoformat()

    # Busan's admin: their own centre's firm on the day's agenda, their own figures.
    admin = signed_in(browser, live, NETWORK_STAFF["admin_b"], STAFF_PASSWORD, language,
                      landing=r"/admin/")
    assert words["busan"] in admin.inner_text("header")
    check(admin, language, "05-admin-stats")
    admin.goto(f"{live.url}/adviser/?date={day}&adviser_id={network.adviser_b2}")
    assert words["company"] in admin.inner_text("main")
    check(admin, language, "06-admin-agenda")
    # Another centre's figures are not theirs to read.
    assert admin.goto(f"{live.url}/admin/?centre={network.code_a}").status == 403
    admin.context.close()

    # The national office: the network's table, each centre beside it, and no firm.
    office = signed_in(browser, live, NETWORK_STAFF["national"], STAFF_PASSWORD, language,
                       landing=r"/admin/")
    office.goto(f"{live.url}/admin/?centre=all&lang={language}")
    body = office.inner_text("main")
    assert words["busan"] in body and words["network"] in body
    assert words["company"] not in office.content()
    check(office, language, "07-national-network")
    refused = office.goto(f"{live.url}/adviser/?date={day}")
    assert refused.status == 403 and words["company"] not in office.content()
    office.context.close()
    assert page.console_errors == []
