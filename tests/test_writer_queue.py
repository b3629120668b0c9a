"""On a SQLite file, bookings of all workers queue on a flock beside it (no busy polling)."""

import subprocess
import sys

import pytest

from app.booking.transactions import _queue_file, booking_transaction
from app.extensions import db

pytestmark = pytest.mark.sqlite_only

TRY_LOCK = ("import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)")


def another_process_can_lock(path: str) -> bool:
    return subprocess.run([sys.executable, "-c", TRY_LOCK, path]).returncode == 0


def test_a_booking_transaction_holds_the_queue_and_lets_it_go(ctx):
    path = _queue_file()
    assert path == f"{ctx.config['DATABASE_PATH']}.writers.lock"
    with booking_transaction():
        assert not another_process_can_lock(path)
        db.session.commit()
    assert another_process_can_lock(path)


def test_a_failed_booking_transaction_lets_the_queue_go(ctx):
    try:
        with booking_transaction():
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    assert another_process_can_lock(_queue_file())
