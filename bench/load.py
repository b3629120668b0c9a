"""Load benchmark (`.venv/bin/python bench/load.py [--postgres] [-w 2] [-c 8] [-d 8]`).

gunicorn over a fresh database holding a 40-adviser zone, and a bare Flask endpoint that
parses the same JSON under the same gunicorn settings, driven in one run with the same
concurrency (wrk from Debian when present, a Python client otherwise): each booking
request has its own intake and its own slot. Prints req/s, p50, p99 and non-2xx of the bare
endpoint, POST /bookings, GET /slots (4 weeks) and the booking page; then the double
bookings in the database and the tracebacks in the servers' logs. The last line is
`booking_ratio=<booking req/s / bare req/s>`.
"""

import argparse
import collections
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["ONESTOP_ENV"] = "testing"
os.environ.pop("DATABASE_URL", None)

from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.booking.models import Appointment  # noqa: E402
from app.extensions import db  # noqa: E402
from app.intake.models import Intake  # noqa: E402
from app.tokens import hash_token  # noqa: E402
from app.types import local_today  # noqa: E402
from app.zones.availability import free_slots  # noqa: E402
from app.zones.models import Adviser, Institution, RotationRule, Zone  # noqa: E402
from bench.loadclient import drive  # noqa: E402

ADVISERS = 40
ZONE = "bench"


def build_zone() -> None:
    """A zone of ADVISERS advisers on duty Mon-Fri 9-12 and 13-18 in 30-minute slots."""
    zone = Zone(code=ZONE, name="부하 시험존", name_en="Load zone", slot_minutes=30,
                buffer_minutes=0, min_notice_hours=1, horizon_days=60)
    institutions = [Institution(zone=zone, code=f"load-{n}", name=f"기관 {n}",
                                name_en=f"Institution {n}") for n in range(4)]
    db.session.add_all([zone, *institutions])
    for n in range(ADVISERS):
        adviser = Adviser(name=f"상담위원 {n}", zone=zone, institution=institutions[n % 4])
        for weekday in range(5):
            for begin, end in ((9, 12), (13, 18)):
                db.session.add(RotationRule(adviser=adviser, weekday=weekday,
                                            start_time=clock(begin), end_time=clock(end),
                                            valid_from=date(2020, 1, 6)))
    db.session.commit()


def add_intakes(count: int) -> list[str]:
    """`count` pre-screens with personal data, as the page stores them; their tokens."""
    now = datetime.now(UTC)
    tokens = [secrets.token_urlsafe(32) for _ in range(count)]
    db.session.execute(insert(Intake), [{
        "token_hash": hash_token(token), "stage": "bi", "company_name": f"부하기업 {n}",
        "contact_name": "담당", "email": f"load{n}@example.com", "phone": "01012345678",
        "description": "계약서 검토", "recommendation": [{"code": ZONE, "score": 1.0,
                                                       "reasons": [], "institution_id": None}],
        "consent_personal_info_at": now, "consent_notice_version": "bench",
        "retention_until": now + timedelta(days=30)} for n, token in enumerate(tokens)])
    db.session.commit()
    return tokens


def prepare(url: str, folder: Path, bookings: int) -> dict:
    """The database, and the request bodies and paths the clients send."""
    from app.demo.seed import seed_demo
    from app.main.commands import prepare_database

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        prepare_database()
        seed_demo()
        build_zone()
        today = local_today()
        slots = free_slots(ZONE, today + timedelta(days=1), today + timedelta(days=59))
        if len(slots) < bookings:
            raise SystemExit(f"only {len(slots)} free slots for {bookings} bookings")
        tokens = add_intakes(bookings + 1)
        db.engine.dispose()
    bodies = [json.dumps({"intake_token": token, "appointments": [{
        "zone": ZONE, "adviser_id": slot.adviser_id, "start": slot.start.isoformat()}]})
        for token, slot in zip(tokens, slots, strict=False)]
    four_weeks = (f"/api/v1/slots?zone={ZONE}&from={today + timedelta(days=1)}"
                  f"&to={today + timedelta(days=28)}")
    return {"bodies": bodies, "slots_path": four_weeks,
            "page_path": f"/booking/new/{tokens[-1]}"}


def serve(target: str, url: str, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn -w N of a WSGI target on a free port, logging to `log`."""
    from tests.helpers import free_port, wait_for

    port = free_port()
    env = {**os.environ, "ONESTOP_ENV": "production", "SECRET_KEY": "load-bench",
           "DATABASE_URL": url, "RATELIMIT_ENABLED": "0", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--timeout", "60", target], cwd=ROOT, env=env, stdout=log.open("wb"),
        stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/healthz" if target.startswith("bench") else f"{base}/api/v1/zones")
    return process, base


def worker_rss_mb(server: subprocess.Popen) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def soak(base: str, page: str, clients: int, total: int = 10_000) -> int:
    """At least `total` more requests on the app (zones and the booking page, in turn)."""
    sent = 0
    while sent < total:
        for path in ("/api/v1/zones", page):
            run = drive(f"{base}{path}", clients, 2.0)
            sent += int(run.rate * 2.0)
    return sent


def doubles(url: str) -> int:
    """Live appointments sharing an adviser and a start (the database should allow none)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        taken = (select(Appointment.adviser_id, Appointment.starts_at)
                 .where(Appointment.status != "cancelled")
                 .group_by(Appointment.adviser_id, Appointment.starts_at)
                 .having(func.count() > 1).subquery())
        found = db.session.scalar(select(func.count()).select_from(taken))
        db.engine.dispose()
    return found


@contextmanager
def bench_database(postgres: bool, name: str):
    """(database URL, work folder) for one run: a SQLite file in a new folder, or a
    throw-away PostgreSQL keeping its own fsync settings; both gone afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"onestop-{name}-"))
    cluster = None
    try:
        if postgres:
            from tests.postgres import PostgresCluster

            cluster = PostgresCluster(durable=True)
            yield cluster.url, folder
        else:
            yield f"sqlite:///{folder / f'{name}.db'}", folder
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL")
    parser.add_argument("-w", "--workers", type=int, default=2)
    parser.add_argument("-c", "--clients", type=int, default=8)
    parser.add_argument("-d", "--seconds", type=float, default=8.0)
    parser.add_argument("--bookings", type=int, default=12000,
                        help="distinct intakes and slots prepared for POST /bookings")
    args = parser.parse_args()
    with bench_database(args.postgres, "load") as (url, folder):
        runs, rss, soaked, logs, found = measure(args, url, folder)
    report(args, runs, rss, soaked, logs, found)


def measure(args, url: str, folder: Path):
    """Serve, drive each endpoint, soak, and read the logs and the database afterwards."""
    servers = []
    try:
        plan = prepare(url, folder, args.bookings)
        app_server, app_base = serve("wsgi:app", url, args.workers, folder / "app.log")
        bare_server, bare_base = serve("bench.bare:app", url, args.workers, folder / "bare.log")
        servers = [app_server, bare_server]
        body = plan["bodies"][0]
        runs = {
            "bare": drive(f"{bare_base}/bare", args.clients, args.seconds, bodies=[body]),
            "POST /bookings": drive(f"{app_base}/api/v1/bookings", args.clients, args.seconds,
                                    bodies=plan["bodies"][1:], once=True),
            "GET /slots (4 weeks)": drive(f"{app_base}{plan['slots_path']}", args.clients,
                                          args.seconds),
            "booking page": drive(f"{app_base}{plan['page_path']}", args.clients, args.seconds),
        }
        rss_before = worker_rss_mb(app_server)
        soaked = soak(app_base, plan["page_path"], args.clients)
        rss_after = worker_rss_mb(app_server)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
    logs = "".join(path.read_text(errors="replace") for path in folder.glob("*.log"))
    return runs, (rss_before, rss_after), soaked, logs, doubles(url)


def report(args, runs: dict, rss: tuple, soaked: int, logs: str, found: int) -> None:
    """The table, then the name=value lines; booking_ratio last."""
    rss_before, rss_after = rss
    engine = "postgresql" if args.postgres else "sqlite"
    print(f"\n{engine}, gunicorn -w {args.workers}, {args.clients} clients, {args.seconds:g} s "
          f"each, {ADVISERS} advisers, {runs['bare'].tool}")
    print(f"{'endpoint':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    for name, run in runs.items():
        print(f"{name:<22}{run.rate:>9.0f}{run.p50:>9.1f}{run.p99:>9.1f}{run.non_2xx:>9}")
    booking = runs["POST /bookings"]
    refused = collections.Counter(re.findall(r"refused (\d+ \w+ \S+)", logs))
    for what, count in sorted(refused.items()):
        print(f"  refused {what}: {count}")
    print(f"worker RSS after the runs {', '.join(f'{mb:.1f}' for mb in rss_before)} MB; "
          f"after {soaked:,} more requests {', '.join(f'{mb:.1f}' for mb in rss_after)} MB")
    growth = max(after - before for after, before in zip(rss_after, rss_before, strict=True))
    print(f"worker_rss_growth_mb={growth:.1f}")
    print(f"double_bookings={found}")
    print(f"tracebacks={logs.count('Traceback')}")
    print(f"booking_p99_ms={booking.p99:.1f}")
    print(f"booking_non_2xx={booking.non_2xx}")
    print(f"booking_ratio={booking.rate / runs['bare'].rate:.3f}")


if __name__ == "__main__":
    main()
