"""A live server in a thread, Debian's Chromium driven by Playwright, and axe-core's verdict
on the page it shows."""

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
    assert serious_violations(page) == [], name
    page.screenshot(path=str(ARTIFACTS / f"{walk}-{language}-{name}.png"), full_page=True)
    if phone:
        page.set_viewport_size({"width": 390, "height": 844})
        assert serious_violations(page) == [], f"{name} at 390 px"
        page.screenshot(path=str(ARTIFACTS / f"{walk}-{language}-{name}-phone.png"),
                        full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
