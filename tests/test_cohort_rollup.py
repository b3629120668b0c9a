"""The funnel's cohort rollup (`cohort_days`): kept in step by every change to a pre-screen,
its bookings or its appointments, read by the funnel, rebuilt and checked with the
day-by-zone rollup, and cleared by its migration until init-db rebuilds it."""

import logging
import random
import secrets
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, event, select, text, update
from sqlalchemy.exc import IntegrityError

from app.booking.models import Appointment, Booking
from app.centres.models import Centre
from app.centres.scope import StatsScope
from app.centres.services import CentreFacts, ensure_centre
from app.extensions import db
from app.intake.models import Intake
from app.stats import cohorts
from app.stats.figures import NETWORK, Period, rollup_ready
from app.stats.flow import Funnel, _counted_funnels, funnels
from app.stats.models import CohortDay, RollupState
from app.stats.rollup import check_rollup, rebuild
from app.types import center_tz
from app.visits.jobs import mark_no_shows
from tests.centre_helpers import make_second_centre
from tests.stats_helpers import make_visit

SEOUL = ZoneInfo("Asia/Seoul")
STATUSES = ("booked", "checked_in", "completed", "no_show", "cancelled")


def kst(*parts) -> datetime:
    return datetime(*parts, tzinfo=SEOUL)


def counted() -> dict:
    """What the cohort rollup should hold, counted here row by row: (local day of the
    pre-screen, its centre) -> pre-screens, bookings, appointments, completed, no-shows and
    cancelled ones of the pre-screens made that day."""
    cells: dict = {}
    made = {}
    for intake in db.session.scalars(select(Intake)):
        made[intake.id] = (intake.created_at.astimezone(center_tz()).date(), intake.centre_id)
        cells.setdefault(made[intake.id], [0] * 6)[0] += 1
    for booking in db.session.scalars(select(Booking)):
        cells[made[booking.intake_id]][1] += 1
    for visit in db.session.scalars(select(Appointment)):
        cell = cells[made[visit.intake_id]]
        cell[2] += 1
        for index, status in ((3, "completed"), (4, "no_show"), (5, "cancelled")):
            cell[index] += visit.status == status
    return {key: tuple(values) for key, values in cells.items()}


def assert_in_step() -> None:
    db.session.expire_all()
    assert cohorts.stored(db.session) == counted()


def appointment(appointment_id: int) -> Appointment:
    return db.session.get(Appointment, appointment_id)


def intake_of(appointment_id: int) -> Intake:
    return db.session.get(Intake, appointment(appointment_id).intake_id)


def pre_screen(**values) -> Intake:
    """A pre-screen of the default centre (made now unless `created_at` is given)."""
    now = datetime.now(UTC)
    intake = Intake(token_hash=secrets.token_hex(32), stage="bi", consent_notice_version="test",
                    consent_personal_info_at=now, retention_until=now + timedelta(days=30),
                    company_name="코호트 기업", **values)
    db.session.add(intake)
    return intake


def rebooked(appointment_id: int, start: datetime, status: str = "booked") -> int:
    """A second booking of the appointment's pre-screen, with one appointment; its id."""
    first = appointment(appointment_id)
    booking = Booking(token_hash=secrets.token_hex(32), intake_id=first.intake_id,
                      visit_date=start.date())
    visit = Appointment(booking=booking, intake_id=first.intake_id, zone_id=first.zone_id,
                        adviser_id=first.adviser_id, starts_at=start,
                        ends_at=start + timedelta(minutes=30), status=status)
    db.session.add_all([booking, visit])
    db.session.flush()
    return visit.id


def unbook(appointment_id: int) -> None:
    """Remove the appointment and its booking."""
    booking = db.session.get(Booking, appointment(appointment_id).booking_id)
    db.session.delete(appointment(appointment_id))
    db.session.delete(booking)


@pytest.fixture
def busan(app):
    return make_second_centre(app)


def test_the_cohorts_counts_are_the_funnels_in_its_order():
    assert tuple(field.name for field in fields(Funnel)) == cohorts.COUNTS


def test_every_kind_of_change_keeps_the_cohort_in_step(busan, ctx):
    first = make_visit("legal", kst(2026, 3, 10, 10), "booked", intake_at=kst(2026, 3, 2, 23, 30))
    other = make_visit("finance", kst(2026, 3, 11, 10), "booked", intake_at=kst(2026, 3, 4, 9))
    assert_in_step()
    assert db.session.get(CohortDay, (date(2026, 3, 2), busan.centre_a)).intakes == 1
    held: dict = {}
    steps = [
        # each ending, and back
        lambda: setattr(appointment(first), "status", "cancelled"),
        lambda: setattr(appointment(first), "status", "no_show"),
        lambda: setattr(appointment(first), "status", "completed"),
        # the firm books again: a second booking and appointment of the same pre-screen
        lambda: held.update(again=rebooked(first, kst(2026, 3, 20, 10))),
        # the pre-screen moved over midnight (KST), then to another centre
        lambda: setattr(intake_of(first), "created_at", kst(2026, 3, 3, 0, 10)),
        lambda: setattr(intake_of(first), "centre_id", busan.centre_b),
        # an appointment moved to another pre-screen
        lambda: setattr(appointment(held["again"]), "intake_id", intake_of(other).id),
        # a pre-screen made now (its moment is the default's, known only after the flush)
        lambda: held.update(lone=pre_screen()),
        # an appointment removed, then its booking; a pre-screen removed
        lambda: db.session.delete(appointment(held["again"])),
        lambda: unbook(other),
        lambda: db.session.delete(db.session.get(Intake, held["lone"].id)),
    ]
    for step in steps:
        step()
        db.session.commit()
        assert_in_step()
    assert db.session.get(CohortDay, (date(2026, 3, 3), busan.centre_b)).intakes == 1
    assert db.session.get(CohortDay, (date(2026, 3, 2), busan.centre_a)) is None


def test_the_schedulers_no_show_marking_reaches_the_cohort(ctx):
    visit = make_visit("legal", kst(2026, 3, 10, 10), "booked", intake_at=kst(2026, 3, 2, 9))
    assert mark_no_shows(kst(2026, 3, 11, 9)) == 1  # a bulk UPDATE: it notes its pre-screens
    assert_in_step()
    assert appointment(visit).status == "no_show"
    assert db.session.get(CohortDay, (date(2026, 3, 2), appointment(visit).zone.centre_id)
                          ).no_show == 1


def test_random_changes_keep_the_cohort_in_step(busan, ctx):
    rng = random.Random(20261206)
    ids = [make_visit(rng.choice(("legal", "finance", "patent")),
                      kst(2026, 4, 20, 9 + n % 8, n), rng.choice(STATUSES),
                      intake_at=kst(2026, 4, rng.randint(1, 10), rng.choice((0, 9, 23)), n))
           for n in range(12)]
    refused = 0
    for _ in range(60):
        made: list[int] = []
        try:
            # One to four changes in one transaction, each flushed: a change noted by its
            # row and one that reads its pre-screen's counts may meet in one transaction.
            for _ in range(rng.randint(1, 4)):
                made += random_change(rng, ids + made, busan)
                db.session.flush()
        except IntegrityError:  # two open appointments of a pre-screen in one zone
            db.session.rollback()
            refused += 1
        else:
            if rng.random() < 0.2:
                db.session.rollback()  # a rolled-back change leaves the cohort as it was
            else:
                db.session.commit()
                ids += made
        assert_in_step()
    assert refused < 30  # most changes were made


def random_change(rng: random.Random, ids: list[int], busan) -> list[int]:
    """One random change to one of the appointments; the ids of the appointments it made."""
    target = appointment(ids[rng.randrange(len(ids))])
    action = rng.randrange(6)
    if action in (0, 1):
        target.status = rng.choice(STATUSES)
    elif action == 2:
        intake_of(target.id).created_at = kst(2026, 4, rng.randint(1, 10),
                                              rng.choice((0, 12, 23)), rng.randrange(60))
    elif action == 3:
        intake_of(target.id).centre_id = rng.choice((busan.centre_a, busan.centre_b))
    elif action == 4:
        target.intake_id = intake_of(ids[rng.randrange(len(ids))]).id
    else:
        return [rebooked(target.id, kst(2026, 4, 21, 9 + rng.randrange(8), rng.randrange(60)),
                         rng.choice(STATUSES))]
    return []


def test_an_appointment_made_then_moved_to_another_pre_screen_in_one_transaction(ctx):
    first = make_visit("legal", kst(2026, 3, 10, 10), "booked", intake_at=kst(2026, 3, 2, 9))
    other = make_visit("finance", kst(2026, 3, 11, 10), "booked", intake_at=kst(2026, 3, 5, 9))
    made = rebooked(first, kst(2026, 3, 20, 10), "completed")  # noted as it is (flushed)
    appointment(made).intake_id = intake_of(other).id  # then moved: the counts are read
    db.session.flush()
    intake_of(other).created_at = kst(2026, 3, 6, 9)  # and that pre-screen moved too
    db.session.commit()
    assert_in_step()


def test_changes_in_a_savepoint_rolled_back_alone_leave_the_cohort_in_step(ctx):
    first = make_visit("legal", kst(2026, 3, 10, 10), "booked", intake_at=kst(2026, 3, 2, 9))
    appointment(first).status = "cancelled"  # kept
    db.session.flush()
    savepoint = db.session.begin_nested()
    appointment(first).status = "completed"  # rolled back alone
    rebooked(first, kst(2026, 3, 12, 10))
    savepoint.rollback()
    db.session.commit()
    assert_in_step()
    assert db.session.get(CohortDay, (date(2026, 3, 2), appointment(first).zone.centre_id)
                          ).cancelled == 1


def test_the_funnel_reads_the_rollup_and_agrees_with_the_pre_screens(busan, ctx):
    for n, status in enumerate(STATUSES * 3):
        make_visit("legal", kst(2026, 3, 1 + n, 10), status, intake_at=kst(2026, 2, 20 + n % 9, 23))
    make_visit("legal", kst(2026, 3, 9, 10), "completed", intake_at=kst(2026, 3, 1, 0, 5),
               centre_id=busan.centre_b)
    pre_screen(created_at=kst(2026, 2, 28, 12))  # made, never booked
    db.session.commit()
    busan_only = StatsScope((CentreFacts.of(db.session.get(Centre, busan.centre_b)),))
    periods = [Period(None, date(2026, 12, 31)), Period(date(2026, 2, 1), date(2026, 2, 28)),
               Period(date(2026, 2, 24), date(2026, 3, 1)), Period(date(2026, 3, 2),
                                                                    date(2026, 3, 31))]
    assert rollup_ready()
    seen = 0
    for period in periods:
        for scope in (NETWORK, busan_only):
            from_rollup = funnels(period, scope)
            assert from_rollup == _counted_funnels(period, scope), (period, scope)
            seen += sum(found.intakes for found in from_rollup.values())
    assert seen > 0
    assert funnels(Period(date(2026, 3, 1), date(2026, 3, 1)), busan_only) == {
        busan.centre_b: Funnel(1, 1, 1, 1, 0, 0)}
    # Not built (or built for another time zone): the funnel counts the pre-screens.
    db.session.execute(delete(RollupState))
    db.session.execute(delete(CohortDay))
    db.session.commit()
    assert not rollup_ready()
    assert funnels(periods[0], NETWORK) == _counted_funnels(periods[0], NETWORK) != {}


def test_the_check_finds_and_repairs_a_drifted_cohort_day(ctx, caplog):
    make_visit("legal", kst(2026, 3, 10, 10), "completed", intake_at=kst(2026, 3, 2, 9))
    db.session.execute(update(CohortDay).values(completed=CohortDay.completed + 5))
    db.session.execute(delete(CohortDay).where(CohortDay.day != date(2026, 3, 2)))
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="app.stats.rollup"):
        assert check_rollup() >= 1
    assert "2026-03-02" in caplog.text or "drifted" in caplog.text
    assert_in_step()
    assert rebuild() == set()  # in step: a second rebuild finds nothing


def test_the_check_of_rollups_in_step_writes_nothing_and_takes_no_lock(ctx):
    make_visit("legal", kst(2026, 3, 10, 10), "completed", intake_at=kst(2026, 3, 2, 9))
    written: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        verb = statement.lstrip().split(" ", 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE", "BEGIN") or "FOR UPDATE" in statement:
            written.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert check_rollup() == 0
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert written == []  # bookings never wait for a check that finds nothing


MIGRATION = "7b2f4c8e1a39"


def test_the_migration_leaves_the_rollup_to_be_rebuilt_by_init_db(databases, tmp_path):
    from flask_migrate import upgrade

    from app.main.commands import prepare_database
    from tests.databases import app_before

    with app_before(MIGRATION, tmp_path) as old, old.app_context():
        ensure_centre()
        centre = db.session.scalar(select(Centre.id))
        pre_screen(centre_id=centre, created_at=kst(2026, 3, 2, 23, 30))
        db.session.commit()  # no rollup state yet: nothing to keep in step
        with db.engine.begin() as sql:
            sql.execute(text("INSERT INTO rollup_state (id, timezone, built_at) VALUES "
                             "(1, 'Asia/Seoul', '2026-12-01 00:00:00+00')"))
        upgrade(revision=MIGRATION)
        assert db.session.scalar(select(RollupState.id)) is None  # not trusted any more
        assert not rollup_ready()
        db.session.commit()
        prepare_database()  # init-db: the newest schema, then the rollup rebuilt
        assert rollup_ready()
        assert cohorts.stored(db.session) == {(date(2026, 3, 2), centre): (1, 0, 0, 0, 0, 0)}
