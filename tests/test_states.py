"""States are enums in one place; the database's CHECK constraints are made from them."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.booking.models import Appointment, Booking
from app.extensions import db
from app.states import (
    AppointmentStatus,
    BookingStatus,
    ExceptionKind,
    OutboxStatus,
    Role,
    WaitlistStatus,
)
from app.types import utcnow
from tests.stats_helpers import make_visit

# (table, column, enum, SQL that makes one row to try the values on)
COLUMNS = [
    ("appointments", "status", AppointmentStatus, None),
    ("bookings", "status", BookingStatus, None),
    ("users", "role", Role, None),
    ("waitlist_entries", "status", WaitlistStatus,
     "INSERT INTO waitlist_entries (intake_id, zone_id, day, status, position, created_at) "
     "SELECT intake_id, zone_id, '2030-01-02', 'waiting', 1, created_at FROM appointments "
     "LIMIT 1"),
    ("outbox", "status", OutboxStatus,
     "INSERT INTO outbox (dedupe_key, kind, recipient, subject, body_text, status, attempts, "
     "next_attempt_at, created_at) VALUES ('t', 'booked', 'a@b.c', '', '', 'pending', 0, "
     "'2030-01-01 00:00:00', '2030-01-01 00:00:00')"),
    ("availability_exceptions", "kind", ExceptionKind,
     "INSERT INTO availability_exceptions (adviser_id, day, kind, start_time, end_time, note, "
     "created_at) SELECT id, '2030-01-02', 'off', '09:00:00', '10:00:00', '', "
     "'2030-01-01 00:00:00' FROM advisers LIMIT 1"),
]


@pytest.mark.parametrize(("table", "column", "kind", "make"), COLUMNS,
                         ids=[c[0] for c in COLUMNS])
def test_the_database_takes_every_member_and_nothing_else(ctx, table, column, kind, make):
    make_visit("legal", utcnow() - timedelta(days=1))
    if make:
        db.session.execute(text(make))
    row_id = db.session.execute(text(f"SELECT max(id) FROM {table}")).scalar()
    # A national user has no centre, every other user one (the CHECK ck_users_centre_by_role).
    first_centre = db.session.execute(text("SELECT min(id) FROM centres")).scalar()
    centre = ", centre_id = :c" if table == "users" else ""
    for member in kind:
        params = {"v": member.value, "id": row_id}
        if table == "users":
            params["c"] = None if member.value == "national" else first_centre
        db.session.execute(text(f"UPDATE {table} SET {column} = :v{centre} WHERE id = :id"),
                           params)
        db.session.flush()
    with pytest.raises(IntegrityError):
        db.session.execute(text(f"UPDATE {table} SET {column} = 'unheard_of' WHERE id = :id"),
                           {"id": row_id})
    db.session.rollback()


def test_rows_read_back_as_members_and_compare_equal_to_their_values(ctx):
    appointment_id = make_visit("legal", utcnow() - timedelta(days=1))
    db.session.expire_all()
    appointment = db.session.get(Appointment, appointment_id)
    assert appointment.status is AppointmentStatus.COMPLETED
    assert appointment.status == "completed" and f"{appointment.status}" == "completed"
    booking = db.session.get(Booking, appointment.booking_id)
    assert booking.status is BookingStatus.BOOKED


def test_row_checks_need_no_database():
    now = utcnow()
    later = Appointment(status=AppointmentStatus.BOOKED, starts_at=now + timedelta(hours=2))
    dropped = Appointment(status=AppointmentStatus.CANCELLED, starts_at=now - timedelta(hours=1))
    booking = Booking(appointments=[later, dropped])
    assert later.is_live and not dropped.is_live
    assert not booking.has_started(now)  # the cancelled one's time passing does not count
    assert booking.has_started(now + timedelta(hours=2))
    later.status = AppointmentStatus.CHECKED_IN
    assert booking.has_started(now)
