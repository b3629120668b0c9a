"""Benchmark of the statistics (`.venv/bin/python bench/stats.py`): 10k and 100k consultations.

Fills a temporary SQLite database (migrated like production) with a mix of imported
consultations and live completed appointments with outcomes (plus no-shows and cancellations
that must not count), then times `GET /api/v1/stats` with a real admin token and the
dashboard page `/admin/` through the test client. Prints p50/p95 per case, then the 100k
p95 of the API (the slower of its two queries) and of the dashboard on their own lines, and
ends with `p95_ms_100k=<x>`: the slower of the two at 100k (goal < 150 ms for both). The
dashboard runs a dozen statistics and the availability engine in one page.
"""

import gc
import logging
import os
import random
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

from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import create_api_token, create_user  # noqa: E402
from app.booking.models import Appointment, Booking  # noqa: E402
from app.demo.seed import seed_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.intake.forms import REGIONS  # noqa: E402
from app.intake.industries import INDUSTRY_CODES  # noqa: E402
from app.intake.models import STAGES, Intake  # noqa: E402
from app.main.commands import prepare_database  # noqa: E402
from app.stats.models import ImportBatch, ImportedConsultation, ZoneDay  # noqa: E402
from app.stats.rollup import rebuild  # noqa: E402
from app.types import center_tz, local_today  # noqa: E402
from app.visits.models import Outcome  # noqa: E402
from app.zones.models import Adviser, RotationRule, Zone  # noqa: E402

RUNS, WARMUP = 40, 3
HISTORY_START = date(2022, 1, 3)  # a Monday: the live history runs from here to today
HOURS = (9, 10, 11, 13, 14, 15, 16, 17)
LIVE_SHARE = 0.4  # of the consultations; the rest are imported rows


def past_rotations(advisers: list[Adviser]) -> None:
    """Weekday duty since HISTORY_START, so that utilisation has past slots to count."""
    for adviser in advisers:
        for weekday in range(5):
            db.session.add(RotationRule(adviser_id=adviser.id, weekday=weekday,
                                        start_time=clock(9), end_time=clock(18),
                                        valid_from=HISTORY_START))
    db.session.commit()


def slot_starts(advisers: list[Adviser], count: int, rng: random.Random) -> list[tuple]:
    """`count` distinct (adviser, start) pairs on weekdays between HISTORY_START and today."""
    tz, today, pairs = center_tz(), local_today(), []
    day = HISTORY_START
    while day < today:
        if day.weekday() < 5:
            for hour in HOURS:
                start = datetime.combine(day, clock(hour), tzinfo=tz).astimezone(UTC)
                pairs.extend((adviser, start) for adviser in advisers)
        day += timedelta(days=1)
    if count > len(pairs):
        raise SystemExit(f"{count} live appointments do not fit in {len(pairs)} slots")
    return rng.sample(pairs, count)


def fill(consultations: int, seed: int = 7) -> None:
    """Imported rows and live appointments (with intakes, bookings, outcomes), bulk inserted."""
    rng = random.Random(seed)
    zones = {z.code: z.id for z in db.session.scalars(select(Zone))}
    advisers = list(db.session.scalars(select(Adviser)))
    live = int(consultations * LIVE_SHARE)
    extra = live // 10  # no-shows and cancellations on top: they must not count
    now = datetime.now(UTC)
    intakes, bookings, appointments, outcomes = [], [], [], []
    for n, (adviser, start) in enumerate(slot_starts(advisers, live + extra, rng), start=1):
        booked = start - timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 12))
        intakes.append({"id": n, "token_hash": f"{n:064x}", "created_at": booked,
                        "stage": rng.choice(STAGES), "industry": rng.choice(INDUSTRY_CODES),
                        "region": rng.choice(REGIONS), "consent_personal_info_at": booked,
                        "consent_notice_version": "bench", "retention_until": now})
        bookings.append({"id": n, "token_hash": f"{n:064x}", "intake_id": n,
                         "visit_date": start.astimezone(center_tz()).date(),
                         "created_at": booked, "updated_at": booked})
        status = "completed" if n <= live else rng.choice(("no_show", "cancelled"))
        appointments.append({"id": n, "booking_id": n, "intake_id": n,
                             "zone_id": adviser.zone_id, "adviser_id": adviser.id,
                             "institution_id": adviser.institution_id, "starts_at": start,
                             "ends_at": start + timedelta(minutes=50), "status": status,
                             "created_at": booked, "updated_at": booked})
        if status == "completed" and rng.random() < 0.8:
            outcomes.append({"appointment_id": n, "summary": "",
                             "finance_amount_krw": rng.choice((0, 0, 50_000_000, 300_000_000)),
                             "patent_transfers": rng.choice((0, 0, 0, 1)),
                             "ip_applications": rng.choice((0, 1)), "recorded_at": start})
    batch = ImportBatch(content_sha256=f"{consultations:064x}", filename="bench", rows=0)
    db.session.add(batch)
    db.session.flush()
    first = HISTORY_START - timedelta(days=5 * 365)
    span = (local_today() - first).days
    imported = [{"batch_id": batch.id, "day": first + timedelta(days=rng.randrange(span)),
                 "zone_id": rng.choice(list(zones.values())), "company_name": f"기업 {i}",
                 "finance_amount_krw": rng.choice((0, 0, 100_000_000)),
                 "patent_transfers": rng.choice((0, 0, 1)), "ip_applications": 0,
                 "summary": ""} for i in range(consultations - live)]
    for model, rows in ((Intake, intakes), (Booking, bookings), (Appointment, appointments),
                        (Outcome, outcomes), (ImportedConsultation, imported)):
        for chunk in range(0, len(rows), 5000):  # Core executemany
            db.session.execute(model.__table__.insert(), rows[chunk:chunk + 5000])
    db.session.commit()  # no ANALYZE: the app never runs one, so neither does the bench


def p(values: list[float], share: float) -> float:
    """The `share` quantile (0.95: p95) of the timings, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(call) -> list[float]:
    """Milliseconds of RUNS calls after WARMUP untimed ones. The heap built so far is moved
    out of the collector's sight first, as wsgi.py does after start-up (gc.freeze()); the
    collector stays on for what the requests allocate."""
    for _ in range(WARMUP):
        call()
    gc.collect()
    gc.freeze()
    found = []
    try:
        for _ in range(RUNS):
            started = time.perf_counter()
            call()
            found.append((time.perf_counter() - started) * 1000)
    finally:
        gc.unfreeze()
    return found


def run(consultations: int, folder: Path) -> dict[str, float]:
    """Build the database for one size and time the API and the dashboard."""
    path = folder / f"stats-{consultations}.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        prepare_database()  # as `init-db`: the schema and the (empty) statistics rollup
        seed_demo()
        past_rotations(list(db.session.scalars(select(Adviser))))
        user = create_user(f"bench{consultations}@onestop.local", "admin", "bench-password-1")
        token, session_id = create_api_token(user), user.get_id()
        started = time.perf_counter()
        fill(consultations)
        filled = time.perf_counter() - started
        # The bulk insert bypasses the session that keeps the rollup in step as imports and
        # outcomes are recorded; the scheduler's check rebuilds it the same way.
        started = time.perf_counter()
        rebuild()
        db.session.commit()
        rebuilt = (time.perf_counter() - started) * 1000
        print(f"{consultations:>7,} consultations  rollup rebuilt in {rebuilt:.0f} ms "
              f"({db.session.scalar(select(func.count()).select_from(ZoneDay)):,} day-zone rows)")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = session_id, True
    headers = {"Authorization": f"Bearer {token}"}

    def get(url: str, **kwargs):
        """One request that must succeed."""
        response = client.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)

    results = {}
    for name, url, kwargs in (
            ("api cumulative", "/api/v1/stats", {"headers": headers}),
            ("api this year", "/api/v1/stats",
             {"headers": headers, "query_string": {"from": f"{local_year(app)}-01-01"}}),
            ("dashboard", "/admin/", {})):
        times = timed(lambda url=url, kwargs=kwargs: get(url, **kwargs))
        results[name] = p(times, 0.95)
        print(f"{consultations:>7,} consultations  {name:<15} "
              f"p50 {statistics.median(times):7.1f} ms  p95 {results[name]:7.1f} ms  "
              f"({RUNS} runs; filled in {filled:.1f} s)")
    with app.app_context():
        db.engine.dispose()
    return results


def local_year(app) -> int:
    """This year at the centre."""
    with app.app_context():
        return local_today().year


def main() -> None:
    """Both sizes, then the summary lines."""
    logging.disable(logging.INFO)
    folder = Path(tempfile.mkdtemp(prefix="onestop-bench-"))
    try:
        run(10_000, folder)
        big = run(100_000, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    api = max(big["api cumulative"], big["api this year"])
    print(f"p95_ms_100k_api={api:.1f}")
    print(f"p95_ms_100k_dashboard={big['dashboard']:.1f}")
    # The slower of the two faces: the goal holds only if both meet it.
    print(f"p95_ms_100k={max(api, big['dashboard']):.1f}")


if __name__ == "__main__":
    main()
