"""The availability engine: rotations, exceptions, closures, holidays, buffers, bookings."""

import secrets
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask_babel import force_locale
from sqlalchemy import event, select

from app import create_app
from app.booking.models import Appointment, Booking
from app.demo.seed import seed_demo
from app.extensions import db
from app.intake.models import Intake
from app.types import local_today
from app.zones.availability import free_slots, is_centre_closed, is_free
from app.zones.errors import UnknownZone
from app.zones.models import (
    Adviser,
    AvailabilityException,
    Closure,
    Institution,
    RotationRule,
    Zone,
)
from tests.conftest import fresh_database, template_of

KST = ZoneInfo("Asia/Seoul")
MONDAY = date(2026, 11, 30)  # the demo centre's first day in the pinned tests
WEEKDAYS = (0, 1, 2, 3, 4)
DAY_GRID = ["10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Seoul wall-clock time as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=KST)


def clock(slots) -> list[str]:
    """The Seoul start times of slots, as HH:MM."""
    return [s.start.astimezone(KST).strftime("%H:%M") for s in slots]


def by_day(slots) -> dict[date, list]:
    """Slots grouped by their Seoul date."""
    days = defaultdict(list)
    for slot in slots:
        days[slot.start.astimezone(KST).date()].append(slot)
    return dict(days)


def on(zone: str, day: date, **kwargs) -> list:
    """A zone's free slots on one day."""
    return free_slots(zone, day, day, **kwargs)


def make_zone(code: str = "test", **values) -> Zone:
    """A zone with the usual defaults (60-minute slots, 24 h notice, 60 days ahead)."""
    values = {"name": "시험존", "name_en": "Test zone", "slot_minutes": 60,
              "buffer_minutes": 0, "min_notice_hours": 24, "horizon_days": 60, **values}
    zone = Zone(code=code, **values)
    db.session.add(zone)
    db.session.flush()
    return zone


def make_adviser(zone: Zone, name: str = "상담위원", *, institution: Institution | None = None,
                 weekdays=WEEKDAYS, hours=((10, 12), (13, 17)), valid_from=date(2026, 11, 2),
                 valid_until=date(2027, 12, 31), every_n_weeks: int = 1,
                 week_offset: int = 0, active: bool = True) -> Adviser:
    """An adviser with one rule per weekday and block of hours."""
    adviser = Adviser(name=name, zone=zone, institution=institution, active=active)
    db.session.add(adviser)
    for weekday in weekdays:
        for begin, end in hours:
            db.session.add(RotationRule(
                adviser=adviser, weekday=weekday, start_time=time(begin), end_time=time(end),
                valid_from=valid_from, valid_until=valid_until, every_n_weeks=every_n_weeks,
                week_offset=week_offset))
    db.session.flush()
    return adviser


def book(adviser: Adviser, start: datetime, minutes: int = 60,
         status: str = "booked") -> Appointment:
    """An appointment with the intake and booking it needs, committed."""
    now = datetime.now(UTC)
    intake = Intake(token_hash=secrets.token_hex(32), stage="bi", consent_personal_info_at=now,
                    consent_notice_version="2026-11", retention_until=now + timedelta(days=9))
    db.session.add(intake)
    db.session.flush()
    booking = Booking(token_hash=secrets.token_hex(32), intake_id=intake.id,
                      visit_date=start.astimezone(KST).date())
    db.session.add(booking)
    db.session.flush()
    appointment = Appointment(
        booking_id=booking.id, intake_id=intake.id, zone_id=adviser.zone_id,
        adviser_id=adviser.id, institution_id=adviser.institution_id, starts_at=start,
        ends_at=start + timedelta(minutes=minutes), status=status)
    db.session.add(appointment)
    db.session.commit()
    return appointment


def demo_adviser(code: str) -> Adviser:
    """The demo adviser sent by the institution with that code."""
    return db.session.scalar(select(Adviser).join(Institution).where(Institution.code == code))


@pytest.fixture(scope="module")
def pinned_demo_db(tmp_path_factory, db_templates):
    """A database holding the demo centre as seeded on Monday 2026-11-30 (made once)."""
    url = fresh_database(db_templates["empty"], tmp_path_factory.mktemp("pinned"), "demo",
                         keep=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        seed_demo(MONDAY)
        db.session.remove()
        db.engine.dispose()
    return template_of(url)


@pytest.fixture
def demo(tmp_path, pinned_demo_db):
    """That demo centre, with the clock at Saturday 2026-11-28 09:00 KST."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database(pinned_demo_db, tmp_path)})
    with app.app_context(), time_machine.travel(at(date(2026, 11, 28), 9), tick=False):
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def own(empty_app):
    """An app context on an empty centre; tests build their own zones."""
    with empty_app.app_context():
        yield empty_app


# --- the demo centre as seeded today ---------------------------------------------------


def test_finance_institutions_only_on_their_own_days(ctx):
    today = local_today()
    anchor = db.session.scalar(select(RotationRule.valid_from).limit(1))
    anchor -= timedelta(days=anchor.weekday())
    slots = free_slots("finance", today, today + timedelta(days=55))
    seen = defaultdict(set)
    for day, found in by_day(slots).items():
        names = {s.institution for s in found}
        assert len(names) == 1, (day, names)
        seen[names.pop()].add(day)
    own_days = {"신용보증기금": (0, 4, 0), "기술보증기금": (1, 4, 1),
                "한국산업은행": (2, None, None), "IBK기업은행": (3, None, None)}
    for name, (weekly, alternate, parity) in own_days.items():
        assert seen[name], name
        for day in seen[name]:
            if day.weekday() == weekly:
                continue
            assert day.weekday() == alternate, (name, day)
            assert ((day - anchor).days // 7) % 2 == parity, (name, day)
    fridays = [d for name in ("신용보증기금", "기술보증기금") for d in seen[name]
               if d.weekday() == 4]
    assert {((d - anchor).days // 7) % 2 for d in fridays} == {0, 1}  # both take their turn


def test_patent_zone_only_tuesdays_and_thursdays(ctx):
    today = local_today()
    slots = free_slots("patent", today, today + timedelta(days=40))
    assert slots
    assert {s.start.astimezone(KST).weekday() for s in slots} == {1, 3}
    assert {s.institution for s in slots} == {"대한변리사회"}


# --- the pinned demo centre -------------------------------------------------------------


def test_times_are_aware_utc_at_the_right_seoul_wall_clock(demo):
    slots = on("legal", MONDAY)
    assert clock(slots) == DAY_GRID
    first = slots[0]
    assert first.start.utcoffset() == timedelta(0) and first.start.tzinfo is UTC
    assert first.start == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 10:00 KST
    assert first.end - first.start == timedelta(minutes=60)
    assert (first.zone, first.adviser_name, first.institution) == ("legal", "김정의",
                                                                   "법무부 공익법무관")


def test_patent_slots_respect_the_buffer(demo):
    tuesday = MONDAY + timedelta(days=1)
    slots = on("patent", tuesday)
    assert clock(slots) == DAY_GRID  # 50 minutes + 10 of buffer: on the hour
    assert all(s.end - s.start == timedelta(minutes=50) for s in slots)
    assert on("patent", MONDAY) == [] and on("patent", MONDAY + timedelta(days=2)) == []


def test_kodit_and_kibo_take_alternate_fridays(demo):
    fridays = [MONDAY + timedelta(days=4 + 7 * n) for n in range(6)]
    owners = [{s.institution for s in on("finance", d)} for d in fridays]
    assert owners == [{"신용보증기금"}, {"기술보증기금"}, {"신용보증기금"},
                      set(),  # 2026-12-25, Christmas
                      set(),  # 2027-01-01, New Year's Day
                      {"기술보증기금"}]


def test_an_appointment_removes_exactly_its_slot(demo):
    lawyer = demo_adviser("legal_aid")
    tuesday = MONDAY + timedelta(days=1)
    book(lawyer, at(tuesday, 11))
    assert clock(on("legal", tuesday)) == ["10:00", "13:00", "14:00", "15:00", "16:00"]
    assert clock(on("legal", tuesday + timedelta(days=7))) == DAY_GRID


def test_a_cancelled_appointment_holds_nothing_but_other_statuses_do(demo):
    lawyer = demo_adviser("legal_aid")
    tuesday = MONDAY + timedelta(days=1)
    book(lawyer, at(tuesday, 11), status="cancelled")
    assert clock(on("legal", tuesday)) == DAY_GRID
    book(lawyer, at(tuesday, 13), status="no_show")
    book(lawyer, at(tuesday, 14), status="completed")
    assert clock(on("legal", tuesday)) == ["10:00", "11:00", "15:00", "16:00"]


def test_buffers_block_neighbours_only_when_they_must(demo):
    attorney = demo_adviser("kpaa")
    tuesday = MONDAY + timedelta(days=1)
    book(attorney, at(tuesday, 10), minutes=50)  # ends 10:50, the 10-minute gap stays
    assert clock(on("patent", tuesday)) == ["11:00", "13:00", "14:00", "15:00", "16:00"]
    book(attorney, at(tuesday, 13, 5), minutes=50)  # off the grid: 13:00 and 14:00 are too close
    assert clock(on("patent", tuesday)) == ["11:00", "15:00", "16:00"]
    book(attorney, at(tuesday, 15), minutes=55)  # runs into 16:00's buffer
    assert clock(on("patent", tuesday)) == ["11:00"]
    book(attorney, at(tuesday, 12), minutes=50)  # 11:00-11:50 plus 10 minutes: just fits
    assert clock(on("patent", tuesday)) == ["11:00"]
    book(attorney, at(tuesday, 11, 55), minutes=5)  # inside 11:00's trailing buffer
    assert on("patent", tuesday) == []
    lawyer = demo_adviser("legal_aid")  # no buffer in the legal zone: back to back is fine
    book(lawyer, at(tuesday, 10))
    assert clock(on("legal", tuesday))[0] == "11:00"


def test_ignored_appointments_are_treated_as_not_there(demo):
    lawyer = demo_adviser("legal_aid")
    tuesday = MONDAY + timedelta(days=1)
    mine = book(lawyer, at(tuesday, 10))
    book(lawyer, at(tuesday, 11))
    slots = on("legal", tuesday, ignore_appointment_ids=[mine.id])
    assert clock(slots) == ["10:00", "13:00", "14:00", "15:00", "16:00"]
    assert is_free("legal", lawyer.id, at(tuesday, 10)) is None
    assert is_free("legal", lawyer.id, at(tuesday, 10), ignore_appointment_ids={mine.id})


def test_is_free_answers_for_one_exact_start(demo):
    lawyer = demo_adviser("legal_aid")
    tuesday = MONDAY + timedelta(days=1)
    slot = is_free("legal", lawyer.id, at(tuesday, 13))
    assert slot is not None and slot.start == at(tuesday, 13) and slot.start.tzinfo is UTC
    assert slot in on("legal", tuesday)
    assert is_free("legal", lawyer.id, at(tuesday, 13, 30)) is None  # not on the grid
    assert is_free("legal", lawyer.id, at(tuesday, 12)) is None  # lunch
    assert is_free("finance", lawyer.id, at(tuesday, 13)) is None  # not this zone's adviser
    assert is_free("nowhere", lawyer.id, at(tuesday, 13)) is None
    book(lawyer, at(tuesday, 13))
    assert is_free("legal", lawyer.id, at(tuesday, 13)) is None


def test_centre_and_zone_closures(demo):
    thursday = MONDAY + timedelta(days=3)
    next_thursday = thursday + timedelta(days=7)
    legal = db.session.scalar(select(Zone).where(Zone.code == "legal"))
    db.session.add_all([Closure(day=thursday, reason="센터 행사"),
                        Closure(day=next_thursday, zone_id=legal.id, reason="법률존 휴무")])
    db.session.commit()
    for zone in ("legal", "finance", "patent"):
        assert on(zone, thursday) == [], zone
    assert on("legal", next_thursday) == []
    assert on("finance", next_thursday) and on("patent", next_thursday)
    assert is_centre_closed(thursday) and is_centre_closed(thursday, legal.id)
    assert not is_centre_closed(next_thursday)
    assert is_centre_closed(next_thursday, legal.id)
    assert not is_centre_closed(next_thursday, legal.id + 1)


def test_exceptions_take_days_and_hours_off_and_add_hours(demo):
    lawyer = demo_adviser("legal_aid")
    tue, wed, thu, sat = (MONDAY + timedelta(days=n) for n in (1, 2, 3, 5))
    db.session.add_all([
        AvailabilityException(adviser=lawyer, day=tue, kind="off"),
        AvailabilityException(adviser=lawyer, day=tue, kind="extra", start_time=time(17),
                              end_time=time(18)),  # a whole day off wins
        AvailabilityException(adviser=lawyer, day=wed, kind="off", start_time=time(10),
                              end_time=time(11)),
        AvailabilityException(adviser=lawyer, day=wed, kind="off", start_time=time(14, 30),
                              end_time=time(15)),
        AvailabilityException(adviser=lawyer, day=thu, kind="extra", start_time=time(17),
                              end_time=time(20)),  # the zone closes at 18:00
        AvailabilityException(adviser=lawyer, day=sat, kind="extra", start_time=time(10),
                              end_time=time(12)),
    ])
    db.session.commit()
    assert on("legal", tue) == []
    assert clock(on("legal", wed)) == ["11:00", "13:00", "15:00", "16:00"]
    assert clock(on("legal", thu)) == DAY_GRID + ["17:00"]
    assert clock(on("legal", sat)) == ["10:00", "11:00"]
    assert clock(on("legal", MONDAY)) == DAY_GRID


def test_minimum_notice_holds_at_its_edge(demo):
    tuesday = MONDAY + timedelta(days=1)
    edge = at(tuesday, 10) - timedelta(hours=24)
    assert clock(on("legal", tuesday, now=edge))[0] == "10:00"
    assert clock(on("legal", tuesday, now=edge + timedelta(seconds=1)))[0] == "11:00"
    with time_machine.travel(edge + timedelta(seconds=1), tick=False):
        assert clock(on("legal", tuesday))[0] == "11:00"  # `now` defaults to the clock


def test_filters_by_adviser_and_institution(demo):
    kdb = demo_adviser("kdb")
    slots = free_slots("finance", MONDAY, MONDAY + timedelta(days=13),
                       institution_id=kdb.institution_id)
    assert slots and {s.adviser_id for s in slots} == {kdb.id}
    assert free_slots("finance", MONDAY, MONDAY + timedelta(days=13), adviser_id=kdb.id) == slots
    assert free_slots("legal", MONDAY, MONDAY + timedelta(days=13), adviser_id=kdb.id) == []


def test_unknown_and_inactive_zones_are_refused(demo):
    with pytest.raises(UnknownZone) as error:
        free_slots("nowhere", MONDAY, MONDAY)
    assert str(error.value) == "없거나 운영하지 않는 상담존입니다: 'nowhere'"
    with force_locale("en"), pytest.raises(UnknownZone) as error:
        free_slots("nowhere", MONDAY, MONDAY)
    assert str(error.value) == "Unknown or inactive zone: 'nowhere'"  # in the reader's language
    db.session.scalar(select(Zone).where(Zone.code == "patent")).active = False
    db.session.commit()
    with pytest.raises(UnknownZone):
        free_slots("patent", MONDAY, MONDAY + timedelta(days=6))


# --- centres built by the tests ---------------------------------------------------------


def test_christmas_and_seollal_2027_are_closed(own):
    zone = make_zone()
    make_adviser(zone)
    db.session.commit()
    with time_machine.travel(at(date(2026, 12, 1), 9), tick=False):
        days = by_day(free_slots("test", date(2026, 12, 24), date(2026, 12, 28)))
        assert sorted(days) == [date(2026, 12, 24), date(2026, 12, 28)]
    with time_machine.travel(at(date(2027, 1, 20), 9), tick=False):
        days = by_day(free_slots("test", date(2027, 2, 5), date(2027, 2, 10)))
        assert sorted(days) == [date(2027, 2, 5), date(2027, 2, 10)]
    for day in (date(2026, 12, 25), *(date(2027, 2, d) for d in (6, 7, 8, 9))):
        assert is_centre_closed(day), day
    assert not is_centre_closed(date(2027, 2, 10))


def test_horizon_holds_at_its_edge_in_centre_local_days(own):
    zone = make_zone(horizon_days=14, min_notice_hours=0)
    make_adviser(zone, weekdays=range(7))
    db.session.commit()
    last, beyond = date(2026, 12, 15), date(2026, 12, 16)
    late_evening = at(date(2026, 12, 1), 23, 59).astimezone(UTC)  # still 12-01 in Seoul
    assert by_day(free_slots("test", last, beyond, now=late_evening)).keys() == {last}
    after_midnight = at(date(2026, 12, 2), 0, 30).astimezone(UTC)  # 12-01 15:30 UTC: 12-02 here
    assert by_day(free_slots("test", last, beyond, now=after_midnight)).keys() == {last, beyond}


def test_every_n_weeks_counts_from_the_monday_of_valid_from(own):
    zone = make_zone(min_notice_hours=0)
    wednesday_start = date(2026, 12, 2)
    make_adviser(zone, "격주", weekdays=(0,), valid_from=wednesday_start, every_n_weeks=2)
    make_adviser(zone, "세주", weekdays=(0,), valid_from=wednesday_start, every_n_weeks=3,
                 week_offset=2)
    db.session.commit()
    now = at(date(2026, 11, 29), 9)
    days = defaultdict(set)
    for slot in free_slots("test", date(2026, 11, 30), date(2027, 1, 24), now=now):
        days[slot.adviser_name].add(slot.start.astimezone(KST).date())
    # weeks since the Monday of 12-02's week: 11-30 is week 0 but before valid_from
    assert sorted(days["격주"]) == [date(2026, 12, 14), date(2026, 12, 28), date(2027, 1, 11)]
    assert sorted(days["세주"]) == [date(2026, 12, 14), date(2027, 1, 4)]


def test_rule_validity_and_inactive_advisers(own):
    zone = make_zone(min_notice_hours=0)
    make_adviser(zone, "기간", valid_from=date(2026, 12, 2), valid_until=date(2026, 12, 3))
    make_adviser(zone, "퇴직", active=False)
    db.session.commit()
    slots = free_slots("test", date(2026, 11, 30), date(2026, 12, 6),
                       now=at(date(2026, 11, 29), 9))
    assert {s.adviser_name for s in slots} == {"기간"}
    assert sorted(by_day(slots)) == [date(2026, 12, 2), date(2026, 12, 3)]


def test_slots_are_sorted_by_start_then_adviser(own):
    zone = make_zone(min_notice_hours=0)
    second = make_adviser(zone, "둘", hours=((10, 12),))
    first = make_adviser(zone, "하나", hours=((9, 11),))
    db.session.commit()
    slots = free_slots("test", date(2026, 12, 1), date(2026, 12, 2), now=at(date(2026, 12, 1), 0))
    keys = [(s.start, s.adviser_id) for s in slots]
    assert keys == sorted(keys)
    assert [(clock([s])[0], s.adviser_id) for s in slots[:4]] == [
        ("09:00", first.id), ("10:00", second.id), ("10:00", first.id), ("11:00", second.id)]


def count_statements(call) -> int:
    """How many SQL statements a call sends, counted from outside any transaction."""
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    db.session.commit()  # every count starts outside a transaction, so each includes BEGIN
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_statement_count_does_not_grow_with_advisers_or_days(own):
    zone = make_zone(min_notice_hours=0)
    advisers = [make_adviser(zone, f"상담위원 {n}") for n in range(10)]
    db.session.commit()
    first = date(2026, 12, 1)
    for n, adviser in enumerate(advisers):
        book(adviser, at(first + timedelta(days=n % 5), 10 + n % 2))
        db.session.add(AvailabilityException(adviser=adviser, day=first, kind="extra",
                                             start_time=time(17), end_time=time(18)))
    db.session.add(Closure(day=date(2026, 12, 4), zone_id=zone.id))
    db.session.commit()
    now = at(date(2026, 11, 30), 9)

    def search(last_day):
        return lambda: free_slots("test", first, last_day, now=now)

    with_10 = count_statements(search(first + timedelta(days=27)))
    for n in range(40):
        make_adviser(zone, f"추가 {n}")
    db.session.commit()
    with_50 = count_statements(search(first + timedelta(days=27)))
    one_day = count_statements(search(first))
    assert with_10 == with_50 == one_day
    # BEGIN, zone, advisers, rules, exceptions, closures, appointments, waitlist offers
    assert with_50 <= 8
    assert len({s.adviser_id for s in free_slots("test", first, first, now=now)}) == 50
