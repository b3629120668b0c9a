"""Benchmark of free_slots (`.venv/bin/python bench/slots.py [--other-history N]`): one
centre's search with 1k versus 100k appointments stored, and the same centre's search (the
same query) alone in its database versus beside 16 other centres' data (each with a zone
of the same code, 50 advisers, as many live appointments in the same window, N past
appointments and a closure): `ratio_network_over_one=` (goal <= 1.1) on the last line."""

import gc
import logging
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["ONESTOP_ENV"] = "testing"
os.environ.pop("DATABASE_URL", None)

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.booking.models import Appointment, Booking  # noqa: E402
from app.centres.models import Centre  # noqa: E402
from app.extensions import db  # noqa: E402
from app.intake.models import Intake  # noqa: E402
from app.types import center_tz, local_today  # noqa: E402
from app.zones.availability import free_slots  # noqa: E402
from app.zones.models import Adviser, Closure, Institution, RotationRule, Zone  # noqa: E402

RUNS = 60
WARMUP = 5
WINDOW_DAYS = 28
IN_WINDOW = 300  # live appointments inside the searched window, the same in both cases
HOURS = (10, 11, 13, 14, 15, 16)
OTHER_CENTRES = 16
OTHER_HISTORY = 100_000  # past appointments of each other centre (--other-history)


def build_zone(code: str, advisers: int, centre_id: int | None = None) -> list[int]:
    """A zone (of the default centre unless `centre_id` names another) whose advisers sit
    Mon-Fri 10-12 and 13-17 in 60-minute slots; their ids."""
    zone = Zone(code=code, name=f"벤치 {code}", name_en=f"Bench {code}", slot_minutes=60,
                buffer_minutes=0, min_notice_hours=24, horizon_days=60,
                **({"centre_id": centre_id} if centre_id is not None else {}))
    institutions = [Institution(zone=zone, code=f"{code}-{n}", name=f"기관 {n}",
                                name_en=f"Institution {n}") for n in range(4)]
    db.session.add_all([zone, *institutions])
    people = []
    for n in range(advisers):
        adviser = Adviser(name=f"상담위원 {n}", zone=zone, institution=institutions[n % 4])
        people.append(adviser)
        for weekday in range(5):
            for begin, end in ((10, 12), (13, 17)):
                db.session.add(RotationRule(
                    adviser=adviser, weekday=weekday, start_time=clock(begin),
                    end_time=clock(end), valid_from=date(2020, 1, 6)))
    db.session.commit()
    return [a.id for a in people]


def add_intakes(count: int, centre_id: int | None = None) -> list[int]:
    """Bare intakes (one per live appointment: an intake holds one open slot per zone), of
    the default centre unless `centre_id` names another."""
    now = datetime.now(UTC)
    own = {"centre_id": centre_id} if centre_id is not None else {}
    rows = [{"token_hash": secrets.token_hex(32), "stage": "bi", "consent_personal_info_at": now,
             "consent_notice_version": "bench", "retention_until": now, **own}
            for _ in range(count)]
    db.session.execute(insert(Intake), rows)
    db.session.flush()
    return list(db.session.scalars(select(Intake.id).order_by(Intake.id.desc()).limit(count)))


def add_booking(intake_id: int, day: date) -> int:
    """A booking row for an intake; its id."""
    booking = Booking(token_hash=secrets.token_hex(32), intake_id=intake_id, visit_date=day)
    db.session.add(booking)
    db.session.flush()
    return booking.id


def weekday_starts(first: date, last: date):
    """Every on-duty start between two local dates, as aware datetimes."""
    tz = center_tz()
    day = first
    while day <= last:
        if day.weekday() < 5:
            for hour in HOURS:
                yield datetime.combine(day, clock(hour), tzinfo=tz)
        day += timedelta(days=1)


def add_live_in_window(zone_id: int, advisers: list[int], first: date, last: date,
                       centre_id: int | None = None) -> None:
    """IN_WINDOW booked appointments at distinct (adviser, start) inside the window."""
    rng = random.Random(7)
    places = [(a, s) for s in weekday_starts(first, last) for a in advisers]
    chosen = rng.sample(places, IN_WINDOW)
    intakes = add_intakes(IN_WINDOW, centre_id)
    rows = []
    for intake_id, (adviser_id, start) in zip(intakes, chosen, strict=True):
        booking_id = add_booking(intake_id, start.date())
        rows.append(appointment_row(booking_id, intake_id, zone_id, adviser_id, start, "booked"))
    db.session.execute(insert(Appointment), rows)
    db.session.commit()


def appointment_row(booking_id, intake_id, zone_id, adviser_id, start, status) -> dict:
    """One hour-long appointment as a row for a Core insert."""
    return {"booking_id": booking_id, "intake_id": intake_id, "zone_id": zone_id,
            "adviser_id": adviser_id, "starts_at": start, "ends_at": start + timedelta(hours=1),
            "status": status, "created_at": start, "updated_at": start}


def add_history(zone_id: int, advisers: list[int], count: int, before: date,
                skip: int, centre_id: int | None = None) -> None:
    """`count` past appointments (completed, some no-shows and cancellations), walking back
    from `before`; `skip` history rows already exist."""
    intake_id = add_intakes(1, centre_id)[0]
    booking_id = add_booking(intake_id, before)
    statuses = ["completed"] * 18 + ["no_show", "cancelled"]
    rows, made = [], 0
    starts = weekday_starts(before - timedelta(days=3650), before)
    past = sorted(starts, reverse=True)
    for start in past:
        for adviser_id in advisers:
            if made >= skip:
                rows.append(appointment_row(booking_id, intake_id, zone_id, adviser_id, start,
                                            statuses[made % len(statuses)]))
            made += 1
            if made >= skip + count:
                break
        if made >= skip + count:
            break
    for chunk in range(0, len(rows), 20_000):
        db.session.execute(insert(Appointment), rows[chunk:chunk + 20_000])
    db.session.commit()


def add_other_centres(first: date, last: date, history: int) -> None:
    """OTHER_CENTRES more centres, each with a `bench` zone like the measured centre's (its
    advisers, live appointments in the same window, `history` past ones) and a closure."""
    for n in range(OTHER_CENTRES):
        centre = Centre(code=f"other{n:02d}", name=f"다른 센터 {n}", name_en=f"Other {n}")
        db.session.add(centre)
        db.session.commit()
        advisers = build_zone("bench", 50, centre.id)
        build_zone("bench10", 10, centre.id)
        zone_id = db.session.get(Adviser, advisers[0]).zone_id
        db.session.add(Closure(day=first + timedelta(days=n % WINDOW_DAYS),
                               reason="벤치 휴관", centre_id=centre.id))
        add_live_in_window(zone_id, advisers, first, last, centre.id)
        add_history(zone_id, advisers, history, local_today() - timedelta(days=30), skip=0,
                    centre_id=centre.id)


def measure(apps: dict[str, Flask], first: date, last: date,
            frozen: bool) -> dict[str, tuple[float, float, int]]:
    """p50 and p95 of one search in ms, and its slot count, for each database.

    The databases take turns run by run (in alternating order), so that both see the same
    machine. With `frozen`, the heap built so far is moved out of the collector's sight
    first (gc.freeze(), as a pre-fork server does at start-up); the collector stays on.
    """
    timings: dict[str, list[float]] = {label: [] for label in apps}
    found: dict[str, int] = {}
    gc.collect()
    if frozen:
        gc.freeze()
    try:
        for run in range(WARMUP + RUNS):
            order = list(apps) if run % 2 else list(reversed(apps))
            for label in order:
                with apps[label].app_context():
                    began = time.perf_counter()
                    found[label] = len(free_slots("bench", first, last))
                    elapsed = (time.perf_counter() - began) * 1000
                    db.session.remove()  # each search starts like a request: a fresh session
                if run >= WARMUP:
                    timings[label].append(elapsed)
    finally:
        gc.unfreeze()
    return {label: (statistics.median(times), statistics.quantiles(times, n=20)[-1],
                    found[label]) for label, times in timings.items()}


def traced_search(code: str, first: date, last: date) -> list[tuple[str, tuple]]:
    """The SQL statements (with parameters) that one search sends."""
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    db.session.remove()
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        free_slots(code, first, last)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return statements


def appointments_plan(statements: list[tuple[str, tuple]]) -> str:
    """How SQLite reads appointments in that search (it must use an index on the start)."""
    sql, parameters = next((s, p) for s, p in statements if "FROM appointments" in s)
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters)
    return "; ".join(row[-1] for row in rows)


def main() -> None:
    """Build the three databases, measure them in turn, print the figures (the ratios last)."""
    logging.disable(logging.INFO)  # the migration's progress lines are not the result
    history = OTHER_HISTORY
    if "--other-history" in sys.argv:
        history = int(sys.argv[sys.argv.index("--other-history") + 1])
    folder = Path(tempfile.mkdtemp(prefix="onestop-bench-"))
    apps: dict[str, Flask] = {}
    try:
        small, large, network = folder / "1k.db", folder / "100k.db", folder / "network.db"
        apps["1k"] = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{small}"})
        with apps["1k"].app_context():
            first, last, advisers, zone_id = build(total=1_000)
            db.engine.dispose()
        shutil.copyfile(small, large)
        apps["100k"] = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{large}"})
        with apps["100k"].app_context():
            add_history(zone_id, advisers, 99_000, local_today() - timedelta(days=30),
                        skip=1_000 - IN_WINDOW)
            stored = db.session.scalar(select(func.count()).select_from(Appointment))
            assert stored == 100_000, stored
            db.engine.dispose()
        shutil.copyfile(large, network)
        apps["network"] = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{network}"})
        with apps["network"].app_context():
            began = time.perf_counter()
            add_other_centres(first, last, history)
            stored = db.session.scalar(select(func.count()).select_from(Appointment))
            print(f"network database: {OTHER_CENTRES} other centres, {stored} appointments "
                  f"stored in all (built in {time.perf_counter() - began:.0f} s)")
        report(apps, first, last)
    finally:
        for app in apps.values():
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def build(total: int) -> tuple[date, date, list[int], int]:
    """The schema, both zones and `total` appointments, IN_WINDOW of them in the window."""
    upgrade()
    advisers = build_zone("bench", 50)
    build_zone("bench10", 10)
    zone_id = db.session.get(Adviser, advisers[0]).zone_id
    first = local_today() + timedelta(days=3)
    last = first + timedelta(days=WINDOW_DAYS - 1)
    add_live_in_window(zone_id, advisers, first, last)
    add_history(zone_id, advisers, total - IN_WINDOW, local_today() - timedelta(days=30),
                skip=0)
    return first, last, advisers, zone_id


def report(apps: dict[str, Flask], first: date, last: date) -> None:
    """Measure, count statements, print; the ratio goes last."""
    print(f"window {first} .. {last} ({WINDOW_DAYS} days), 50 advisers, {IN_WINDOW} live "
          f"appointments inside it; {RUNS} runs per figure, the databases in turn "
          f"(1k, 100k: the centre alone; network: the 100k centre beside {OTHER_CENTRES} others)")
    frozen = measure(apps, first, last, frozen=True)
    plain = measure(apps, first, last, frozen=False)
    for label in apps:
        p50, p95, found = frozen[label]
        raw50, raw95, _ = plain[label]
        print(f"{label:>7}: p50 {p50:.1f} ms  p95 {p95:.1f} ms "
              f"({found} free slots); heap not frozen: p50 {raw50:.1f} ms  p95 {raw95:.1f} ms")
    assert frozen["1k"][2] == frozen["100k"][2], "the history must not change the answer"
    assert frozen["network"][2] == frozen["100k"][2], "other centres must not change it"
    for label in ("100k", "network"):
        with apps[label].app_context():
            at_10 = traced_search("bench10", first, last)
            at_50 = traced_search("bench", first, last)
            print(f"{label}: appointments query plan: {appointments_plan(at_50)}")
            db.session.remove()
        print(f"{label}: SQL statements per search: {len(at_10)} at 10 advisers, "
              f"{len(at_50)} at 50 advisers")
    print(f"ratio_100k_over_1k={frozen['100k'][1] / frozen['1k'][1]:.2f}")
    print(f"ratio_network_over_one={frozen['network'][1] / frozen['100k'][1]:.2f}")


if __name__ == "__main__":
    main()
