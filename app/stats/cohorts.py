"""The rollup `cohort_days`: the funnel's cohort added up per centre and centre-local day.

The funnel (app/stats/flow.py) follows the pre-screens made in a period: how many were
made, how many bookings and appointments they led to, and how those ended. Counting that
from the pre-screens joins every one of them to its bookings and appointments, which at
the network's size (17 centres of a hundred thousand consultations) takes seconds. This
rollup keeps, per centre and local day, the six counts of the pre-screens made that day as
they stand now; a period's funnel adds up its days' rows.

It is kept in step by the same session hooks and in the same transaction as `zone_days`
(app/stats/rollup.py, which calls `watch` on every flushed object and `recount` on the
noted days before the commit). What it watches: a pre-screen made, removed or moved to
another day or centre; a booking made, removed or moved to another pre-screen; an
appointment made, removed, moved to another pre-screen or given another status.
Appointments a bulk UPDATE changed (the scheduler's no-show marking:
app/transactions.note_bulk_change) are followed too. A day recomputed is right whatever
happened on it, so noting too much costs a query only.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.orm import Session

from app.booking.models import Appointment, Booking
from app.intake.models import Intake
from app.states import AppointmentStatus
from app.stats.figures import _bucket_of, day_start
from app.stats.models import CohortDay
from app.types import to_local

COUNTS = ("intakes", "bookings", "appointments", "completed", "no_show", "cancelled")
ENDINGS = (AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED)
# What of a flushed row changes its pre-screen's counts, besides being made or removed.
_MOVES = {Intake: ("created_at", "centre_id"), Booking: ("intake_id",),
          Appointment: ("intake_id", "status")}


@dataclass
class CohortNotes:
    """What a transaction changed that the cohort counts: local days of pre-screens, ids of
    pre-screens and of appointments, and rows made in it (their day or pre-screen is read
    at the commit, once the flush has given them)."""

    days: set[date] = field(default_factory=set)
    intakes: set[int] = field(default_factory=set)
    appointments: set[int] = field(default_factory=set)  # changed by a bulk UPDATE
    made: list = field(default_factory=list)


def values_of(obj, name: str) -> list:
    """The attribute's values now and before this flush (whatever of it is loaded), None
    left out."""
    history = inspect(obj).attrs[name].history
    return [value for value in (*history.added, *history.unchanged, *history.deleted)
            if value is not None]


def watch(obj, change: str, notes: CohortNotes) -> None:
    """Note what a flushed object changes in the cohort: `change` is "new", "dirty" or
    "deleted" (which of the session's collections it is in)."""
    kind = type(obj)
    if kind not in _MOVES:
        return
    if change == "new":
        notes.made.append(obj)
        return
    state = inspect(obj)
    if change == "dirty" and not any(state.attrs[name].history.has_changes()
                                     for name in _MOVES[kind]):
        return
    if kind is Intake:
        notes.days.update(to_local(moment).date() for moment in values_of(obj, "created_at"))
    else:
        notes.intakes.update(values_of(obj, "intake_id"))


def days_of(notes: CohortNotes, session: Session) -> set[date]:
    """The local days whose cohort the noted changes touch (after the last flush)."""
    days = set(notes.days)
    noted = set(notes.intakes)
    for obj in notes.made:
        if isinstance(obj, Intake):
            if obj.created_at is not None:
                days.add(to_local(obj.created_at).date())
        elif obj.intake_id is not None:
            noted.add(obj.intake_id)
    ids = set()
    for intake_id in noted:  # the pre-screens the session holds need no query
        held = session.identity_map.get(session.identity_key(Intake, intake_id))
        made = held.__dict__.get("created_at") if held is not None else None
        if made is None:
            ids.add(intake_id)
        else:
            days.add(to_local(made).date())
    for column, noted in ((Intake.id, ids), (Appointment.id, notes.appointments)):
        ordered = sorted(noted)
        for start in range(0, len(ordered), 500):
            query = select(Intake.created_at).where(column.in_(ordered[start:start + 500]))
            if column is Appointment.id:
                query = query.join(Appointment, Appointment.intake_id == Intake.id)
            days.update(to_local(moment).date() for moment in session.scalars(query))
    return days


def span(session: Session) -> tuple[date, date] | None:
    """The first and last local day a pre-screen was made on."""
    first, last = session.execute(select(func.min(Intake.created_at),
                                         func.max(Intake.created_at))).one()
    return (to_local(first).date(), to_local(last).date()) if first else None


Rows = dict[tuple[date, int], list[int]]  # (day, centre id) -> the six counts


def _counted(first: date, last: date, session: Session) -> Rows:
    """The cohort of first..last (at most a few hundred days) per local day and centre, in
    one statement: each pre-screen's day by the bisecting CASE the statistics use, and its
    bookings and appointments by correlated counts (read from their intake indexes)."""
    edges = [first + timedelta(days=n) for n in range((last - first).days + 2)]
    bounds = [day_start(edge) for edge in edges]
    moment = Intake.created_at

    def of_intake(model, *where):
        return (select(func.count()).select_from(model)
                .where(model.intake_id == Intake.id, *where).scalar_subquery())

    inner = select(
        _bucket_of(moment, bounds, 0, len(bounds) - 1).label("k"), Intake.centre_id,
        of_intake(Booking).label("bookings"), of_intake(Appointment).label("appointments"),
        *[of_intake(Appointment, Appointment.status == ending).label(f"ended{index}")
          for index, ending in enumerate(ENDINGS)],
    ).where(moment >= bounds[0], moment < bounds[-1]).subquery()
    counts = [inner.c.bookings, inner.c.appointments,
              *[inner.c[f"ended{index}"] for index in range(len(ENDINGS))]]
    return {(edges[int(k)], centre_id): [int(value or 0) for value in values]
            for k, centre_id, *values in session.execute(
                select(inner.c.k, inner.c.centre_id, func.count(),
                       *[func.sum(count) for count in counts])
                .group_by(inner.c.k, inner.c.centre_id))}


def recount(first: date, last: date, session: Session) -> None:
    """Replace the cohort rows of first..last by what the pre-screens say now."""
    rows = _counted(first, last, session)
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
