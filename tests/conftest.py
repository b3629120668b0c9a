"""Fixtures: an app on a fresh migrated SQLite file per test, the demo centre, clients."""

import os
import shutil
from datetime import date

import pytest

os.environ["ONESTOP_ENV"] = "testing"
os.environ.pop("DATABASE_URL", None)

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.admin_helpers import admin_client  # noqa: E402


def _build_template(path, seed: bool) -> None:
    from app.main.commands import prepare_database

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        prepare_database()  # as `init-db`: the schema, and the statistics rollup built
        if seed:
            from app.demo.seed import seed_demo

            seed_demo()
        db.engine.dispose()


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory):
    """Migrated database files made once per session: empty, and with the demo centre."""
    folder = tmp_path_factory.mktemp("templates")
    empty, demo = folder / "empty.db", folder / "demo.db"
    _build_template(empty, seed=False)
    _build_template(demo, seed=True)
    return {"empty": empty, "demo": demo}


def _make_app(tmp_path, template, **config):
    path = tmp_path / "onestop.db"
    shutil.copyfile(template, path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", **config})
    app.config["DATABASE_PATH"] = path
    return app


@pytest.fixture
def empty_app(tmp_path, db_templates):
    """An app on a migrated database with nothing in it."""
    app = _make_app(tmp_path, db_templates["empty"])
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(tmp_path, db_templates):
    """An app on a database holding the demo centre."""
    app = _make_app(tmp_path, db_templates["demo"])
    yield app
    with app.app_context():
        db.engine.dispose()


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


def login(client, email: str, password: str = STAFF_PASSWORD):
    """Sign in through the real login page (CSRF token included)."""
    import re

    page = client.get("/auth/login").get_data(as_text=True)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"email": email, "password": password}
    if found:  # absent only where a test turned CSRF off
        data["csrf_token"] = found.group(1)
    return client.post("/auth/login", data=data)


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
