"""The same migrations and rules on PostgreSQL, the production database."""

from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from app.booking.errors import SlotTaken
from app.booking.models import Appointment
from app.booking.services import Request, book_visit, cancel_booking
from app.extensions import db
from app.types import local_today
from app.zones.availability import free_slots
from tests.test_booking_constraints import intake_id, raw_booking

pytestmark = pytest.mark.slow


def test_migrations_build_the_schema_with_its_partial_indexes(pg_app):
    with pg_app.app_context():
        indexes = {ix["name"]: ix for ix in inspect(db.engine).get_indexes("appointments")}
        assert indexes["uq_appointments_adviser_start"]["unique"]
        assert "cancelled" in str(indexes["uq_appointments_adviser_start"]["dialect_options"])
        assert db.session.scalar(select(func.count()).select_from(Appointment)) == 0


def test_the_index_refuses_a_double_booking(pg_app):
    with pg_app.app_context():
        adviser_start = free_slots("legal", local_today() + timedelta(days=2),
                                   local_today() + timedelta(days=9))[0]
        from app.zones.models import Adviser

        adviser = db.session.get(Adviser, adviser_start.adviser_id)
        raw_booking(intake_id(1), adviser, adviser_start.start)
        db.session.commit()
        raw_booking(intake_id(2), adviser, adviser_start.start)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_booking_and_cancelling_work_on_postgres(pg_app):
    from app.intake.services import submit_intake

    with pg_app.app_context():
        slot = free_slots("finance", local_today() + timedelta(days=2),
                          local_today() + timedelta(days=9))[0]
        tokens = []
        for n in range(2):
            _, token = submit_intake({
                "company_name": f"PG {n}", "business_number": None,
                "representative_name": None, "contact_name": "담당",
                "email": f"pg{n}@example.com", "phone": "010-1111-2222", "founded_on": None,
                "industry": None, "employees": None, "region": None,
                "need_codes": ["facility_loan"], "description": "", "consent_marketing": False})
            tokens.append(token)
        request = Request("finance", slot.adviser_id, slot.start)
        booking, booking_token = book_visit(tokens[0], [request])
        assert booking.appointments[0].starts_at == slot.start
        with pytest.raises(SlotTaken):
            book_visit(tokens[1], [request])
        cancel_booking(booking_token)
        book_visit(tokens[1], [request])


def test_migrations_downgrade_cleanly(pg_app):
    with pg_app.app_context():
        db.session.remove()
        downgrade(revision="base")
        assert "appointments" not in inspect(db.engine).get_table_names()
        upgrade()
        assert "appointments" in inspect(db.engine).get_table_names()


def test_concurrent_outcomes_on_one_day_are_all_in_the_rollup(pg_app):
    """Twelve advisers record outcomes of the same day at the same moment: the day's rollup
    row is recomputed by each transaction in turn (the state row's lock), never twice at
    once, so it counts every one of them and no commit fails."""
    import threading
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from app.stats.models import ZoneDay
    from app.visits.models import Outcome
    from tests.stats_helpers import make_visit

    day = datetime(2026, 2, 3, 9, tzinfo=ZoneInfo("Asia/Seoul"))
    with pg_app.app_context():
        ids = [make_visit("finance", day + timedelta(minutes=n), "booked") for n in range(12)]
    barrier, errors = threading.Barrier(len(ids)), []

    def record(appointment_id: int) -> None:
        with pg_app.app_context():
            try:
                db.session.get(Appointment, appointment_id).status = "completed"
                db.session.add(Outcome(appointment_id=appointment_id,
                                       finance_amount_krw=100_000_000))
                db.session.flush()
                barrier.wait(timeout=30)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=record, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with pg_app.app_context():
        rows = db.session.scalars(select(ZoneDay).where(ZoneDay.day == day.date())).all()
        assert [(row.consultations, row.finance_amount_krw) for row in rows] == [
            (12, 1_200_000_000)]


def test_firm_visibility_and_the_literal_search_on_postgres(pg_app):
    from app.auth.models import User
    from app.visits.services import case_file, find_firms
    from tests.firm_helpers import business_number, make_firm

    with pg_app.app_context():
        legal = business_number("330810001")
        make_firm("PG 100%_법률", legal, [("lawyer@onestop.local", "cancelled", None)])
        make_firm("PG 특허만", business_number("330810002"),
                  [("patent@onestop.local", "booked", None)])
        users = {email: db.session.scalar(select(User).where(User.email == email))
                 for email in ("lawyer@onestop.local", "kodit@onestop.local",
                               "admin@onestop.local")}
        names = {email: sorted(i.company_name for i in find_firms(user, "PG "))
                 for email, user in users.items()}
        assert names == {"lawyer@onestop.local": ["PG 100%_법률"], "kodit@onestop.local": [],
                         "admin@onestop.local": ["PG 100%_법률", "PG 특허만"]}
        admin = users["admin@onestop.local"]
        assert find_firms(admin, "%%") == find_firms(admin, "__") == []
        assert [i.company_name for i in find_firms(admin, "%_")] == ["PG 100%_법률"]
        assert len(case_file(users["lawyer@onestop.local"], legal)["intakes"]) == 1
        assert case_file(users["kodit@onestop.local"], legal)["intakes"] == []


def test_malformed_input_is_refused_before_postgres_sees_it(pg_app, caplog):
    """On PostgreSQL a NUL used to be a 500 whose log line held the e-mail and the phone."""
    import json

    from tests.conftest import VALID_BUSINESS_NUMBER

    client = pg_app.test_client()
    body = {"company_name": "PG\x00", "business_number": VALID_BUSINESS_NUMBER,
            "contact_name": "담당\ud800", "email": "nul@example.com", "phone": "010-1234-5678",
            "founded_on": "2022-03-15", "needs": ["contract_review"],
            "consent_personal_info": True}
    response = client.post("/api/v1/intakes", data=json.dumps(body),
                           content_type="application/json")
    assert response.status_code == 422
    assert "nul@example.com" not in caplog.text
    assert client.get("/api/v1/slots?zone=legal%00").status_code == 400
    assert client.get("/api/v1/slots", query_string={
        "zone": "legal", "from": "2026-12-01", "to": "2026-12-02",
        "adviser_id": str(2**63)}).status_code == 400


def test_sums_are_exact_past_64_bits_on_postgres(pg_app):
    from sqlalchemy import literal, union_all

    from app.stats.figures import safe_sum

    with pg_app.app_context():
        rows = union_all(*[select(literal(2**62).label("x")) for _ in range(3)]).subquery()
        assert int(db.session.scalar(select(safe_sum(rows.c.x)))) == 3 * 2**62


def test_a_lock_held_past_the_timeout_is_503_on_postgres(pg_app, intake_payload):
    """lock_timeout (DATABASE_BUSY_TIMEOUT_MS) ends the wait: 503 with Retry-After."""
    import psycopg

    url = pg_app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg", "postgresql")
    pg_app.config["DATABASE_BUSY_TIMEOUT_MS"] = 200
    with psycopg.connect(url) as holder:
        holder.execute("LOCK TABLE intakes IN ACCESS EXCLUSIVE MODE")
        with pg_app.app_context():
            db.engine.dispose()  # new connections take the short timeout
            from app.extensions import configure_engine

            configure_engine(db.engine, 200)
        response = pg_app.test_client().post("/api/v1/intakes", json=intake_payload)
        holder.rollback()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
