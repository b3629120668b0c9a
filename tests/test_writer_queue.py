"""On a SQLite file, write transactions of all workers queue on a flock beside it (no busy
polling); app/transactions.py is the one place that asks for the write lock."""

import subprocess
import sys
from pathlib import Path

import pytest

from app.extensions import db
from app.transactions import _queue_file, write_transaction

pytestmark = pytest.mark.sqlite_only

TRY_LOCK = ("import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)")


def another_process_can_lock(path: str) -> bool:
    return subprocess.run([sys.executable, "-c", TRY_LOCK, path]).returncode == 0


def test_a_write_transaction_holds_the_queue_and_lets_it_go(ctx):
    path = _queue_file()
    assert path == f"{ctx.config['DATABASE_PATH']}.writers.lock"
    with write_transaction():
        assert not another_process_can_lock(path)
        db.session.commit()
    assert another_process_can_lock(path)


def test_a_failed_write_transaction_lets_the_queue_go(ctx):
    try:
        with write_transaction():
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert another_process_can_lock(_queue_file())


def test_only_the_transaction_helper_asks_for_the_write_lock():
    app_dir = Path(__file__).resolve().parents[1] / "app"
    asking = {path.relative_to(app_dir).as_posix() for path in app_dir.rglob("*.py")
              if "sqlite_begin" in path.read_text(encoding="utf-8")}
    assert asking == {"transactions.py", "extensions.py"}  # the helper, and the listener
