"""Watch the SQL a request emits and check that every statement on a centre's rows carries a
centre condition (issue 14: "a test fails when a query of a centre-owned table has no centre
condition"). The `centre_sql` fixture is the reusable part: any test can drive requests
inside `centre_sql.watching(app, label)` and call `centre_sql.check()`.

Which tables count (CENTRE_TABLES): those that hold a centre's rows, directly (`centre_id`:
zones, closures, routing rules, intakes) or through their parent (institutions and advisers
through their zone, rotation rules and time off through their adviser, bookings, waitlist
entries and pre-screen needs through their pre-screen, appointments through their zone,
outcomes through their appointment), and the two logs the admin screens scope by what their
rows are about (outbox, audit_log: app/admin/centre_rows.py). Users, API tokens, centres,
needs and the statistics tables are not in it: they are no centre's rows, or not the staff
pages' (the statistics scope is its own test's).

How a SELECT, UPDATE or DELETE touching one of them passes (INSERTs make new rows of the
request's own centre and are not checked):

1. scoped: `centre_id` appears in its FROM/JOIN/WHERE part (the statement filters by a
   centre, directly or in a subquery), and not only by the default centre's fallback
   subquery (`centres ... ORDER BY`), which a staff request must never rely on;
2. by key of a row in hand: its WHERE compares the primary key of a centre table, or a
   foreign key to one, with values that are all ids of rows the request's session already
   holds (so they were read by statements this check passed: the rule is inductive); or the
   ORM emitted it to load a relationship or refresh attributes of such a row, or to flush the
   request's changes to rows it holds.

Anything else fails, naming the request and the statement.
"""

import re
import traceback
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import pytest
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import (
    BinaryExpression,
    BindParameter,
    BooleanClauseList,
    ColumnClause,
)
from sqlalchemy.sql.schema import Column

from app.extensions import db
from app.models import Base

CENTRE_TABLES = frozenset({
    "zones", "institutions", "advisers", "rotation_rules", "availability_exceptions",
    "closures", "routing_rules", "intakes", "intake_needs", "bookings", "appointments",
    "waitlist_entries", "outcomes", "outbox", "audit_log"})
_TABLE = re.compile(r'\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?', re.IGNORECASE)
# A centre condition: `centre_id` compared with a parameter or a subquery's ids.
_CENTRE = re.compile(r"centre_id\s*(?:=|IN)\s*(?:\?|%\(|\$\d|\(|\[POSTCOMPILE)",
                     re.IGNORECASE)
_FALLBACK = re.compile(r"FROM centres ORDER BY", re.IGNORECASE)
_BY_ORM = ContextVar("by_orm", default=None)


def _real(column: ColumnClause) -> Column | None:
    """The schema's column behind a column expression, also a lightweight `table()`'s."""
    table = getattr(column, "table", None)
    if table is None or getattr(table, "name", None) not in Base.metadata.tables:
        return None
    return Base.metadata.tables[table.name].c.get(column.name)


@dataclass
class CentreSql:
    """What the watched requests emitted, sorted by how each statement passed."""

    scoped: int = 0
    by_key: int = 0
    other: int = 0  # statements on no centre table (users, centres, sessions, ...)
    stats: int = 0  # the statistics rollup's upkeep after a change (not checked here)
    failures: list = field(default_factory=list)
    returned: dict = field(default_factory=dict)  # table -> ids returned as columns
    label: str | None = None
    flushing: bool = False

    def _in_hand(self) -> dict[str, set]:
        """Ids of centre rows the request holds: its session's, and those that checked
        statements returned as columns (`select(Adviser.id, ...)`)."""
        held = {table: set(ids) for table, ids in self.returned.items()}
        for key in db.session().identity_map:
            table = getattr(key[0], "__table__", None)
            if table is not None and len(key[1]) == 1:
                held.setdefault(table.name, set()).add(key[1][0])
        return held

    def _held_key(self, clause, compiled, params: dict, held: dict) -> bool:
        """Whether one condition compares a centre table's key (its id, or a foreign key to
        one) with values that all are ids of rows in hand."""
        if not isinstance(clause, BinaryExpression) or clause.operator not in (
                operators.eq, operators.in_op):
            return False
        sides = (clause.left, clause.right)
        column = next((_real(side) for side in sides if isinstance(side, ColumnClause)), None)
        bind = next((side for side in sides if isinstance(side, BindParameter)), None)
        if column is None or bind is None:
            return False
        if column.primary_key and column.table.name in CENTRE_TABLES:
            target = column.table.name
        else:
            target = next((fk.column.table.name for fk in column.foreign_keys
                           if fk.column.table.name in CENTRE_TABLES), None)
        if target is None:
            return False
        name = compiled.bind_names.get(bind, bind.key)
        if bind.expanding:  # IN (...): one parameter per value, `name_1`, `name_2`, ...
            each = re.compile(re.escape(name) + r"_\d+")
            values = [v for k, v in params.items() if each.fullmatch(k)]
        else:
            values = [params.get(name, bind.value)]
        return bool(values) and set(values) <= held.get(target, set())

    def _keyed_by_rows_in_hand(self, context) -> bool:
        """Whether every SELECT of the statement (each side of a UNION), or the UPDATE or
        DELETE, has a top-level AND condition keyed by rows in hand."""
        compiled = getattr(context, "compiled", None)
        statement = getattr(compiled, "statement", None)
        if statement is None:
            return False
        params = (context.compiled_parameters or [{}])[0]
        held = self._in_hand()
        parts = getattr(statement, "selects", None) or [statement]
        for part in parts:
            where = getattr(part, "whereclause", None)
            if where is None:
                return False
            conjuncts = (where.clauses if isinstance(where, BooleanClauseList)
                         and where.operator is operators.and_ else [where])
            if not any(self._held_key(c, compiled, params, held) for c in conjuncts):
                return False
        return True

    def _statement(self, conn, cursor, statement, parameters, context, executemany):
        if self.label is None:
            return
        text = " ".join(statement.split())
        verb = text.split(" ", 1)[0].upper()
        tables = {t.lower() for t in _TABLE.findall(text)} & CENTRE_TABLES
        if verb not in ("SELECT", "UPDATE", "DELETE", "WITH") or not tables:
            self.other += 1
            return
        after_select = text.split(" FROM ", 1)[-1] if verb == "SELECT" else text
        if _CENTRE.search(after_select) and not _FALLBACK.search(after_select):
            self.scoped += 1
        elif _BY_ORM.get() or self.flushing or self._keyed_by_rows_in_hand(context):
            self.by_key += 1
        elif any("/app/stats/" in frame.filename for frame in traceback.extract_stack()):
            self.stats += 1  # the statistics rollup's upkeep: the statistics' own test
        else:
            path = request.path if has_request_context() else "-"
            self.failures.append((f"{self.label} {path}", text[:600]))

    @contextmanager
    def watching(self, app, label: str):
        """Check the statements emitted inside the block (requests of one role, say)."""
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", self._statement)
        self.label, self.returned = label, {}
        try:
            yield self
        finally:
            self.label, self.returned = None, {}
            event.remove(engine, "before_cursor_execute", self._statement)

    def check(self) -> int:
        """Fail on every statement that passed neither way; the number checked."""
        assert self.failures == [], "\n".join(f"{who}: {sql}" for who, sql in self.failures)
        return self.scoped + self.by_key


def _orm_loads(state, recorder: "CentreSql"):
    """Mark relationship loads and attribute refreshes (by key of a row the session holds),
    and note the centre-table ids a SELECT returns as columns."""
    if recorder.label is None or not state.is_select:
        return None
    by_key = state.is_relationship_load or state.is_column_load
    token = _BY_ORM.set(True) if by_key else None
    try:
        result = state.invoke_statement()
    finally:
        if token is not None:
            _BY_ORM.reset(token)
    frozen = result.freeze()
    keys = []
    for i, described in enumerate(getattr(state.statement, "column_descriptions", ())):
        column = getattr(described.get("expr"), "expression", None)
        if (isinstance(column, Column) and column.primary_key and column.table is not None
                and column.table.name in CENTRE_TABLES):
            keys.append((i, column.table.name))
    for row in frozen.data if keys else ():
        for i, table in keys:
            recorder.returned.setdefault(table, set()).add(row[i])
    return frozen()


@pytest.fixture
def centre_sql():
    """A CentreSql recorder, with the ORM's loads and flushes marked while it lives."""
    recorder = CentreSql()

    def before_flush(session, context, instances):
        recorder.flushing = True

    def after_flush(session, context):
        recorder.flushing = False

    def orm_loads(state):
        return _orm_loads(state, recorder)

    event.listen(Session, "do_orm_execute", orm_loads)
    event.listen(Session, "before_flush", before_flush)
    event.listen(Session, "after_flush_postexec", after_flush)
    try:
        yield recorder
    finally:
        event.remove(Session, "do_orm_execute", orm_loads)
        event.remove(Session, "before_flush", before_flush)
        event.remove(Session, "after_flush_postexec", after_flush)


