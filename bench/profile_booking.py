"""Where one booking's time goes (`.venv/bin/python bench/profile_booking.py [--postgres]`).

In one process, over a fresh database holding the demo centre and bench/load.py's 40-adviser
zone: books `--warm` visits to warm the process up, then times `--count` more through
`POST /api/v1/bookings` (the test client, no network), counting the SQL statements of each,
then profiles `--count` more with cProfile. Prints Onestop's own functions by cumulative
time and every function by its own time, and ends with `booking_ms_p95=`,
`statements_per_booking=` and `booking_ms_median=`.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.load import bench_database, prepare  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL")
    parser.add_argument("--warm", type=int, default=20)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--top", type=int, default=18)
    args = parser.parse_args()
    with bench_database(args.postgres, "profile") as (url, folder):
        plan = prepare(url, folder, args.warm + 2 * args.count)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        client = app.test_client()
        bodies = iter(plan["bodies"])
        statements = []

        def count(*_args):
            statements[-1] += 1

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)

        def book() -> float:
            statements.append(0)
            started = time.perf_counter()
            response = client.post("/api/v1/bookings", data=next(bodies),
                                   content_type="application/json")
            elapsed = time.perf_counter() - started
            if response.status_code != 201:
                raise SystemExit(f"booking answered {response.status_code}: "
                                 f"{response.get_data(as_text=True)[:300]}")
            return elapsed * 1000

        for _ in range(args.warm):
            book()
        del statements[:]
        times = [book() for _ in range(args.count)]  # timed without the profiler's overhead
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.count):
            book()
        profile.disable()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    engine = "postgresql" if args.postgres else "sqlite"
    print(f"{engine}: {args.count} bookings, each with its own intake and slot, "
          f"after {args.warm} to warm up")
    for title, order, restriction in (
            ("Onestop's own functions, by cumulative time", "cumulative", "/app/"),
            ("every function, by its own time", "tottime", None)):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(order)
        stats.print_stats(*([restriction] if restriction else []), args.top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\n--- {title}, over {args.count} more bookings under cProfile ---")
        print("\n".join(line.replace(f"{ROOT}/", "").replace(f"{sys.prefix}/", "")
                        for line in lines[start:] if line.strip()))
    print(f"\nbooking_ms_p95={sorted(times)[int(len(times) * 0.95) - 1]:.2f}")
    print(f"statements_per_booking={statistics.mean(statements):.1f}")
    print(f"booking_ms_median={statistics.median(times):.2f}")


if __name__ == "__main__":
    main()
