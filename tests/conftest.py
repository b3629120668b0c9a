"""Fixtures: an app on a fresh migrated database per test, the demo centre, clients.

The database is SQLite or PostgreSQL as `TEST_DATABASE` says (tests/databases.py); a test
about one engine is marked `sqlite_only` or `postgres_only` and is skipped on the other.
"""

import os
import re
from datetime import date

import pytest

os.environ["ONESTOP_ENV"] = "testing"
os.environ.pop("DATABASE_URL", None)

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from tests import databases as test_databases  # noqa: E402
from tests.admin_helpers import admin_client  # noqa: E402

ENGINE = test_databases.engine_name()


def pytest_report_header(config):
    return f"database: {ENGINE} (TEST_DATABASE)"


def pytest_collection_modifyitems(config, items):
    other = {"sqlite": "postgres_only", "postgres": "sqlite_only"}[ENGINE]
    skip = pytest.mark.skip(reason=f"{other.replace('_', ' ')}: this run is on {ENGINE}")
    for item in items:
        if "pg_app" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres_only)
        if other in item.keywords:
            item.add_marker(skip)


def _build_template(url, seed: bool) -> None:
    from app.main.commands import prepare_database

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare_database()  # as `init-db`: the schema, and the statistics rollup built
        if seed:
            from app.demo.seed import seed_demo

            seed_demo()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """This run's engine: its templates, and a fresh copy of one for each test."""
    engine = test_databases.start(tmp_path_factory.mktemp("templates"))
    test_databases.CURRENT[:] = [engine]
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def db_templates(databases):
    """Migrated databases made once per session: empty, and with the demo centre."""
    templates = {}
    for name in ("empty", "demo"):
        template, url = databases.template(name)
        _build_template(url, seed=name == "demo")
        templates[name] = template
    return templates


@pytest.fixture(autouse=True)
def _own_databases(databases):
    """Each test makes its copies of the templates; after it, they are dropped (PostgreSQL:
    closing any connection the test left open; SQLite's files go with its folder)."""
    yield
    databases.drop_all()


fresh_database = test_databases.fresh_database
template_of = test_databases.template_of
blank_database = test_databases.blank_database


def _make_app(tmp_path, template, **config):
    url = fresh_database(template, tmp_path)
    # Most tests count a booking's messages; the pre-screen's receipt is tested on its own
    # (tests/test_prescreen_mail.py turns it on).
    config.setdefault("MAIL_PRESCREEN_RECEIPT", False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, **config})
    if ENGINE == "sqlite":
        app.config["DATABASE_PATH"] = tmp_path / "onestop.db"
    return app


@pytest.fixture
def make_app(tmp_path, db_templates):
    """Apps of the test's own, each on a fresh copy of a template in a folder of its own:
    `make_app(RATELIMIT_ENABLED=True)` on the demo centre, `make_app("empty")` on nothing;
    closed after the test."""
    made = []

    def make(template: str = "demo", **config):
        folder = tmp_path / f"app-{len(made) + 1}"
        folder.mkdir()
        made.append(_make_app(folder, db_templates[template], **config))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def empty_app(tmp_path, db_templates):
    """An app on a migrated database with nothing in it."""
    app = _make_app(tmp_path, db_templates["empty"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path, db_templates):
    """An app on a database holding the demo centre."""
    app = _make_app(tmp_path, db_templates["demo"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def pg_app(app):
    """The app, where the test is about PostgreSQL itself (advisory locks, SKIP LOCKED, its
    lock timeout): a test that takes it runs in the PostgreSQL run only."""
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    return app


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


VALID_BUSINESS_NUMBER = "124-81-00998"  # a well-known valid number (check digit 8)


@pytest.fixture
def intake_payload():
    """A valid API body for a founded firm with legal and patent needs."""
    return {
        "company_name": "주식회사 한빛테크",
        "business_number": VALID_BUSINESS_NUMBER,
        "representative_name": "홍길동",
        "contact_name": "김담당",
        "email": "contact@hanbit.example",
        "phone": "010-1234-5678",
        "founded_on": date(2022, 3, 15).isoformat(),
        "industry": "제조업 / Manufacturing",
        "employees": 12,
        "region": "경상남도",
        "needs": ["contract_review"],
        "description": "특허 출원을 준비하고 있고 납품 계약서 검토도 필요합니다.",
        "consent_personal_info": True,
        "consent_marketing": False,
    }


STAFF_PASSWORD = "correct horse battery"
STAFF = {"admin": "admin@onestop.local", "adviser_a": "lawyer@onestop.local",
         "adviser_b": "kodit@onestop.local"}


@pytest.fixture
def staff(app):
    """The demo admin and two demo advisers, with a password the tests know."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from app.auth.models import User

    with app.app_context():
        digest = generate_password_hash(STAFF_PASSWORD, method="scrypt")
        for email in STAFF.values():
            db.session.scalar(select(User).where(User.email == email)).password_hash = digest
        db.session.commit()
    return STAFF


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class AuthActions:
    """Sign in and out through the real pages, CSRF token included (flaskr's `auth`)."""

    def __init__(self, client=None, *, default=None):
        self._client, self._default = client, default

    @property
    def client(self):
        if self._client is None:
            self._client = self._default()
        return self._client

    def on(self, client) -> "AuthActions":
        """The same actions as another client: a second browser, or an app's of its own."""
        return AuthActions(client)

    def _token(self, path: str) -> dict:
        found = CSRF_FIELD.search(self.client.get(path).get_data(as_text=True))
        return {"csrf_token": found.group(1)} if found else {}  # none where CSRF is off

    def login(self, email: str, password: str = STAFF_PASSWORD):
        """Post the sign-in form; returns the response (303 to the workspace when right)."""
        return self.client.post("/auth/login", data={
            "email": email, "password": password, **self._token("/auth/login")})

    def logout(self):
        """Post the header's sign-out form, from a page that shows it."""
        return self.client.post("/auth/logout", data=self._token("/auth/profile"))


@pytest.fixture
def auth(request):
    """Sign-in and sign-out as the test's `client` (`auth.login(staff["admin"])`), or as
    another with `auth.on(other)`. The `client` is only taken when first used, so a test
    on an app of its own (and its own database) makes no second one beside it."""
    return AuthActions(default=lambda: request.getfixturevalue("client"))


@pytest.fixture
def booked(app, client, intake_payload):
    """A visit booked with the demo lawyer: returns (appointment id, its start)."""
    from datetime import datetime, timedelta

    from app.types import local_today

    token = client.post("/api/v1/intakes", json=intake_payload).get_json()["intake"]["token"]
    with app.app_context():
        first = local_today()
    slots = client.get("/api/v1/slots", query_string={
        "zone": "legal", "from": first.isoformat(),
        "to": (first + timedelta(days=14)).isoformat()}).get_json()["slots"]
    slot = slots[0]
    response = client.post("/api/v1/bookings", json={"intake_token": token, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": slot["start"]}]})
    booking = response.get_json()["booking"]
    return booking["appointments"][0]["id"], datetime.fromisoformat(slot["start"])


@pytest.fixture
def admin(app, client):
    """The test client signed in as an admin, with the admin-screen helpers."""
    return admin_client(app, client)


@pytest.fixture
def live(app):
    """The app served on loopback for a browser (tests/browser.py)."""
    from tests.browser import LiveServer

    with LiveServer(app) as server:
        yield server


@pytest.fixture
def browser():
    """Debian's Chromium through Playwright, closed after the test."""
    from playwright.sync_api import sync_playwright

    from tests.browser import ARTIFACTS, launch

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(live, browser):
    """A desktop page of that browser, for a walk of the live app."""
    from tests.browser import desktop_page

    return desktop_page(browser)
