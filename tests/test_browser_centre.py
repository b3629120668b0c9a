"""The centre's facts in Debian's Chromium, in Korean and in English: every page's footer
(a phone that is a tel: link, hours, directions, the privacy policy link), the privacy policy
itself, and the admin's page that edits the facts, at 1280 and 390 px. Every page speaks one
language and axe-core finds nothing serious or critical on it. Screenshots land in
tests/artifacts/ (centre-<language>-<name>.png)."""

import re

import pytest

from tests.browser import ARTIFACTS, LiveServer, check_page, launch, with_axe
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser
LANGUAGES = ("ko", "en")
# Acronyms that read the same in both languages.
ALLOWED = ("API", "HTTPS", "http")  # and the schemes a link must start with
WORDS = {
    "ko": {"privacy": "개인정보처리방침", "sign_in": "로그인", "centre": "센터", "save": "저장",
           "saved": "변경했습니다", "hours": "평일 09:00–17:00"},
    "en": {"privacy": "Privacy policy", "sign_in": "Sign in", "centre": "Centre", "save": "Save",
           "saved": "Saved.", "hours": "Weekdays 09:00–17:00"},
}


def check(page, language: str, name: str) -> None:
    check_page(page, language, name, walk="centre", phone=True, allowed=ALLOWED)


def footer_shot(page, language: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.locator("#krds-footer").screenshot(
        path=str(ARTIFACTS / f"centre-{language}-00-footer-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footer_the_privacy_policy_and_the_admins_centre_page(app, staff, language):
    from playwright.sync_api import sync_playwright

    words = WORDS[language]
    ARTIFACTS.mkdir(exist_ok=True)
    with LiveServer(app) as live, sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
        with_axe(context)
        page = context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{live.url}/?lang={language}")

        footer = page.locator("#krds-footer")
        phone = footer.locator("a[href^='tel:']")
        assert phone.get_attribute("href") == "tel:0550000000"
        assert phone.inner_text() == "055-000-0000"
        assert footer.get_by_role("link", name=re.compile(
            "찾아오시는 길" if language == "ko" else "Directions")).get_attribute(
            "href").startswith("https://map.naver.com/")
        bold = footer.locator(".ons-privacy-link strong")
        assert bold.inner_text() == words["privacy"]
        assert int(bold.evaluate("e => getComputedStyle(e).fontWeight")) >= 700
        footer_shot(page, language, 1280)
        footer_shot(page, language, 390)
        check(page, language, "01-home")

        footer.get_by_role("link", name=words["privacy"]).click()
        page.wait_for_url(re.compile(r"/privacy$"))
        main = page.inner_text("main")
        assert ("1,095" if language == "en" else "1,095일") in main
        assert "055-000-0001" in main  # the officer's phone, from the centre's data
        check(page, language, "02-privacy")

        page.goto(f"{live.url}/auth/login")
        page.fill("#email", staff["admin"])
        page.fill("#password", STAFF_PASSWORD)
        page.get_by_role("button", name=re.compile(words["sign_in"])).click()
        page.wait_for_url(re.compile(r"/admin/"))
        page.locator(".ons-staff-nav").get_by_role("link", name=words["centre"],
                                                   exact=True).click()
        page.wait_for_url(re.compile(r"/admin/centre$"))
        check(page, language, "03-admin-centre")

        page.fill("#phone", "12345")
        page.fill("#directions_url", "javascript:alert(1)")
        page.get_by_role("button", name=words["save"]).click()
        assert page.locator("#phone-error").is_visible()
        assert page.locator("#directions_url-error").is_visible()
        check(page, language, "04-admin-centre-errors")

        page.fill("#phone", "055 123 4567")
        page.fill("#directions_url", "https://map.example.com/centre")
        page.fill("#hours" if language == "ko" else "#hours_en", words["hours"])
        page.get_by_role("button", name=words["save"]).click()
        page.wait_for_selector(f"text={words['saved']}")
        assert page.locator("#phone").input_value() == "055-123-4567"
        footer = page.locator("#krds-footer")
        assert footer.locator("a[href^='tel:']").get_attribute("href") == "tel:0551234567"
        assert words["hours"] in footer.inner_text()
        # The console's one error: the refused form's 422, as intended.
        assert [e for e in errors if "422" not in e] == []
        browser.close()
