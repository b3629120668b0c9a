"""The adviser's agenda across days in Debian's Chromium, in Korean and in English, at 1280
and 390 px: sign in, step from day to day with previous / next / today (the keyboard too),
see a rescheduled visit's old slot once as "→ 14:00", open a returning firm's briefing and
its case file. axe-core finds nothing serious or critical; screenshots land in
tests/artifacts/agenda-<language>-*.png."""

import re
from datetime import time as datetime_time
from datetime import timedelta

import pytest

from app.extensions import db
from app.types import local_today
from tests.browser import ARTIFACTS, LiveServer, check_page, launch
from tests.firm_helpers import business_number
from tests.test_agenda_loops import add_visit, at
from tests.test_browser_staff import _signed_in

pytestmark = pytest.mark.browser
LANGUAGES = ("ko", "en")
WORDS = {
    "ko": {"next": "다음 날", "previous": "이전 날", "today": "오늘",
           "returning": "재방문 기업", "case_file": "기업 상담 이력", "also": "특허존 11:00",
           "waiting": "방문 당일부터"},
    "en": {"next": "Next day", "previous": "Previous day", "today": "Today",
           "returning": "Returning firm", "case_file": "Case file", "also": "Patent zone 11:00",
           "waiting": "open on the day of the visit"},
}


@pytest.fixture
def agenda_days(app):
    """Three days from today, the lawyer's agenda holds a returning firm (10:00, with the
    patent zone at 11:00) and a visit moved from 13:00 to 14:00; returns that day."""
    with app.app_context():
        day = local_today() + timedelta(days=3)
        number = business_number("412170001")
        add_visit("주식회사 다시온", number, [
            ("lawyer@onestop.local", at(day - timedelta(days=40), 10), "completed",
             {"summary": "정관 검토"})])
        add_visit("주식회사 다시온", number, [
            ("lawyer@onestop.local", at(day, 10), "booked", None),
            ("patent@onestop.local", at(day, 11), "booked", None)], industry="manufacturing")
        add_visit("주식회사 옮김", business_number("412170002"), [
            ("lawyer@onestop.local", at(day, 13), "cancelled", None),
            ("lawyer@onestop.local", at(day, 14), "booked", None)])
        db.session.commit()
    return day


@pytest.mark.parametrize("language", LANGUAGES)
def test_adviser_walks_the_agenda_across_days(app, staff, agenda_days, language):
    from playwright.sync_api import sync_playwright

    words = WORDS[language]
    day = agenda_days
    ARTIFACTS.mkdir(exist_ok=True)
    with LiveServer(app) as live, sync_playwright() as playwright:
        browser = launch(playwright)
        page, errors = _signed_in(browser, live, staff["adviser_a"], language)
        page.goto(f"{live.url}/adviser/?date={(day - timedelta(days=1)).isoformat()}")
        check_page(page, language, "01-day-before", walk="agenda")

        nav = page.get_by_role("navigation", name=re.compile("다른 날짜|Other days"))
        nav.get_by_role("link", name=re.compile(words["next"])).focus()
        page.keyboard.press("Enter")  # the links work from the keyboard
        page.wait_for_url(re.compile(rf"date={day.isoformat()}"))
        moved = page.locator(".ons-agenda-moved")
        assert moved.count() == 1
        assert "→ 14:00" in moved.inner_text() and "주식회사 옮김" in moved.inner_text()
        assert page.locator(".ons-agenda-moved .ons-briefing").count() == 0
        card = page.locator(".ons-agenda-item", has_text="주식회사 다시온")
        assert words["returning"] in card.inner_text()
        assert words["also"] in card.inner_text()
        assert words["waiting"] in card.inner_text()  # a future day: no buttons, a reason
        assert card.locator('a[href^="tel:"]').count() == 1
        check_page(page, language, "02-day-with-moved-visit", walk="agenda", phone=True)

        moved.get_by_role("link").click()  # to the new slot's card, on this page
        page.wait_for_url(re.compile(r"#appointment-\d+$"))

        card.get_by_role("link", name=words["case_file"]).click()
        page.wait_for_url(re.compile(r"/adviser/company/"))
        assert "정관 검토" in page.inner_text("main")
        check_page(page, language, "03-case-file", walk="agenda")
        page.go_back()

        page.get_by_role("navigation", name=re.compile("다른 날짜|Other days")).get_by_role(
            "link", name=re.compile(words["previous"])).click()
        page.wait_for_url(re.compile(rf"date={(day - timedelta(days=1)).isoformat()}"))
        page.get_by_role("navigation", name=re.compile("다른 날짜|Other days")).get_by_role(
            "link", name=words["today"]).click()
        with app.app_context():
            today = local_today()
        page.wait_for_url(re.compile(rf"date={today.isoformat()}"))
        assert page.locator('.ons-day-nav a[aria-current="date"]').count() == 1
        check_page(page, language, "04-today", walk="agenda", phone=True)
        browser.close()
    assert errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_finance_outcome_with_a_typed_amount(app, staff, language):
    """The finance adviser's outcome form asks only the amount, refuses "12억억" with a
    reason and takes "12억 5,000만"."""
    from playwright.sync_api import sync_playwright

    from app.visits.models import Outcome

    with app.app_context():
        today = local_today()
        add_visit("주식회사 자금", business_number("412170003"), [
            ("kodit@onestop.local", at(today, 0, 30), "booked", None)])
    ARTIFACTS.mkdir(exist_ok=True)
    with LiveServer(app) as live, sync_playwright() as playwright:
        browser = launch(playwright)
        page, errors = _signed_in(browser, live, staff["adviser_b"], language)
        page.goto(f"{live.url}/adviser/?date={today.isoformat()}")
        page.get_by_role("link", name=re.compile("결과 기록|Record the outcome")).click()
        assert page.locator("#patent_transfers, #ip_applications").count() == 0
        # typed text is shown back in the textarea, so it is typed in the page's language
        page.fill("#summary", "운전자금 보증 안내" if language == "ko" else "Guarantee advice")
        page.fill("#finance_amount_krw", "12억억")
        page.get_by_role("button", name=re.compile("저장|Save")).click()
        page.wait_for_selector("#error-summary")
        assert re.search("억 단위를 두 번|eok \\(100 million\\) is written twice",
                         page.inner_text("#error-summary"))
        check_page(page, language, "05-outcome-error", walk="agenda", phone=True)
        page.fill("#finance_amount_krw", "12억 5,000만")
        page.get_by_role("button", name=re.compile("저장|Save")).click()
        page.wait_for_selector(".ons-status-completed")
        browser.close()
    with app.app_context():
        assert db.session.scalar(
            db.select(Outcome.finance_amount_krw)) == 1_250_000_000
    assert [e for e in errors if "422" not in e] == []  # the refused form's own status


@pytest.mark.parametrize("language", LANGUAGES)
def test_walk_in_under_a_known_firms_number_asks_to_confirm(app, staff, language):
    """A walk-in typed with another firm's business number is held back with that firm's
    name (the lawyer may see it) and a confirmation to tick; ticked, it is registered."""
    import time_machine
    from playwright.sync_api import sync_playwright

    from app.intake.models import Intake
    from app.types import local_datetime

    number = business_number("412170004")
    with app.app_context():
        add_visit("주식회사 원래", number, [
            ("lawyer@onestop.local", at(local_today() - timedelta(days=30), 10), "completed",
             {"summary": "상담"})])
        monday = local_today() + timedelta(days=(7 - local_today().weekday()) % 7 or 7)
        morning = local_datetime(monday, datetime_time(9, 30))
    ARTIFACTS.mkdir(exist_ok=True)
    with time_machine.travel(morning, tick=True), LiveServer(app) as live, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        page, errors = _signed_in(browser, live, staff["adviser_a"], language)
        page.goto(f"{live.url}/adviser/walk-in?zone=legal")
        page.locator("label[for=slot-0]").click()
        page.fill("#company_name", "주식회사 새이름")
        page.fill("#business_number", number)
        page.fill("#founded_on", "2020-01-01")
        page.fill("#contact_name", "방문자")
        page.fill("#phone", "010-2222-3333")
        page.locator("label[for=consent]").click()
        submit = re.compile("접수하고 도착 처리|Register and check in")
        page.get_by_role("button", name=submit).click()
        page.wait_for_selector("#confirm_number")
        assert "주식회사 원래" in page.inner_text("#error-summary")
        for field in ("#company_name", "#contact_name"):  # typed data, in the page's language
            page.fill(field, "주식회사 새이름" if language == "ko" else "New Name Co")
        page.fill("#contact_name", "방문자" if language == "ko" else "Visitor")
        check_page(page, language, "06-walk-in-number-held", walk="agenda", phone=True)
        assert page.locator("#consent").is_checked()  # kept from the first try
        page.locator("label[for=confirm_number]").click()
        page.get_by_role("button", name=submit).click()
        page.wait_for_url(re.compile(r"/adviser/\?date="))
        browser.close()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Intake).where(
            Intake.business_number == number)) == 2
    assert [e for e in errors if "422" not in e] == []
