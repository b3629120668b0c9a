"""Write transactions that take the database's write lock before they read: the one helper
every domain's services and jobs use (infrastructure, like app/extensions.py: no domain)."""

import fcntl
import os
from contextlib import contextmanager

from sqlalchemy.orm import Session

from app.extensions import db

_queues: dict[str, int] = {}  # lock file -> this process's descriptor of it


@contextmanager
def write_transaction():
    """Run the block in a transaction that started with BEGIN IMMEDIATE on SQLite.

    Under WAL a deferred transaction that read first fails at once when another writer
    commits; taking the write lock up front makes concurrent writers (bookings, jobs, a
    resend beside the relay) queue instead. PostgreSQL ignores the option; its unique index
    does the same work. An error inside rolls the transaction back and is raised again.
    """
    with _writer_queue():
        if db.session().in_transaction():
            db.session.commit()  # end any read transaction this request had open
        db.session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        try:
            yield
        except BaseException:
            db.session.rollback()
            raise


@contextmanager
def side_read():
    """A short read on a connection of its own, beside the caller's session: deferred on
    SQLite whatever the request's method, so it never takes or waits for the write lock, and
    closed when the block ends (no transaction of the caller's is opened or ended)."""
    with db.engine.connect() as connection:
        connection.execution_options(sqlite_begin="DEFERRED")
        with Session(bind=connection) as session:
            yield session


def commit_keeping_state() -> None:
    """Commit without expiring what the transaction loaded and wrote.

    The answer to a booking, a reschedule or a cancel is read from exactly these rows; with
    the usual expiry it would read them all again in a second transaction (six statements).
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


@contextmanager
def _writer_queue():
    """On a SQLite file, write transactions of every worker queue on a flock beside it first.

    SQLite's own wait for its write lock polls, sleeping up to 100 ms between tries, so
    under a rush a booking waits long after the lock came free (p99 near a second at eight
    clients). A blocking flock wakes the next writer the moment the last one lets go; the
    busy timeout still guards everything else. Threads of one process share the descriptor,
    so between them only SQLite's own lock orders the writes, as before.
    """
    path = _queue_file()
    if path is None:
        yield
        return
    descriptor = _queues.get(path)
    if descriptor is None:
        descriptor = _queues[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def _queue_file() -> str | None:
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return f"{url.database}.writers.lock"
