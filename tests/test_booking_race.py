"""40 clients race for one slot on a multi-process server: exactly one wins."""

import json
import shutil
import threading
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.booking.models import Appointment
from app.extensions import db
from app.types import local_today
from tests.conftest import VALID_BUSINESS_NUMBER
from tests.helpers import start_gunicorn, stop

CLIENTS = 40


def call(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.slow
def test_forty_clients_one_slot_exactly_one_booking(tmp_path, db_templates, app):
    db_path = tmp_path / "race.db"
    shutil.copyfile(db_templates["demo"], db_path)
    process, base = start_gunicorn(db_path)
    try:
        with urllib.request.urlopen(f"{base}/api/v1/zones", timeout=10) as response:
            assert response.headers["Server"] == "gunicorn"  # no version in the banner
            assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        tokens = []
        for n in range(CLIENTS):
            status, body = call("POST", f"{base}/api/v1/intakes", {
                "company_name": f"경쟁기업 {n}", "business_number": VALID_BUSINESS_NUMBER,
                "contact_name": "담당", "email": f"race{n}@example.com",
                "phone": "010-1234-5678", "founded_on": "2020-01-01", "needs": [],
                "description": "계약서 검토", "consent_personal_info": True})
            assert status == 201, body
            tokens.append(body["intake"]["token"])
        with app.app_context():
            today = local_today()
        status, body = call("GET", f"{base}/api/v1/slots?zone=legal&from={today}"
                                   f"&to={today + timedelta(days=14)}")
        assert status == 200 and body["slots"], body
        slot = body["slots"][0]
        wanted = {"zone": "legal", "adviser_id": slot["adviser_id"], "start": slot["start"]}

        barrier = threading.Barrier(CLIENTS)

        def attempt(token):
            barrier.wait()
            return call("POST", f"{base}/api/v1/bookings",
                        {"intake_token": token, "appointments": [wanted]})

        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(attempt, tokens))
    finally:
        stderr = stop(process)
    statuses = Counter(status for status, _ in results)
    codes = Counter(body.get("error", {}).get("code") for status, body in results if status != 201)
    print(f"race: {dict(statuses)} {dict(codes)}")
    assert statuses == {201: 1, 409: CLIENTS - 1}, (statuses, stderr[-2000:])
    assert codes == {"slot_taken": CLIENTS - 1}
    assert "Traceback" not in stderr
    from app import create_app

    check = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}"})
    with check.app_context():
        live = db.session.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.status != "cancelled"))
        db.engine.dispose()
    assert live == 1
