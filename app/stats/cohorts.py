"""The rollup `cohort_days`: the funnel's cohort added up per centre and centre-local day.

The funnel (app/stats/flow.py) follows the pre-screens made in a period: how many were
made, how many bookings and appointments they led to, and how those ended. Counting that
from the pre-screens joins every one of them to its bookings and appointments, which at
the network's size (17 centres of a hundred thousand consultations) takes seconds. This
rollup keeps, per centre and local day, the six counts of the pre-screens made that day as
they stand now; a period's funnel adds up its days' rows.

It is kept in step by the rollup's session hooks (app/stats/rollup.py), by difference, in
the transaction that makes the change. What a row tells by itself is added as it is (a
booking or an appointment made, an appointment's status changed: `Known`). For anything
else (a pre-screen made, removed or moved to another day or centre; a booking or an
appointment removed or moved to another pre-screen; a change inside a savepoint, which may
be rolled back alone) the pre-screen's counts are read from the database the first time the
transaction is about to change them (`snapshot`, before the flush writes) and again just
before the commit, and the difference is added. `settle` adds it all with one upsert per
day and centre touched, so a booking costs the same on a day of ten pre-screens as on a
launch day of ten thousand, and two bookings of one day only queue on that row. A bulk
UPDATE of appointments, bookings or pre-screens (the scheduler's no-shows, the retention
purge) is read the same way: the rows its WHERE picks, before it runs. `recount` counts
whole days again, for `rebuild` and the daily check.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import bindparam, delete, func, insert, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.booking.models import Appointment, Booking
from app.intake.models import Intake
from app.states import AppointmentStatus
from app.stats.figures import _bucket_of, day_start
from app.stats.models import CohortDay
from app.types import to_local

COUNTS = ("intakes", "bookings", "appointments", "completed", "no_show", "cancelled")
ENDINGS = (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED)
# What of a row changes its pre-screen's counts, besides being made or removed.
MOVES = {Intake: ("created_at", "centre_id"), Booking: ("intake_id",),
         Appointment: ("intake_id", "status")}

Counted = tuple[date, int, tuple[int, ...]]  # a pre-screen's day, centre and six counts


@dataclass(frozen=True)
class Known:
    """A change whose effect the flushed row tells by itself: a booking or an appointment
    made (`was` None), or an appointment's status changed from `was` to `now`; `flush` is
    the number of the flush that wrote it."""

    flush: int
    row: object
    was: str | None
    now: str | None
    intake_id: int | None  # its pre-screen then (None: one not flushed yet, made here)


@dataclass
class CohortNotes:
    """What a transaction changes that the cohort counts: per pre-screen id, its counts
    before the transaction touched it (None: it was not in the database) and the flush
    they were read before; the pre-screens it made (their ids come with the flush); and the
    changes the rows tell by themselves, which need no reading of counts."""

    before: dict[int, Counted | None] = field(default_factory=dict)
    read_at: dict[int, int] = field(default_factory=dict)
    made: list = field(default_factory=list)
    known: list[Known] = field(default_factory=list)
    flushes: int = 0


def values_of(obj, name: str) -> list:
    """The attribute's values now and before this flush (whatever of it is loaded), None
    left out."""
    history = inspect(obj).attrs[name].history
    return [value for value in (*history.added, *history.unchanged, *history.deleted)
            if value is not None]


def _intakes_of(obj, change: str) -> set[int]:
    """The ids of the pre-screens in the database whose counts a flushed row changes."""
    kind = type(obj)
    if change == "dirty" and not any(inspect(obj).attrs[name].history.has_changes()
                                     for name in MOVES[kind]):
        return set()
    if kind is Intake:
        return {obj.id} if obj.id is not None else set()
    ids = set(values_of(obj, "intake_id"))
    linked = obj.__dict__.get("intake")  # made with `intake=`: its id may not be set yet
    if linked is not None and linked.id is not None:
        ids.add(linked.id)
    return ids


def _known(obj, change: str, flush: int) -> Known | None:
    """The change a booking or appointment row tells by itself (made; an appointment's
    status changed, the old one loaded, nothing else moved), else None."""
    if type(obj) is Intake:
        return None
    linked = obj.__dict__.get("intake")
    intake_id = obj.intake_id or (linked.id if linked is not None else None)
    if change == "new":
        return Known(flush, obj, None, getattr(obj, "status", None), intake_id)
    if change != "dirty" or type(obj) is not Appointment:
        return None
    state = inspect(obj)
    history = state.attrs.status.history
    if state.attrs.intake_id.history.has_changes() or not (history.added and history.deleted):
        return None
    return Known(flush, obj, history.deleted[0], history.added[0], intake_id)


def watch(session: Session, changes, notes: CohortNotes) -> None:
    """Before a flush: note what its rows (`changes`: (change, object) pairs, change "new",
    "dirty" or "deleted") change in the cohort. A booking or appointment made and an
    appointment's new status are noted as they are; for anything else (and for anything in
    a savepoint, which may be rolled back alone) the pre-screen's counts are read now, once
    per transaction, and again at the commit."""
    notes.flushes += 1
    plain = session.get_nested_transaction() is None
    ids: set[int] = set()
    for change, obj in changes:
        if type(obj) not in MOVES:
            continue
        if change == "new" and type(obj) is Intake:
            notes.made.append(obj)
            continue
        known = _known(obj, change, notes.flushes) if plain else None
        if known is not None:
            notes.known.append(known)
        else:
            ids |= _intakes_of(obj, change)
    snapshot(ids, notes, session)


def snapshot(ids, notes: CohortNotes, session: Session) -> None:
    """Read the counts of the pre-screens not noted yet, as they are before what follows
    (one made in this transaction was nothing before it, whatever an earlier flush wrote)."""
    fresh = set(ids) - notes.before.keys() - {obj.id for obj in notes.made}
    if fresh:
        found = counted(fresh, session)
        notes.before.update({intake_id: found.get(intake_id) for intake_id in fresh})
        notes.read_at.update(dict.fromkeys(fresh, notes.flushes))


def watch_bulk(session: Session, statement, notes: CohortNotes) -> None:
    """Before a bulk UPDATE of appointments, bookings or pre-screens: note the pre-screens
    of the rows its WHERE picks."""
    model = statement.entity_description.get("entity")
    if model not in MOVES:
        return
    column = Intake.id if model is Intake else model.intake_id
    query = select(column).distinct()
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    snapshot(session.scalars(query).all(), notes, session)


def counted(ids, session: Session) -> dict[int, Counted]:
    """Each pre-screen's day, centre and six counts (itself, its bookings, appointments,
    completed, no-shows, cancelled), in one statement per 500."""
    ordered, found = sorted(ids), {}
    for start in range(0, len(ordered), 500):
        for intake_id, made, centre_id, *counts in session.execute(
                select(Intake.id, Intake.created_at, Intake.centre_id, *_per_intake())
                .where(Intake.id.in_(ordered[start:start + 500]))):
            found[intake_id] = (to_local(made).date(), centre_id,
                                (1, *(int(count or 0) for count in counts)))
    return found


def _per_intake() -> list:
    """A pre-screen's bookings, appointments and their three endings: correlated counts,
    read from their intake indexes."""

    def of_intake(model, *where):
        return (select(func.count()).select_from(model)
                .where(model.intake_id == Intake.id, *where).scalar_subquery())

    return [of_intake(Booking), of_intake(Appointment),
            *[of_intake(Appointment, Appointment.status == ending) for ending in ENDINGS]]


def changes(notes: CohortNotes, session: Session) -> dict[tuple[date, int], list[int]]:
    """After the last flush: per (day, centre), what the noted pre-screens' counts changed
    by (zero changes left out)."""
    for obj in notes.made:
        if obj.id is not None:
            notes.before[obj.id] = None
            notes.read_at[obj.id] = 0  # its counts after the commit are all its own
    after = counted(notes.before.keys(), session) if notes.before else {}
    delta: dict[tuple[date, int], list[int]] = {}

    def add(key: tuple[date, int], index: int, sign: int) -> None:
        delta.setdefault(key, [0] * len(COUNTS))[index] += sign

    for sign, states in ((-1, notes.before), (1, after)):
        for state in states.values():
            if state is not None:
                day, centre_id, counts = state
                for index, count in enumerate(counts):
                    add((day, centre_id), index, sign * count)
    # A known change counts unless its pre-screen's counts were read after it was written
    # (then the difference holds it already). It counts on the day and centre its
    # pre-screen had when it was written: those read before a later move, if one was.
    known = [(change, change.intake_id or change.row.intake_id) for change in notes.known]
    known = [(change, intake_id) for change, intake_id in known if intake_id is not None
             and notes.read_at.get(intake_id, math.inf) > change.flush]
    where = _days_of({intake_id for _change, intake_id in known} - notes.before.keys(),
                     session)
    for change, intake_id in known:
        earlier = notes.before.get(intake_id)
        key = earlier[:2] if earlier is not None else where[intake_id]
        if change.was is None:
            add(key, 1 if type(change.row) is Booking else 2, 1)
        elif change.was in ENDINGS:
            add(key, 3 + ENDINGS.index(change.was), -1)
        if type(change.row) is Appointment and change.now in ENDINGS:
            add(key, 3 + ENDINGS.index(change.now), 1)
    return {key: cell for key, cell in delta.items() if any(cell)}


def _days_of(ids: set[int], session: Session) -> dict[int, tuple[date, int]]:
    """Each pre-screen's local day and centre: from the session when it holds them (a
    booking's pre-screen, always), else read."""
    found, missing = {}, []
    for intake_id in ids:
        held = session.identity_map.get(session.identity_key(Intake, intake_id))
        values = held.__dict__ if held is not None else {}
        if values.get("created_at") is not None and values.get("centre_id") is not None:
            found[intake_id] = (to_local(values["created_at"]).date(), values["centre_id"])
        else:
            missing.append(intake_id)
    for start in range(0, len(missing), 500):
        for intake_id, made, centre_id in session.execute(
                select(Intake.id, Intake.created_at, Intake.centre_id)
                .where(Intake.id.in_(missing[start:start + 500]))):
            found[intake_id] = (to_local(made).date(), centre_id)
    return found


_UPSERTS: dict[str, object] = {}


def _upsert(dialect: str):
    """INSERT ... ON CONFLICT (day, centre) DO UPDATE adding the values given, built once
    per database (its compiled form is then cached like any other statement's)."""
    if dialect not in _UPSERTS:
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = make(CohortDay).values(
            {name: bindparam(name) for name in ("day", "centre_id", *COUNTS)})
        _UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=[CohortDay.day, CohortDay.centre_id],
            set_={name: getattr(CohortDay, name) + statement.excluded[name] for name in COUNTS})
    return _UPSERTS[dialect]


def settle(delta: dict[tuple[date, int], list[int]], session: Session) -> None:
    """Add the changes to their rows, making a row for a day and centre that has none (one
    upsert each: two transactions adding to the same row queue on it), and removing one
    that no pre-screen is left in (as a recount would not make it)."""
    upsert = _upsert(session.get_bind().dialect.name)
    for (day, centre_id), cell in sorted(delta.items()):
        session.execute(upsert, {"day": day, "centre_id": centre_id,
                                 **dict(zip(COUNTS, cell, strict=True))})
        if cell[0] < 0:  # a pre-screen left the day: a day without any is no row
            session.execute(delete(CohortDay).where(
                CohortDay.day == day, CohortDay.centre_id == centre_id, CohortDay.intakes <= 0))


def span(session: Session) -> tuple[date, date] | None:
    """The first and last local day a pre-screen was made on."""
    first, last = session.execute(select(func.min(Intake.created_at),
                                         func.max(Intake.created_at))).one()
    return (to_local(first).date(), to_local(last).date()) if first else None


Rows = dict[tuple[date, int], list[int]]  # (day, centre id) -> the six counts


def recounted(first: date, last: date, session: Session) -> Rows:
    """The cohort of first..last (at most a few hundred days) per local day and centre, in
    one statement: each pre-screen's day by the bisecting CASE the statistics use, and its
    bookings and appointments by `_per_intake`'s correlated counts."""
    edges = [first + timedelta(days=n) for n in range((last - first).days + 2)]
    bounds = [day_start(edge) for edge in edges]
    moment = Intake.created_at
    names = [f"c{index}" for index in range(len(COUNTS) - 1)]
    inner = select(
        _bucket_of(moment, bounds, 0, len(bounds) - 1).label("k"), Intake.centre_id,
        *[count.label(name) for count, name in zip(_per_intake(), names, strict=True)],
    ).where(moment >= bounds[0], moment < bounds[-1]).subquery()
    return {(edges[int(k)], centre_id): [int(value or 0) for value in values]
            for k, centre_id, *values in session.execute(
                select(inner.c.k, inner.c.centre_id, func.count(),
                       *[func.sum(inner.c[name]) for name in names])
                .group_by(inner.c.k, inner.c.centre_id))}


def recount(first: date, last: date, session: Session) -> None:
    """Replace the cohort rows of first..last by what the pre-screens say now."""
    rows = recounted(first, last, session)
    session.execute(delete(CohortDay).where(CohortDay.day >= first, CohortDay.day <= last))
    values = [{"day": day, "centre_id": centre_id, **dict(zip(COUNTS, counts, strict=True))}
              for (day, centre_id), counts in sorted(rows.items())]
    for start in range(0, len(values), 1000):
        session.execute(insert(CohortDay), values[start:start + 1000])


def stored(session: Session) -> dict[tuple[date, int], tuple[int, ...]]:
    """Every cohort row: (day, centre id) -> the six counts."""
    return {(day, centre_id): tuple(counts) for day, centre_id, *counts in session.execute(
        select(CohortDay.day, CohortDay.centre_id,
               *[getattr(CohortDay, name) for name in COUNTS]))}


def clear(session: Session) -> None:
    """Remove every cohort row (a rebuild starts from nothing)."""
    session.execute(delete(CohortDay))
