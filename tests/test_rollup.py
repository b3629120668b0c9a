"""The statistics' day-by-zone rollup: kept in step by every change, read by the statistics,
rebuilt and checked by init-db and the scheduler."""

import logging
import os
import random
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select, update

from app.booking.models import Appointment
from app.extensions import db
from app.stats.figures import Period, rollup_ready, zone_figures
from app.stats.imports import ImportRejected, import_consultations
from app.stats.models import ImportedConsultation, RollupState, ZoneDay
from app.stats.rollup import _stored, check_rollup, hooks_registered, rebuild, stretches
from app.types import center_tz
from app.visits.models import Outcome
from app.zones.models import Zone
from tests.stats_helpers import bearer, csv_bytes, make_visit, published_rows, staff

SEOUL = ZoneInfo("Asia/Seoul")


def kst(*parts) -> datetime:
    return datetime(*parts, tzinfo=SEOUL)


def recomputed() -> dict:
    """What the rollup should hold, counted here row by row: (day, zone id) -> the
    consultations and their three figures, imported and completed ones alike."""
    cells: dict = {}

    def add(day, zone_id, *figures) -> None:
        cell = cells.setdefault((day, zone_id), [0, 0, 0, 0])
        for index, value in enumerate((1, *figures)):
            cell[index] += value or 0

    for row in db.session.scalars(select(ImportedConsultation)):
        add(row.day, row.zone_id, row.finance_amount_krw, row.patent_transfers,
            row.ip_applications)
    for visit in db.session.scalars(select(Appointment).where(Appointment.status == "completed")):
        found = outcome_of(visit.id) or Outcome()
        add(visit.starts_at.astimezone(center_tz()).date(), visit.zone_id, found.finance_amount_krw,
            found.patent_transfers, found.ip_applications)
    return {key: tuple(values) for key, values in cells.items()}


def assert_in_step() -> None:
    db.session.expire_all()
    assert _stored(db.session) == recomputed()


def figures_both_ways(periods: list[Period]) -> tuple[list, list]:
    """The zone figures read from the rollup, then from the consultations themselves."""
    through_rollup = [{code: f.as_dict() for code, f in found.items()}
                      for found in zone_figures(periods)]
    state = db.session.get(RollupState, 1)
    timezone = state.timezone
    state.timezone = "built-for-elsewhere"
    db.session.commit()
    assert not rollup_ready()
    direct = [{code: f.as_dict() for code, f in found.items()} for found in zone_figures(periods)]
    state.timezone = timezone
    db.session.commit()
    return through_rollup, direct


def test_the_test_databases_come_with_the_rollup_built(ctx):
    assert rollup_ready()
    assert db.session.scalar(select(func.count()).select_from(ZoneDay)) == 0


def test_importing_the_rollup_attaches_nothing_and_create_app_attaches_its_hooks(tmp_path):
    # A fresh interpreter: in this one an earlier app attached the hooks already.
    code = textwrap.dedent(f"""
        from app.stats import rollup
        assert not rollup.hooks_registered(), "importing the rollup attached its hooks"
        from app import create_app
        create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path / 'fresh.db'}"}})
        assert rollup.hooks_registered(), "create_app did not attach the rollup's hooks"
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "ONESTOP_ENV": "testing"}, timeout=60,
                            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert result.returncode == 0, result.stderr


def test_a_completed_visit_reaches_the_rollup_through_the_hooks_create_app_attached(ctx):
    assert hooks_registered()
    visit = make_visit("legal", kst(2026, 5, 4, 10))
    assert db.session.get(ZoneDay, (kst(2026, 5, 4).date(), first_zone(visit))).consultations == 1


def test_every_kind_of_change_keeps_the_rollup_in_step(ctx):
    first = make_visit("finance", kst(2026, 3, 2, 23, 30), outcome={"finance_amount_krw": 10**8})
    assert_in_step()
    assert db.session.get(ZoneDay, (kst(2026, 3, 2).date(), first_zone(first))).consultations == 1
    plain = make_visit("legal", kst(2026, 3, 3, 10))  # completed without an outcome
    later = make_visit("patent", kst(2026, 3, 4, 10), "booked")
    assert_in_step()
    steps = [
        # an outcome recorded later, on its own, then corrected
        lambda: db.session.add(Outcome(appointment_id=later, patent_transfers=2)),
        lambda: set_status(later, "completed"),
        lambda: setattr(outcome_of(later), "patent_transfers", 5),
        # a completed visit moved over midnight (KST), and to another zone
        lambda: setattr(appointment(first), "starts_at", kst(2026, 3, 3, 0, 10)),
        lambda: setattr(appointment(first), "zone_id", zone_id("legal")),
        # no longer completed, and completed again
        lambda: set_status(plain, "no_show"),
        lambda: set_status(plain, "completed"),
        # an outcome removed, then the appointment with it
        lambda: db.session.delete(outcome_of(first)),
        lambda: db.session.delete(appointment(plain)),
    ]
    for step in steps:
        step()
        db.session.commit()
        assert_in_step()


def test_random_changes_keep_the_rollup_in_step(ctx):
    rng = random.Random(20261130)
    ids = [make_visit(rng.choice(("legal", "finance", "patent")),
                      kst(2026, 4, rng.randint(1, 10), rng.choice((0, 9, 15, 23)), 30 + n),
                      rng.choice(("completed", "booked")),
                      outcome={"finance_amount_krw": 10**7} if rng.random() < 0.5 else None)
           for n in range(12)]
    for _ in range(60):
        number = rng.randrange(len(ids))
        target = appointment(ids[number])
        action = rng.randrange(5)
        if action == 0:
            target.status = rng.choice(("completed", "booked", "no_show", "cancelled"))
        elif action == 1:
            # a minute of its own: never the time of another of the adviser's visits
            target.starts_at = kst(2026, 4, rng.randint(1, 10), rng.choice((0, 12, 23)), number)
            target.ends_at = target.starts_at + timedelta(minutes=30)
        elif action == 2:
            target.zone_id = zone_id(rng.choice(("legal", "finance", "patent")))
        elif action == 3:
            found = outcome_of(target.id)
            if found is None:
                db.session.add(Outcome(appointment_id=target.id,
                                       finance_amount_krw=rng.randrange(10**9)))
            else:
                found.ip_applications = rng.randrange(5)
        else:
            found = outcome_of(target.id)
            if found is not None:
                db.session.delete(found)
        if rng.random() < 0.2:
            db.session.rollback()  # a rolled-back change leaves the rollup as it was
        else:
            db.session.commit()
        assert_in_step()


def test_an_import_fills_the_rollup_and_a_failed_one_leaves_it(ctx):
    import_consultations(csv_bytes(published_rows()), filename="published.csv")
    assert_in_step()
    stored = _stored(db.session)
    assert sum(values[0] for values in stored.values()) == len(published_rows())
    with pytest.raises(ImportRejected):  # a bad date: nothing imported, nothing recomputed
        import_consultations(csv_bytes(["2026-05-01,legal,x,,0,0,0,",
                                        "2026-13-01,legal,x,,0,0,0,"]))
    db.session.rollback()
    assert _stored(db.session) == stored


def test_the_statistics_read_the_rollup_and_agree_with_the_consultations(app, client):
    with app.app_context():
        import_consultations(csv_bytes(published_rows()), filename="published.csv")
        make_visit("finance", kst(2026, 5, 31, 23, 30), outcome={"finance_amount_krw": 10**8})
        make_visit("legal", kst(2026, 6, 1, 0, 30))
        periods = [Period(None, kst(2026, 5, 31).date()), Period(None, kst(2026, 7, 17).date()),
                   Period(kst(2026, 6, 1).date(), kst(2026, 6, 30).date())]
        through_rollup, direct = figures_both_ways(periods)
        assert through_rollup == direct
        assert through_rollup[0]["finance"]["consultations"] == 166
        # The statistics read the rollup: a row changed behind its back shows...
        day = kst(2026, 5, 31).date()
        db.session.execute(update(ZoneDay).where(ZoneDay.day == day)
                           .values(consultations=ZoneDay.consultations + 1000))
        db.session.commit()
    _, token = staff(app)
    answer = client.get("/api/v1/stats?to=2026-05-31", headers=bearer(token)).get_json()
    assert answer["zones"]["legal"]["consultations"] == 95 + 1000
    with app.app_context():  # ...until the check finds the drift and mends it
        assert check_rollup() == 1
        assert check_rollup() == 0
    answer = client.get("/api/v1/stats?to=2026-05-31", headers=bearer(token)).get_json()
    assert answer["zones"]["legal"]["consultations"] == 95


def test_the_check_logs_what_drifted(ctx, caplog):
    make_visit("legal", kst(2026, 2, 10, 10))
    db.session.execute(delete(ZoneDay))  # as if a change had bypassed the session
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="app.stats.rollup"):
        assert check_rollup() == 1
    assert "drifted on 1 day(s) (first 2026-02-10)" in caplog.text
    assert_in_step()


def test_another_time_zone_reads_the_consultations_until_init_db_rebuilds(app, runner):
    with app.app_context():
        make_visit("legal", kst(2026, 3, 2, 23, 30))  # the 2nd in Seoul, the 2nd 14:30 UTC
    app.config["CENTER_TIMEZONE"] = "America/Los_Angeles"  # 2nd 06:30 there
    with app.app_context():
        assert not rollup_ready()
        (found,) = zone_figures([Period(kst(2026, 3, 2).date(), kst(2026, 3, 2).date())])
        assert found["legal"].consultations == 1
        make_visit("legal", kst(2026, 3, 3, 10))  # not kept while the rollup is not trusted
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert rollup_ready()
        assert_in_step()
        # 10:00 KST on the 3rd is 17:00 on the 2nd in Los Angeles: both on the 2nd there
        assert {(day.isoformat(), values[0]) for (day, _), values in
                _stored(db.session).items()} == {("2026-03-02", 2)}


def test_rebuilding_an_empty_centre_and_stretches_of_days(ctx):
    assert rebuild() == set()
    assert _stored(db.session) == {}
    day = kst(2026, 1, 1).date()
    days = [day, day + timedelta(days=3), day + timedelta(days=100)]
    assert stretches(days) == [(days[0], days[1]), (days[2], days[2])]
    assert stretches([day + timedelta(days=n) for n in range(900)], gap=1, longest=400) == [
        (day, day + timedelta(days=399)), (day + timedelta(days=400), day + timedelta(days=799)),
        (day + timedelta(days=800), day + timedelta(days=899))]


def appointment(appointment_id: int) -> Appointment:
    return db.session.get(Appointment, appointment_id)


def outcome_of(appointment_id: int) -> Outcome | None:
    return db.session.scalar(select(Outcome).where(Outcome.appointment_id == appointment_id))


def set_status(appointment_id: int, status: str) -> None:
    appointment(appointment_id).status = status


def zone_id(code: str) -> int:
    return db.session.scalar(select(Zone.id).where(Zone.code == code))


def first_zone(appointment_id: int) -> int:
    return appointment(appointment_id).zone_id


def test_imported_rows_added_through_the_session_count_too(ctx):
    batch_day = kst(2026, 1, 5).date()
    import_consultations(csv_bytes([f"{batch_day.isoformat()},legal,기업,,0,0,0,"]))
    row = db.session.scalar(select(ImportedConsultation))
    row.day = batch_day + timedelta(days=1)
    db.session.commit()
    assert_in_step()
    assert [day for day, _ in _stored(db.session)] == [batch_day + timedelta(days=1)]


def test_a_savepoint_rolled_back_keeps_what_the_transaction_noted(ctx):
    from sqlalchemy.exc import IntegrityError

    visit = make_visit("finance", kst(2026, 6, 2, 10), outcome={"finance_amount_krw": 1})
    outcome_of(visit).finance_amount_krw = 5
    db.session.flush()  # noted: the 2nd of June
    try:
        with db.session.begin_nested():  # as the outbox does when a key exists already
            db.session.add(Outcome(appointment_id=visit))  # a second outcome: refused
            db.session.flush()
    except IntegrityError:
        pass
    db.session.commit()
    assert_in_step()
    assert _stored(db.session)[(kst(2026, 6, 2).date(), zone_id("finance"))][1] == 5
