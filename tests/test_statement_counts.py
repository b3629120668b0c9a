"""A booking, a cancel and a reschedule issue a constant number of SQL statements, whatever
the number of advisers in the zone or of bookings already made (issue: launch-day rush).

The numbers are what the code reaches, asserted exactly so that a lazy load added to the
write path shows up here. A booking: BEGIN, the zones, the pre-screen (with whether it holds
a zone already), five availability reads (advisers, rotations, exceptions, closures, held
time), the booking, the advisers it takes, the appointments, the centre (its name and address
go into the calendar entries), the outbox row. A reschedule reads the booking with everything
it shows in one statement, cancels the old rows, updates the booking and looks for firms
waiting on the freed day; a cancel needs no availability. Each reads the centre once.
Each also keeps the funnel's cohort in step (app/stats/cohorts.py): the rollup's state row
locked (shared) and what the booking's rows change added to the pre-screen's day (one
upsert; the day comes from the pre-screen the session holds), whatever the day holds.
On PostgreSQL each is one fewer: the driver opens the transaction itself, where SQLite's
`BEGIN IMMEDIATE` is a statement of ours."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import event

from app.extensions import db
from app.types import local_today
from app.zones.models import Adviser, RotationRule, Zone
from tests.databases import engine_name
from tests.stats_helpers import make_visit

BOOK, RESCHEDULE, CANCEL = (15, 17, 9) if engine_name() == "sqlite" else (14, 16, 8)


class Counter:
    """Statements the engine runs while the block is open."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _one(self, *_args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._one)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._one)


def _grow(app, advisers: int, bookings: int) -> None:
    """More legal advisers on duty every weekday, and past bookings, so a count that grew
    with either would show."""
    with app.app_context():
        zone = db.session.scalar(db.select(Zone).where(Zone.code == "legal"))
        for n in range(advisers):
            adviser = Adviser(name=f"추가 위원 {n}", zone=zone)
            db.session.add(adviser)
            for weekday in range(5):
                db.session.add(RotationRule(adviser=adviser, weekday=weekday,
                                            start_time=time(9), end_time=time(18),
                                            valid_from=local_today() - timedelta(days=7)))
        db.session.commit()
        past = datetime.now(UTC) - timedelta(days=30)
        for n in range(bookings):
            make_visit("legal", past + timedelta(hours=n))


def _counts(app, client, intake_payload, email: str) -> tuple[int, int, int]:
    with app.app_context():
        today, engine = local_today(), db.engine
    token = client.post("/api/v1/intakes", json={**intake_payload, "email": email}
                        ).get_json()["intake"]["token"]
    slots = client.get("/api/v1/slots", query_string={
        "zone": "legal", "from": today.isoformat(),
        "to": (today + timedelta(days=20)).isoformat()}).get_json()["slots"]
    first = slots[0]  # and a slot on another day: the visit's date changes too, every time
    second = next(slot for slot in slots if slot["start"][:10] != first["start"][:10])
    with Counter(engine) as booked:
        response = client.post("/api/v1/bookings", json={"intake_token": token, "appointments": [
            {"zone": "legal", "adviser_id": first["adviser_id"], "start": first["start"]}]})
    assert response.status_code == 201
    booking = response.get_json()["booking"]["token"]
    with Counter(engine) as moved:
        response = client.post(f"/api/v1/bookings/{booking}/reschedule", json={"appointments": [
            {"zone": "legal", "adviser_id": second["adviser_id"], "start": second["start"]}]})
    assert response.status_code == 200
    with Counter(engine) as cancelled:
        assert client.post(f"/api/v1/bookings/{booking}/cancel", json={}).status_code == 200
    return booked.count, moved.count, cancelled.count


def test_booking_cancel_and_reschedule_issue_a_constant_number_of_statements(
        app, client, intake_payload):
    client.get("/api/v1/zones")  # the first request of a process loads what every one shares
    small = _counts(app, client, intake_payload, "small@hanbit.example")
    _grow(app, advisers=12, bookings=40)
    large = _counts(app, client, intake_payload, "large@hanbit.example")
    assert small == large == (BOOK, RESCHEDULE, CANCEL)
