"""A live server in a thread, Debian's Chromium driven by Playwright, and axe-core's verdict
on the page it shows."""

import re
import threading
from pathlib import Path

from werkzeug.serving import make_server

from tests.helpers import free_port
from tests.language_helpers import english_words, hangul

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# axe-core, vendored by scripts/vendor-assets.sh (tests/vendor/axe-core/VENDOR.md).
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
_SERIOUS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} -> ` +
                v.nodes.map((n) => n.target.join(" ")).join(", "));
}"""


class LiveServer:
    """The app served on 127.0.0.1 from a background thread."""

    def __init__(self, app):
        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


def launch(playwright):
    """Debian's Chromium, or a failure that says how to get it (never a silent skip)."""
    if not CHROMIUM.exists():
        raise AssertionError(
            "Debian's Chromium is not installed at /usr/bin/chromium; run "
            "scripts/ensure-system-packages.sh (make test does) or apt-get install chromium")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def with_axe(context) -> None:
    """Give every page the context opens axe-core, before the page's own scripts. Injected
    through the browser's protocol, it is not a script of the page (the CSP stays as it is)."""
    context.add_init_script(path=str(AXE))


def desktop_page(browser):
    """A 1280 px page in a new context of a browser asking for Korean, with axe-core; what
    the page logs as an error, and what it throws, gather in `page.console_errors`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    with_axe(context)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return page


STAFF_SIGN_IN = {"ko": "로그인", "en": "Sign in"}


def signed_in(browser, live, email: str, password: str, language: str, *,
              landing: str | None = None, before=None):
    """A desktop page signed in through the login form in `language` (English chosen from
    the header, the browser asking for Korean); `before(page)` runs on the login page, and
    `landing` is the address pattern waited for (else the page's load)."""
    page = desktop_page(browser)
    page.goto(live.url + "/auth/login")
    if language == "en":
        page.locator(".ons-languages").get_by_role("link", name="English").click()
        page.wait_for_function("document.documentElement.lang === 'en'")
    if before:
        before(page)
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name=re.compile(STAFF_SIGN_IN[language])).click()
    if landing:
        page.wait_for_url(re.compile(landing))
    else:
        page.wait_for_load_state()
    return page


def tick(page, input_id: str) -> None:
    """Tick a box the way a person does: by its label (KRDS draws the box on the label)."""
    page.click(f"label[for='{input_id}']")
    assert page.is_checked(f"#{input_id}")


def fill_firm(page, company: str, contact: str) -> None:
    """The pre-screen's company and contact fields, as the walks' firm fills them in."""
    page.fill("#company_name", company)
    page.fill("#founded_on", "2022-03-15")
    page.fill("#business_number", "124-81-00998")
    page.fill("#contact_name", contact)
    page.fill("#email", "contact@hanbit.example")
    page.fill("#phone", "010 1234 5678")


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (none, we want)."""
    return page.evaluate(_SERIOUS)


def check_page(page, language: str, name: str, *, walk: str, phone: bool = False,
               allowed: tuple[str, ...] = ()) -> None:
    """The page speaks one language, axe-core finds nothing serious on it; then its
    screenshot `<walk>-<language>-<name>.png` (and one at 390 px when `phone`)."""
    html = page.content()
    assert page.get_attribute("html", "lang") == language
    assert (hangul(html) if language == "en" else english_words(html, allowed=allowed)) == [], \
        name
    found = serious_violations(page)
    assert found == [], (name, found)
    page.screenshot(path=str(ARTIFACTS / f"{walk}-{language}-{name}.png"), full_page=True)
    if phone:
        page.set_viewport_size({"width": 390, "height": 844})
        assert serious_violations(page) == [], f"{name} at 390 px"
        page.screenshot(path=str(ARTIFACTS / f"{walk}-{language}-{name}-phone.png"),
                        full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
