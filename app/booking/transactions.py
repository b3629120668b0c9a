"""Write transactions that take the database's write lock before they read."""

from contextlib import contextmanager

from app.extensions import db


@contextmanager
def booking_transaction():
    """Run the block in a transaction that started with BEGIN IMMEDIATE on SQLite.

    Under WAL a deferred transaction that read first fails at once when another writer
    commits; taking the write lock up front makes concurrent bookings queue instead.
    PostgreSQL ignores the option; its unique index does the same work.
    """
    if db.session().in_transaction():
        db.session.commit()  # end any read transaction this request had open
    db.session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
