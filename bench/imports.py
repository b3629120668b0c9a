"""Benchmark of the historical import (`.venv/bin/python bench/imports.py`).

Imports CSV files of 10k and 60k past consultations spread over ten years (60k rows is about
3.5 MB, within the 10 MB upload limit) into a fresh demo centre through the same service as
the upload page, the API and the CLI, and prints the time of the whole import and the part
of it spent recomputing the statistics' rollup for the imported days. Each size runs on its
own new database three times; the median is shown. Ends with `import_ms_60k=<x>`.
"""

import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["ONESTOP_ENV"] = "testing"
os.environ.pop("DATABASE_URL", None)

from app import create_app  # noqa: E402
from app.demo.seed import seed_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from app.main.commands import prepare_database  # noqa: E402
from app.stats import rollup  # noqa: E402
from app.stats.imports import HEADER, import_consultations  # noqa: E402

RUNS = 3
FIRST_DAY, YEARS = date(2016, 1, 4), 10


def csv_file(rows: int, seed: int = 11) -> bytes:
    """A file of `rows` consultations over YEARS years, a fifth of them with figures."""
    rng = random.Random(seed)
    lines = [",".join(HEADER)]
    for n in range(rows):
        day = FIRST_DAY + timedelta(days=rng.randrange(YEARS * 365))
        zone = rng.choice(("legal", "finance", "patent"))
        amount = rng.choice((0, 0, 0, 0, 150_000_000)) if zone == "finance" else 0
        transfers = rng.choice((0, 0, 0, 0, 1)) if zone == "patent" else 0
        lines.append(f"{day.isoformat()},{zone},기업 {n},,{amount},{transfers},0,과거 상담")
    return ("\n".join(lines) + "\n").encode("utf-8")


def one_import(raw: bytes, folder: Path, run: int) -> tuple[float, float]:
    """(whole import, rollup recompute) in ms, on a new demo centre."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / f'import-{run}.db'}"})
    spent: list[float] = []
    original = rollup.refresh

    def timed_refresh(days, session=None):
        started = time.perf_counter()
        original(days, session)
        spent.append((time.perf_counter() - started) * 1000)

    with app.app_context():
        prepare_database()
        seed_demo()
        rollup.refresh = timed_refresh
        try:
            started = time.perf_counter()
            result = import_consultations(raw, filename="bench.csv")
            whole = (time.perf_counter() - started) * 1000
        finally:
            rollup.refresh = original
        assert result.imported > 0 and not result.duplicate
        db.engine.dispose()
    return whole, sum(spent)


def main() -> None:
    logging.disable(logging.INFO)
    folder = Path(tempfile.mkdtemp(prefix="onestop-import-bench-"))
    try:
        for rows in (10_000, 60_000):
            raw = csv_file(rows)
            found = [one_import(raw, folder, n) for n in range(RUNS)]
            whole = statistics.median(w for w, _ in found)
            recompute = statistics.median(r for _, r in found)
            print(f"{rows:>6,} rows ({len(raw) / 1e6:.1f} MB)  import {whole:7.0f} ms  "
                  f"of which rollup recompute {recompute:6.0f} ms  (median of {RUNS})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"import_ms_60k={whole:.0f}")


if __name__ == "__main__":
    main()
