"""A second centre's own pages in Debian's Chromium, in Korean and in English, at 1280 and
390 px: its admin's new-zone form (the zone types to pick from), its routing rules beside
the national ones it may not change, its import page refusing a file that names another
centre (403) or an unknown one (404) and importing nothing, and its privacy policy. Every
page speaks one language and axe-core finds nothing serious
(tests/artifacts/centre-<language>-*.png)."""

import pytest
from sqlalchemy import func, null, select

from app.extensions import db
from app.intake.models import RoutingRule
from app.stats.models import ImportedConsultation
from app.zones.models import Zone
from tests.browser import check_page, desktop_page, signed_in
from tests.centre_helpers import NETWORK_STAFF, make_second_centre
from tests.conftest import STAFF_PASSWORD
from tests.stats_helpers import HEADER

pytestmark = pytest.mark.browser

WORDS = {
    "ko": {"national": "전국", "import": "가져오기",
           "other": "소속 센터의 상담만", "unknown": "nowhere", "privacy": "개인정보처리방침",
           "busan": "부산창조경제혁신센터"},
    "en": {"national": "National", "import": "Import",
           "other": "your own centre", "unknown": "nowhere", "privacy": "Privacy policy",
           "busan": "Busan CCEI"},
}


def check(page, language: str, name: str) -> None:
    # Zone codes and the centre codes a refused file names are data, not the page's words.
    check_page(page, language, name, walk="centre", phone=True,
               allowed=("legal", "finance", "patent", "tax", "labour", "busan", "nowhere",
                        "gyeongnam"))


def upload(page, rows: list[str], name: str) -> None:
    """Choose a CSV file of these rows (with the `centre` column) and send it."""
    body = "\n".join([HEADER + ",centre", *rows]) + "\n"
    page.set_input_files("#file", files=[{"name": name, "mimeType": "text/csv",
                                          "buffer": body.encode("utf-8")}])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def imported(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ImportedConsultation))


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_second_centres_admin_pages_and_its_privacy_policy(app, live, browser, language):
    words = WORDS[language]
    network = make_second_centre(app)
    with app.app_context():  # a national base rule of the legal type, and one of Busan's
        home_legal = db.session.scalar(select(Zone.id).where(
            Zone.centre_id == network.centre_a, Zone.code == "legal"))
        db.session.add_all([
            RoutingRule(centre_id=null(), zone_id=home_legal, phrase="전국 규칙 문구", weight=2.0),
            RoutingRule(centre_id=network.centre_b, zone_id=network.zone_b, phrase="임대차",
                        weight=1.5)])
        db.session.commit()
    page = signed_in(browser, live, NETWORK_STAFF["admin_b"], STAFF_PASSWORD, language,
                     landing=r"/admin/")

    page.goto(f"{live.url}/admin/zones/new")
    options = page.eval_on_selector_all("#zone-types option", "els => els.map(e => e.value)")
    # The types it has not yet (Busan has a legal zone), the other centres' among them.
    assert {"finance", "patent", "tax", "labour"} <= set(options) and "legal" not in options
    assert page.get_attribute("#code", "list") == "zone-types"
    check(page, language, "01-new-zone")

    page.goto(f"{live.url}/admin/routing")
    rows = page.locator("main table tbody tr")
    national = rows.filter(has_text="전국 규칙 문구")
    assert words["national"] in national.inner_text()  # shown, and not to be changed here
    assert national.locator("a, input[type=checkbox], button").count() == 0
    assert rows.filter(has_text="임대차").locator("button, input").count() >= 1
    check(page, language, "02-routing")

    page.goto(f"{live.url}/admin/imports")
    upload(page, [f"2026-03-04,legal,,,0,0,0,,{network.code_a}"], "other.csv")
    assert words["other"] in page.inner_text("main")
    check(page, language, "03-import-other-centre")
    upload(page, ["2026-03-04,legal,,,0,0,0,,nowhere"], "unknown.csv")
    assert words["unknown"] in page.inner_text("main")
    check(page, language, "04-import-unknown-centre")
    assert imported(app) == 0
    # The refused uploads answered 403 and 404, as they should; nothing else went wrong.
    assert [e for e in page.console_errors
            if "status of 403" not in e and "status of 404" not in e] == []

    visitor = desktop_page(browser)
    query = "centre=busan" + ("&lang=en" if language == "en" else "")
    visitor.goto(f"{live.url}/privacy?{query}")
    footer = visitor.inner_text("footer")
    assert words["busan"] in visitor.inner_text("main") and "051-000-0000" in footer
    assert words["privacy"] in visitor.inner_text("h1")
    check(visitor, language, "05-privacy")
    assert visitor.console_errors == []
