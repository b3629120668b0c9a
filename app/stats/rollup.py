"""The rollup `zone_days`: consultations and their figures per centre-local day and zone.

The published table counts every consultation since the centre began, and reading every
one of them for each dashboard costs more than a page may. The statistics read this rollup
instead (one row per day and zone: a few thousand where the consultations are a hundred
thousand) whenever it was built for the centre's time zone (`RollupState`), and the
consultations themselves otherwise.

It is kept in step inside the transaction that changes what it counts. A session hook notes
the local days of every appointment that is or was completed, of every outcome and of every
imported consultation that is flushed; just before the commit those days are recomputed
from the consultations (GROUP BY, like the statistics) while the state row is locked, so
that two transactions never recompute the same day at once on PostgreSQL. A recomputed day
is right whatever happened on it: noting a day too many costs a query, never a double count.
Writes that bypass the ORM (the import's bulk insert) note their days with `note_days`.
Each row carries its zone's centre (`centre_id`), so that a centre's figures filter by it.
Whatever days are stored, their months are added up again into `zone_months` in the same
transaction: the network's long tables read whole months there (app/stats/figures.py).
The hooks are attached by `register_hooks`, a named step of create_app: importing this
module attaches nothing, so the statistics never depend on what happened to be imported.

The same hooks keep the funnel's cohort (`cohort_days`, app/stats/cohorts.py) in step, by
difference: the pre-screens a flush is about to change are counted before it and again at
the commit, and the difference is added to their days' rows under a shared lock of the
state row (so bookings never wait for each other there; a rebuild waits for them). A bulk
UPDATE (`do_orm_execute`) is watched too: the rows its WHERE picks are noted before it runs.
Both rollups are built and trusted together (one state).

`rebuild` recomputes everything: `init-db` runs it when the rollup is missing or was built
for another time zone. The scheduler's daily check (`check_rollup`) counts both rollups
again without writing and recounts, under the lock, only the days that differ, logging those
that had drifted: at the network's size a whole rebuild takes seconds, which bookings would
spend waiting for the lock.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import Date, delete, event, func, insert, literal, select
from sqlalchemy.orm import Session

from app.booking.models import Appointment
from app.extensions import db
from app.notify.scheduler import ScheduledJob
from app.states import AppointmentStatus
from app.stats import cohorts
from app.stats.cohorts import values_of
from app.stats.figures import (
    _IMPORTED_SUMS,
    _LIVE_SUMS,
    COMPLETED,
    STATE_ID,
    _grouped,
    rollup_ready,
    safe_sum,
)
from app.stats.models import ImportedConsultation, RollupState, ZoneDay, ZoneMonth
from app.transactions import write_transaction
from app.types import to_local, utcnow
from app.visits.models import Outcome
from app.zones.models import Zone

log = logging.getLogger(__name__)

LONGEST = 400  # days recomputed per pair of queries (the bucketing CASE stays ~9 deep)
GAP = 31  # noted days this close are recomputed as one stretch, the days between included
_NOTES = "onestop.rollup"
_FIGURES = ("consultations", "finance_amount_krw", "patent_transfers", "ip_applications")


@dataclass
class Notes:
    """What a transaction changed that the rollup counts: local days, appointments whose
    outcome changed (their day is looked up at commit, when their ids are known), and what
    the funnel's cohort counts."""

    days: set[date] = field(default_factory=set)
    appointments: set[int] = field(default_factory=set)
    cohort: cohorts.CohortNotes = field(default_factory=cohorts.CohortNotes)


def _notes(session: Session) -> Notes:
    return session.info.setdefault(_NOTES, Notes())


def note_days(days: Iterable[date], session: Session | None = None) -> None:
    """Recompute these local days at the next commit (for writes that bypass the ORM)."""
    _notes(session or db.session()).days.update(days)


def _local_day(moment: datetime) -> date:
    return to_local(moment).date()


def _watch(session: Session, flush_context, instances) -> None:
    """Note the days of the flushed changes that the rollup and the cohort count."""
    with session.no_autoflush:
        notes = _notes(session)
        changes = [(change, obj) for change, objects in (
            ("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted))
            for obj in objects]
        for _change, obj in changes:
            _watch_zone_days(obj, notes)
        cohorts.watch(session, changes, notes.cohort)


def _watch_bulk(state) -> None:
    """Before a bulk UPDATE (one that bypasses the unit of work): note what its rows count
    in, as a flush would (the scheduler's no-show marking, the retention purge)."""
    if not state.is_update:
        return
    session, statement = state.session, state.statement
    notes = _notes(session)
    if statement.entity_description.get("entity") is Appointment:
        picked = select(Appointment.id)
        if statement.whereclause is not None:
            picked = picked.where(statement.whereclause)
        notes.appointments.update(session.scalars(picked))  # their days, at the commit
    cohorts.watch_bulk(session, statement, notes.cohort)


def _watch_zone_days(obj, notes: Notes) -> None:
    """Note the days a flushed object changes in zone_days."""
    if isinstance(obj, Appointment):
        if AppointmentStatus.COMPLETED in {obj.status, *values_of(obj, "status")}:
            notes.days.update(_local_day(moment) for moment in {
                obj.starts_at, *values_of(obj, "starts_at")} if moment)
    elif isinstance(obj, Outcome):
        notes.appointments.update(
            i for i in {obj.appointment_id, *values_of(obj, "appointment_id")} if i)
        linked = obj.__dict__.get("appointment")
        if linked is not None and linked.starts_at is not None:
            notes.days.add(_local_day(linked.starts_at))
    elif isinstance(obj, ImportedConsultation):
        notes.days.update(day for day in {obj.day, *values_of(obj, "day")} if day)


def _settle(session: Session) -> None:
    """Recompute the noted days in the transaction being committed."""
    session.flush()  # the changes not flushed yet note their days too
    notes = session.info.pop(_NOTES, None)
    if notes is None:
        return
    days = set(notes.days)
    ids = sorted(notes.appointments)
    for start in range(0, len(ids), 500):
        days.update(_local_day(moment) for moment in session.scalars(
            select(Appointment.starts_at).where(Appointment.id.in_(ids[start:start + 500]))))
    delta = cohorts.changes(notes.cohort, session)
    if days or delta:
        refresh(days, session, delta)


def _forget(session: Session, transaction) -> None:
    """Once the outermost transaction ends, its notes go: committed, they were settled;
    rolled back, it changed nothing. A savepoint rolled back (as the outbox does when a
    message exists already) leaves the transaction's other changes, so its notes stay."""
    if transaction.parent is None:
        session.info.pop(_NOTES, None)


_HOOKS = (("before_flush", _watch), ("do_orm_execute", _watch_bulk),
          ("before_commit", _settle), ("after_transaction_end", _forget))


def register_hooks() -> None:
    """Attach the session hooks that keep the rollup in step (create_app's register_rollup).

    Session events are process-wide: a second app in the same process (the tests make many)
    finds them attached already and attaches nothing twice."""
    for name, hook in _HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


def hooks_registered() -> bool:
    """Whether every hook of the rollup is attached."""
    return all(event.contains(Session, name, hook) for name, hook in _HOOKS)


def timezone_name() -> str:
    """The time zone whose local days the rollup must be built for."""
    return current_app.config["CENTER_TIMEZONE"]


def _locked_state(session: Session, shared: bool = False) -> RollupState | None:
    """The state row, locked until the commit (PostgreSQL; SQLite has one writer anyway):
    for update by what recounts days, shared by what only adds the cohort's changes (many
    at once; a rebuild waits for them, and they for it)."""
    return session.scalar(select(RollupState).where(RollupState.id == STATE_ID)
                          .with_for_update(read=shared))


def _trusted(state: RollupState | None) -> bool:
    return state is not None and state.timezone == timezone_name()


def refresh(days: Iterable[date], session: Session | None = None,
            cohort_changes: dict | None = None) -> None:
    """Recompute the rollup of these local days and add the cohort's changes, if the rollup
    is built (else nothing: the rebuild will count them)."""
    session = session or db.session()
    days = set(days)
    if _trusted(_locked_state(session, shared=not days)):
        if days:
            _recount(days, session)
        if cohort_changes:
            cohorts.settle(cohort_changes, session)


def _recount(days: Iterable[date], session: Session) -> None:
    """Replace the rollup of the days' stretches by what the consultations say."""
    _, live = _spans(session)
    for first, last in stretches(days):
        cells = _imported(first, last, session, {})
        if live and first <= live[1] and last >= live[0]:  # skip the years before Onestop
            _live(max(first, live[0]), min(last, live[1]), session, cells)
        _store(first, last, cells, session)


def stretches(days: Iterable[date], gap: int = GAP,
              longest: int = LONGEST) -> list[tuple[date, date]]:
    """The days as (first, last) runs, each at most `longest` days, joining days at most
    `gap` days apart (recomputing a day in between is harmless)."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days <= gap and (day - runs[-1][0]).days < longest:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


Cells = dict[tuple[date, int], list[int]]  # (day, zone id) -> the four figures


def _add(cells: Cells, rows) -> Cells:
    for day, zone_id, *values in rows:
        cell = cells.setdefault((day, zone_id), [0, 0, 0, 0])
        for index, value in enumerate(values):
            cell[index] += int(value or 0)
    return cells


def _imported(first: date, last: date, session: Session, cells: Cells) -> Cells:
    """Add the imported consultations of first..last: their day is already a local day."""
    day = ImportedConsultation.day
    return _add(cells, session.execute(
        select(day, ImportedConsultation.zone_id, func.count(),
               *[safe_sum(measure) for measure in _IMPORTED_SUMS])
        .where(day >= first, day <= last).group_by(day, ImportedConsultation.zone_id)))


def _live(first: date, last: date, session: Session, cells: Cells) -> Cells:
    """Add the completed appointments of first..last (at most LONGEST days), each counted on
    its local day by the bucketing CASE of the statistics."""
    edges = [first + timedelta(days=n) for n in range((last - first).days + 2)]
    found = _grouped(Appointment.starts_at, edges, _LIVE_SUMS, where=[COMPLETED],
                     joins=[(Outcome, Outcome.appointment_id == Appointment.id)],
                     session=session)
    return _add(cells, ((edges[k], zone_id, *values) for k, zone_id, *values in found))


def _store(first: date, last: date, cells: Cells, session: Session) -> None:
    """Replace the rollup of first..last by the cells, each with its zone's centre."""
    session.execute(delete(ZoneDay).where(ZoneDay.day >= first, ZoneDay.day <= last))
    centre_of = dict(session.execute(select(Zone.id, Zone.centre_id)).all()) if cells else {}
    rows = [{"day": day, "zone_id": zone_id, "centre_id": centre_of[zone_id],
             **dict(zip(_FIGURES, values, strict=True))}
            for (day, zone_id), values in sorted(cells.items())]
    for start in range(0, len(rows), 1000):
        session.execute(insert(ZoneDay), rows[start:start + 1000])
    _store_months(first, last, session)


def next_month(day: date) -> date:
    """The first day of the month after the day's."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _store_months(first: date, last: date, session: Session) -> None:
    """Add up again, from zone_days, every month that first..last touches (zone_months)."""
    month = first.replace(day=1)
    while month <= last:
        following = next_month(month)
        session.execute(delete(ZoneMonth).where(ZoneMonth.month == month))
        session.execute(insert(ZoneMonth).from_select(
            ["month", "zone_id", "centre_id", *_FIGURES],
            select(literal(month, Date), ZoneDay.zone_id, ZoneDay.centre_id,
                   *[func.sum(getattr(ZoneDay, name)) for name in _FIGURES])
            .where(ZoneDay.day >= month, ZoneDay.day < following)
            .group_by(ZoneDay.zone_id, ZoneDay.centre_id)))
        month = following


def _spans(session: Session) -> tuple[tuple[date, date] | None, tuple[date, date] | None]:
    """The first and last local day of the imported and of the completed consultations."""
    imported = session.execute(select(func.min(ImportedConsultation.day),
                                      func.max(ImportedConsultation.day))).one()
    live = session.execute(select(func.min(Appointment.starts_at),
                                  func.max(Appointment.starts_at)).where(COMPLETED)).one()
    return (tuple(imported) if imported[0] else None,
            tuple(_local_day(moment) for moment in live) if live[0] else None)


def _stored(session: Session) -> dict[tuple[date, int], tuple[int, ...]]:
    return {(day, zone_id): tuple(values) for day, zone_id, *values in session.execute(
        select(ZoneDay.day, ZoneDay.zone_id, ZoneDay.consultations, ZoneDay.finance_amount_krw,
               ZoneDay.patent_transfers, ZoneDay.ip_applications))}


def rebuild(session: Session | None = None) -> set[date]:
    """Recompute the whole rollup and the funnel's cohort for the centre's time zone and mark
    them built; returns the days that differed from what was stored when it was already
    built (drift)."""
    session = session or db.session()
    state = _locked_state(session)
    trusted = _trusted(state)
    before = (_stored(session), cohorts.stored(session)) if trusted else None
    session.execute(delete(ZoneDay))
    session.execute(delete(ZoneMonth))
    cohorts.clear(session)
    spans = [span for span in _spans(session) if span]
    if spans:
        _recount(_every_day(min(s[0] for s in spans), max(s[1] for s in spans)), session)
    made = cohorts.span(session)
    for first, last in stretches(_every_day(*made) if made else ()):
        cohorts.recount(first, last, session)
    if state is None:
        state = RollupState(id=STATE_ID, timezone=timezone_name())
        session.add(state)
    state.timezone, state.built_at = timezone_name(), utcnow()
    session.flush()
    if before is None:
        return set()
    return _differing(before[0], _stored(session)) | _differing(before[1],
                                                                 cohorts.stored(session))


def _every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _differing(before: dict, after: dict) -> set[date]:
    """The days of the rows (keyed by day first) that one of the two has and the other has
    not, or holds otherwise."""
    return {key[0] for key in before.keys() ^ after.keys()} | {
        key[0] for key in before.keys() & after.keys() if before[key] != after[key]}


def ensure_built() -> bool:
    """Build the rollup if it is missing or for another time zone; True if it was built."""
    if rollup_ready():
        return False
    with write_transaction():
        rebuild()
        db.session.commit()
    return True


def _recomputed(session: Session) -> tuple[dict, dict]:
    """What both rollups should hold, counted from the consultations and pre-screens without
    writing anything: (day, zone id) -> the four figures, (day, centre id) -> the six counts."""
    zones: dict = {}
    imported, live = _spans(session)
    spans = [span for span in (imported, live) if span]
    if spans:
        for first, last in stretches(_every_day(min(s[0] for s in spans),
                                                max(s[1] for s in spans))):
            cells = _imported(first, last, session, {})
            if live and first <= live[1] and last >= live[0]:
                _live(max(first, live[0]), min(last, live[1]), session, cells)
            zones.update({key: tuple(values) for key, values in cells.items()})
    counted: dict = {}
    made = cohorts.span(session)
    for first, last in stretches(_every_day(*made) if made else ()):
        counted.update({key: tuple(values)
                        for key, values in cohorts.recounted(first, last, session).items()})
    return zones, counted


def check_rollup() -> int:
    """The scheduled check: count both rollups again from the consultations and pre-screens
    without writing (nothing waits for it: bookings keep adding to the cohort meanwhile),
    and only where a day differs, recount it under the state row's lock, which is then held
    for those days alone. Logs the days that had drifted; a rollup not built is built."""
    if not rollup_ready():
        ensure_built()
        return 0
    zones, counted = _recomputed(db.session)
    suspects = (_differing(_stored(db.session), zones),
                _differing(cohorts.stored(db.session), counted))
    db.session.commit()  # end the read transaction
    if not any(suspects):
        return 0
    with write_transaction():
        _locked_state(db.session)  # for update: no cohort change is added meanwhile
        before = (_stored(db.session), cohorts.stored(db.session))
        if suspects[0]:  # a day that only changed meanwhile is recounted, harmlessly
            _recount(suspects[0], db.session)
        for first, last in stretches(suspects[1]):
            cohorts.recount(first, last, db.session)
        after = (_stored(db.session), cohorts.stored(db.session))
        db.session.commit()
    drifted = _differing(before[0], after[0]) | _differing(before[1], after[1])
    if drifted:
        log.warning("statistics rollup had drifted on %d day(s) (first %s); rebuilt",
                    len(drifted), min(drifted).isoformat())
    return len(drifted)


JOBS = [ScheduledJob("stats-rollup-check", check_rollup, "STATS_ROLLUP_CHECK_SECONDS")]
