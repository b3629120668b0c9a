"""States, roles and kinds: one StrEnum each, the column type that stores it, its CHECK.

A member is a `str`, so it compares equal to the value the database holds and to what a
template or the API prints; the CHECK constraints are generated from the same members, so a
new state is added in one place (and one migration for the constraint).
"""

from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.types import TypeDecorator


class AppointmentStatus(StrEnum):
    """Where one consultation stands."""

    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


# Statuses in which an appointment is still to happen or happening: the firm holds the zone.
OPEN_APPOINTMENT = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


class BookingStatus(StrEnum):
    """A visit as a whole: standing, or cancelled."""

    BOOKED = "booked"
    CANCELLED = "cancelled"


class WaitlistStatus(StrEnum):
    """A firm waiting for a full day: waiting, offered a freed slot, and how that ended."""

    WAITING = "waiting"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    """A message's delivery: waiting to go, gone, refused for good, or given up."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


class Role(StrEnum):
    """What a staff member may do."""

    ADMIN = "admin"
    ADVISER = "adviser"
    # The national programme office: every centre's figures and the network's, the list of
    # centres, the national needs and base rules; never a firm's personal data.
    NATIONAL = "national"


# The roles of a centre's staff: they see the centre's firms (the national role sees none).
CENTRE_STAFF = (Role.ADMIN, Role.ADVISER)


class ExceptionKind(StrEnum):
    """A change to an adviser's rota on one day: time off, or extra hours."""

    OFF = "off"
    EXTRA = "extra"


class StrandedPolicy(StrEnum):
    """What to do with bookings a change of availability leaves outside the adviser's hours."""

    REFUSE = "refuse"
    KEEP = "keep"
    CANCEL = "cancel"


class Language(StrEnum):
    """The language a firm's e-mails are written in: the one its pre-screen was made in."""

    KO = "ko"
    EN = "en"


class State(TypeDecorator):
    """A StrEnum stored as its value in a VARCHAR; read back as the member.

    The DDL is a plain VARCHAR, so the schema is the one the migrations made.
    """

    impl = String
    cache_ok = True

    def __init__(self, kind: type[StrEnum], length: int = 16):
        super().__init__(length)
        self.kind = kind

    def process_bind_param(self, value, dialect):
        return None if value is None else self.kind(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.kind(value)


def one_of(column: str, kind: type[StrEnum], name: str) -> CheckConstraint:
    """CHECK (column IN (every value of kind))."""
    values = ", ".join(f"'{member.value}'" for member in kind)
    return CheckConstraint(f"{column} IN ({values})", name=name)
