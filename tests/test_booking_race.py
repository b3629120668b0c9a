"""40 clients race for one slot on a multi-process server: exactly one wins."""

import json
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
from app.states import AppointmentStatus
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


def pre_screens(base: str, count: int, company: str, mailbox: str,
                description: str) -> list[str]:
    """`count` pre-screens made through the API, one firm each; their tokens."""
    tokens = []
    for n in range(count):
        status, body = call("POST", f"{base}/api/v1/intakes", {
            "company_name": f"{company} {n}", "contact_name": "담당",
            "email": f"{mailbox}{n}@example.com", "phone": "010-1234-5678",
            "needs": [], "description": description, "consent_personal_info": True})
        assert status == 201, body
        tokens.append(body["intake"]["token"])
    return tokens


@pytest.mark.slow
def test_forty_clients_one_slot_exactly_one_booking(app):
    process, base = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"])
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
    with app.app_context():
        live = db.session.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.status != AppointmentStatus.CANCELLED))
    assert live == 1


@pytest.mark.slow
def test_overlapping_itineraries_race_one_wins_whole_and_no_loser_keeps_half(app, client):
    """Twenty firms each book a two-zone visit sharing one finance slot, the shared slot
    first in half of the requests and second in the others, on four workers at once: one
    visit is booked whole, the others are refused whole, and nothing deadlocks."""
    from tests.test_booking_api import pick, shared_day

    day = shared_day(client, app, zones=("finance", "legal"))
    shared = day["finance"][0]
    others = [s for s in day["legal"] if s["start"] >= shared["end"]][:5]
    assert others, day
    process, base = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        tokens = pre_screens(base, CLIENTS // 2, "일정기업", "itinerary", "보증 상담")
        wanted = [[pick(shared), pick(others[n % len(others)])] for n in range(len(tokens))]
        wanted = [pair if n % 2 else pair[::-1] for n, pair in enumerate(wanted)]
        barrier = threading.Barrier(len(tokens))

        def attempt(n):
            barrier.wait()
            return call("POST", f"{base}/api/v1/bookings",
                        {"intake_token": tokens[n], "appointments": wanted[n]})

        with ThreadPoolExecutor(len(tokens)) as pool:
            results = list(pool.map(attempt, range(len(tokens))))
    finally:
        stderr = stop(process)
    statuses = Counter(status for status, _ in results)
    codes = Counter(body.get("error", {}).get("code") for status, body in results if status != 201)
    assert statuses == {201: 1, 409: len(tokens) - 1}, (statuses, codes, stderr[-2000:])
    assert codes == {"slot_taken": len(tokens) - 1}
    assert "Traceback" not in stderr
    [winner] = [body["booking"] for status, body in results if status == 201]
    with app.app_context():
        live = db.session.scalars(select(Appointment).where(
            Appointment.status != AppointmentStatus.CANCELLED)).all()
    # The winner's two appointments, and not one slot of any loser's.
    assert sorted(a.id for a in live) == sorted(a["id"] for a in winner["appointments"])


@pytest.mark.slow
def test_concurrent_bookings_and_cancellations_keep_the_funnels_cohort_exact(app):
    """Twelve firms whose pre-screens share one day book twelve different slots at once on
    a multi-process server, then cancel at once: each change is added to the same cohort
    row (cohort_days) by its own transaction, and the row equals a recount every time."""
    from app.stats.models import CohortDay
    from app.stats.rollup import rebuild

    count = 12
    process, base = start_gunicorn(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        tokens = pre_screens(base, count, "동시기업", "cohort", "계약서 검토")
        with app.app_context():
            today = local_today()
        status, body = call("GET", f"{base}/api/v1/slots?zone=legal&from={today}"
                                   f"&to={today + timedelta(days=28)}")
        slots = body["slots"][:count]
        assert len(slots) == count, body

        def at_once(calls):
            barrier = threading.Barrier(len(calls))

            def run(job):
                barrier.wait()
                return call(*job)

            with ThreadPoolExecutor(len(calls)) as pool:
                return list(pool.map(run, calls))

        booked = at_once([("POST", f"{base}/api/v1/bookings", {"intake_token": token,
                           "appointments": [{"zone": "legal", "adviser_id": slot["adviser_id"],
                                             "start": slot["start"]}]})
                          for token, slot in zip(tokens, slots, strict=True)])
        assert [status for status, _ in booked] == [201] * count, booked
        with app.app_context():
            centre_id = db.session.scalar(select(func.min(CohortDay.centre_id))
                                          .where(CohortDay.day == today))
            row = db.session.get(CohortDay, (today, centre_id))
            assert (row.intakes, row.bookings, row.appointments) == (count, count, count)
            assert rebuild() == set()  # a recount finds nothing to correct
            db.session.rollback()
        cancelled = at_once([("POST", f"{base}/api/v1/bookings/{body['booking']['token']}"
                              "/cancel", {}) for _status, body in booked])
        assert [status for status, _ in cancelled] == [200] * count, cancelled
    finally:
        stderr = stop(process)
    assert "Traceback" not in stderr
    with app.app_context():
        row = db.session.get(CohortDay, (today, centre_id))
        assert (row.bookings, row.appointments, row.cancelled) == (count, count, count)
        assert rebuild() == set()
