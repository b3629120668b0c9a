"""The national office's centre screens in Debian's Chromium, in Korean and in English, at
1280 and 390 px: the network's centres, a new centre refused with a clear error for a code
that is taken and then made, its edit page, and its deactivation, which cancels nothing.
Every page speaks one language and axe-core finds nothing serious
(tests/artifacts/national-<language>-*.png)."""

import re

import pytest
from sqlalchemy import select

from app.centres.models import Centre
from app.extensions import db
from tests.browser import check_page, signed_in
from tests.centre_helpers import NETWORK_STAFF, make_second_centre
from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.browser

WORDS = {
    "ko": {"centres": "센터 목록|네트워크", "new": "새 센터", "save": "저장",
           "taken": "이미", "deactivate": "센터 비활성화", "name": "제주창조경제혁신센터",
           "address": "제주특별자치도 제주시", "busan": "부산창조경제혁신센터"},
    "en": {"centres": "Centres of the network", "new": "New centre", "save": "Save",
           "taken": "already", "deactivate": "Deactivate the centre",
           "name": "Jeju CCEI", "address": "Jeju-si, Jeju", "busan": "Busan CCEI"},
}


def check(page, language: str, name: str) -> None:
    # The codes typed are data (the error names the one that is taken).
    check_page(page, language, name, walk="national", phone=True, allowed=("busan", "jeju"))


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_national_office_makes_edits_and_deactivates_a_centre(app, live, browser,
                                                                   language):
    words = WORDS[language]
    make_second_centre(app)
    page = signed_in(browser, live, NETWORK_STAFF["national"], STAFF_PASSWORD, language,
                     landing=r"/admin/")
    page.goto(f"{live.url}/admin/centres")
    assert words["busan"] in page.inner_text("main")
    check(page, language, "01-centres")

    page.get_by_role("link", name=words["new"]).first.click()
    page.wait_for_url(re.compile(r"/admin/centres/new$"))
    page.fill("#code", "busan")  # taken: refused, nothing made
    page.fill("#name", "제주창조경제혁신센터")
    page.fill("#name_en", "Jeju CCEI")
    page.fill("#address", "제주특별자치도 제주시")
    page.get_by_role("button", name=words["save"]).click()
    page.wait_for_selector("#code[aria-invalid='true'], .krds-form-error, .form-error")
    assert words["taken"] in page.inner_text("main")
    check(page, language, "02-new-refused")
    with app.app_context():
        assert db.session.scalar(select(Centre).where(Centre.code == "jeju")) is None

    page.fill("#code", "jeju")
    page.get_by_role("button", name=words["save"]).click()
    page.wait_for_url(re.compile(r"/admin/centres(\?.*)?$"))
    assert words["name"] in page.inner_text("main")
    page.goto(f"{live.url}/admin/centres/jeju")
    check(page, language, "03-edit")
    page.get_by_role("button", name=words["deactivate"]).click()
    page.wait_for_load_state()
    with app.app_context():
        jeju = db.session.scalar(select(Centre).where(Centre.code == "jeju"))
        assert jeju is not None and jeju.active is False
    check(page, language, "04-deactivated")
    # The refused form answered 422, as it should; nothing else went wrong on any page.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
