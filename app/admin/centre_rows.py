"""Which outbox messages and audit entries are a centre's: the admin screens' scope.

Neither table has a centre of its own; each row names what it is about, and that decides.

- An outbox message's dedupe key starts with what it is about (app/booking/notifications.py,
  app/intake/notifications.py, app/visits/jobs.py, app/admin/weekly.py): `booking:ID:...`,
  `appointment:ID:...`, `intake:ID:...`, `waitlist:ID:...` (the centre of the pre-screen, or
  of the appointment's zone), `agenda:ADVISER_ID:...` (the adviser's zone's centre),
  `weekly:DATE:USER_ID` (the staff user's centre; a national user's digest is nobody's
  centre's). A key of any other kind predates the network or names nothing: it is the
  default centre's, as every row was before there were several centres.
- An audit entry is the centre's when its actor is one of the centre's staff (a national
  user's own actions are shown to no centre's admin); an entry without an actor (a job's)
  is about an appointment, so it is that appointment's centre's; any other entry without an
  actor is the default centre's, as for the outbox.

The conditions are SQL, so paging and counting stay in the database; the key is taken apart
with `substr` and the position of `:` (`instr` on SQLite, `strpos` on PostgreSQL).
"""

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    cast,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.auth.models import AuditEntry, User
from app.booking.models import Appointment, Booking, WaitlistEntry
from app.centres.services import default_centre_id
from app.intake.models import Intake
from app.notify.models import OutboxMessage
from app.zones.models import Adviser, Zone

COLON = literal_column("':'", String)


class position(FunctionElement):  # noqa: N801 - a SQL function
    """position(text, needle): where `needle` first occurs in `text` (1-based; 0: never)."""

    type = Integer()
    inherit_cache = True


@compiles(position)
def _position(element, compiler, **kw):
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(position, "postgresql")
def _position_pg(element, compiler, **kw):
    return f"strpos({compiler.process(element.clauses, **kw)})"


def _head(text) -> ColumnElement[str]:
    """The part of `text` before its first `:` (all of it when there is none)."""
    return _substr(text, 1, position(text + COLON, COLON) - 1)


def _tail(text) -> ColumnElement[str]:
    """The part of `text` after its first `:` (empty when there is none)."""
    return _substr(text, position(text + COLON, COLON) + 1)


def _substr(text, start, length=None):
    return func.substr(text, start) if length is None else func.substr(text, start, length)


def _ids(column, *joins_and_where) -> object:
    """A subquery of ids as text, to compare with a part of a dedupe key."""
    return select(cast(column, String(20))).where(*joins_and_where)


def _is_default(centre_id: int) -> bool:
    return centre_id == default_centre_id()


KINDS = ("booking", "appointment", "intake", "waitlist", "agenda", "weekly")


def outbox_of(centre_id: int) -> ColumnElement[bool]:
    """The SQL condition on OutboxMessage: the messages about the centre's firms, bookings,
    advisers and staff (see the module's rule)."""
    key = OutboxMessage.dedupe_key
    kind, first = _head(key), _head(_tail(key))
    third = _head(_tail(_tail(key)))
    centre_intakes = select(Intake.id).where(Intake.centre_id == centre_id)
    return or_(
        and_(kind == "booking", first.in_(_ids(Booking.id, Booking.intake_id.in_(
            centre_intakes)))),
        and_(kind == "appointment", first.in_(_ids(Appointment.id).join(
            Zone, Appointment.zone_id == Zone.id).where(Zone.centre_id == centre_id))),
        and_(kind == "intake", first.in_(_ids(Intake.id, Intake.centre_id == centre_id))),
        and_(kind == "waitlist", first.in_(_ids(WaitlistEntry.id, WaitlistEntry.intake_id.in_(
            centre_intakes)))),
        and_(kind == "agenda", first.in_(_ids(Adviser.id).join(
            Zone, Adviser.zone_id == Zone.id).where(Zone.centre_id == centre_id))),
        and_(kind == "weekly", third.in_(_ids(User.id, User.centre_id == centre_id))),
        and_(kind.not_in(KINDS), true() if _is_default(centre_id) else false()),
    )


def audit_of(centre_id: int) -> ColumnElement[bool]:
    """The SQL condition on AuditEntry: the entries of the centre's staff, and of jobs about
    the centre's appointments (see the module's rule)."""
    staff = select(User.id).where(User.centre_id == centre_id)
    appointments = _ids(Appointment.id).join(Zone, Appointment.zone_id == Zone.id).where(
        Zone.centre_id == centre_id)
    no_actor = AuditEntry.actor_id.is_(None)
    return or_(
        AuditEntry.actor_id.in_(staff),
        and_(no_actor, AuditEntry.entity == "appointment",
             AuditEntry.entity_id.in_(appointments)),
        and_(no_actor, AuditEntry.entity != "appointment",
             true() if _is_default(centre_id) else false()),
    )
