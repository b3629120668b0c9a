"""A live server in a thread and Debian's Chromium driven by Playwright."""

import threading
from pathlib import Path

from werkzeug.serving import make_server

from tests.helpers import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


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
