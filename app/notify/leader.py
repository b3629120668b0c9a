"""The leader lock: one scheduler process runs the jobs, any other waits to take over.

SQLite: an exclusive `flock` on a file beside the database (instance/scheduler.lock by
default). PostgreSQL: a session-level advisory lock held on a connection of its own. The
kernel or the database drops either lock when its process dies, so a standby takes over.
"""

import fcntl
import hashlib
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

# A fixed 64-bit key for pg_advisory_lock, derived from a name so that it reads as ours.
ADVISORY_KEY = int.from_bytes(hashlib.sha256(b"onestop-scheduler").digest()[:8], "big",
                              signed=True)


class FileLock:
    """An exclusive, non-blocking flock on one file."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process now leads."""
        if self.fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return True

    def alive(self) -> bool:
        """A held flock cannot be lost while the process lives."""
        return self.fd is not None

    def release(self) -> None:
        """Let another process lead."""
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


class AdvisoryLock:
    """pg_try_advisory_lock on a connection kept out of the pool while this process leads."""

    def __init__(self, engine: Engine, key: int = ADVISORY_KEY):
        self.engine, self.key = engine, key
        self.connection: Connection | None = None

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process now leads."""
        if self.connection is not None:
            return True
        connection = self.engine.connect()
        held = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                  {"key": self.key}).scalar()
        connection.commit()
        if not held:
            connection.close()
            return False
        self.connection = connection
        return True

    def alive(self) -> bool:
        """Whether the session holding the lock still answers (a lost session lost the lock)."""
        if self.connection is None:
            return False
        try:
            self.connection.execute(text("SELECT 1"))
            self.connection.commit()
        except Exception:  # the connection is gone, and the lock with it
            self.connection.invalidate()
            self.connection.close()
            self.connection = None
            return False
        return True

    def release(self) -> None:
        """Let another process lead."""
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                        {"key": self.key})
                self.connection.commit()
            finally:
                self.connection.close()
                self.connection = None


def leader_lock(app: Flask, engine: Engine) -> FileLock | AdvisoryLock:
    """The lock that fits the database: advisory on PostgreSQL, a file lock elsewhere."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    configured = app.config.get("SCHEDULER_LOCK_FILE")
    if configured:
        return FileLock(Path(configured))
    database = engine.url.database
    folder = (Path(database).resolve().parent if database and database != ":memory:"
              else Path(app.instance_path))
    return FileLock(folder / "scheduler.lock")
