"""The figures the centre reports: consultations per zone and their outcomes, over periods.

Every figure is aggregated in SQL. Dates are centre-local: a period of local days becomes a
range of UTC instants from the first day's local midnight to the midnight after the last
day, so the same queries run on SQLite and PostgreSQL. Imported consultations count like
completed appointments wherever a consultation is counted.

Every figure reads a `StatsScope` (app/centres/scope.py): one centre, a chosen set, or the
whole network (`scope.ids` None: no centre condition). Zones are told apart by id and added
up by code: the network's table sums each zone code (legal, finance, patent, tax, labour…)
over the centres, as the ministry publishes it. The default scope, NETWORK, is what a
one-centre deployment always meant; every staff view and job passes its own scope.
"""

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Date, Float, and_, case, func, literal_column, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from app import inputs
from app.booking.models import Appointment
from app.centres.scope import StatsScope
from app.errors import DomainError
from app.extensions import db
from app.intake.models import Intake
from app.states import AppointmentStatus
from app.stats.models import ImportedConsultation, RollupState, ZoneDay, ZoneMonth
from app.types import center_tz
from app.visits.models import Outcome
from app.zones.models import Zone


class StatsError(DomainError, ValueError):
    """A period that cannot be asked for (malformed date, from after to)."""

    status, code = 400, "bad_request"


@dataclass(frozen=True)
class Period:
    """Centre-local days `first`..`last`, both inclusive; `first` None means since ever."""

    first: date | None
    last: date


@dataclass(frozen=True)
class ZoneLabel:
    """A zone's id, code and names."""

    id: int
    code: str
    name: str
    name_en: str


@dataclass
class Figures:
    """What a zone reports: consultations and the outcomes' figures."""

    consultations: int = 0
    finance_amount_krw: int = 0
    patent_transfers: int = 0
    ip_applications: int = 0

    def add(self, values) -> None:
        """Add a row of the four sums, in field order."""
        for field, value in zip(fields(self), values, strict=True):
            setattr(self, field.name, getattr(self, field.name) + int(value or 0))

    def as_dict(self) -> dict[str, int]:
        """The four figures by name (the API's shape)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def parse_date(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD date (app/inputs.parse_date), None for an empty value, or StatsError."""
    if value is None or value.strip() == "":
        return None
    try:
        return inputs.parse_date(value.strip(), name)
    except inputs.InputError as error:
        raise StatsError(f"{name}: {error.message}") from error


def parse_period(first: str | None, last: str | None, today: date) -> Period:
    """The period of `from` and `to` as given (`to` defaults to today), or StatsError."""
    start, end = parse_date(first, "from"), parse_date(last, "to") or today
    if start is not None and start > end:
        raise StatsError(_("‘from’ is after ‘to’."))
    return Period(start, end)


def day_start(day: date) -> datetime:
    """The aware UTC instant of a centre-local day's midnight."""
    return datetime.combine(day, time(), tzinfo=center_tz()).astimezone(UTC)


def in_period(column, period: Period, dated: bool = False) -> ColumnElement[bool]:
    """`column` within the period: a Date column by day, an instant by the local midnights."""
    if dated:
        low, high = period.first, period.last
        test = column <= high
    else:
        low = day_start(period.first) if period.first else None
        test = column < day_start(period.last + timedelta(days=1))
    return test if low is None else and_(column >= low, test)


class epoch_seconds(FunctionElement):  # noqa: N801 (an SQL function's name)
    """Seconds since 1970 of a stored instant, spelled for each database."""

    type = Float()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw) -> str:
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch_seconds)
def _epoch_standard(element, compiler, **kw) -> str:
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


class safe_sum(FunctionElement):  # noqa: N801 (an SQL function's name)
    """SUM that never overflows: PostgreSQL sums bigints as numeric (exact); SQLite's SUM
    raises on 64-bit overflow, so there it is TOTAL (a double: exact to 9 × 10^15, which no
    centre's or the network's figures come near, and never an error)."""

    inherit_cache = True
    name = "safe_sum"


@compiles(safe_sum, "sqlite")
def _safe_sum_sqlite(element, compiler, **kw) -> str:
    return f"TOTAL({compiler.process(element.clauses, **kw)})"


@compiles(safe_sum)
def _safe_sum_standard(element, compiler, **kw) -> str:
    return f"SUM({compiler.process(element.clauses, **kw)})"


NETWORK = StatsScope((), network=True)  # every centre: no centre condition at all


def by_centre(column, scope: StatsScope) -> list[ColumnElement[bool]]:
    """The condition that keeps a centre column within the scope (none for the network)."""
    return [] if scope.ids is None else [column.in_(scope.ids)]


def by_zone_centre(column, scope: StatsScope) -> list[ColumnElement[bool]]:
    """The condition that keeps a zone column within the scope's centres' zones."""
    if scope.ids is None:
        return []
    return [column.in_(select(Zone.id).where(Zone.centre_id.in_(scope.ids)))]


@dataclass(frozen=True)
class ZoneMap:
    """The zones of a scope: one label per zone code (in menu order) and, per zone id, its
    code and centre (the figures are counted by zone id and added up by code)."""

    labels: list[ZoneLabel]
    of: dict[int, tuple[str, int]]  # zone id -> (code, centre id)

    def codes(self, centre_id: int | None = None) -> list[str]:
        """The zone codes of one centre (None: of every centre of the scope), in menu order."""
        present = {code for code, centre in self.of.values()
                   if centre_id is None or centre == centre_id}
        return [label.code for label in self.labels if label.code in present]


def zone_map(scope: StatsScope = NETWORK) -> ZoneMap:
    """Every zone of the scope's centres that exists (active or not)."""
    query = (select(Zone.id, Zone.code, Zone.name, Zone.name_en, Zone.centre_id)
             .where(*by_centre(Zone.centre_id, scope)).order_by(Zone.sort_order, Zone.id))
    labels: dict[str, ZoneLabel] = {}
    of: dict[int, tuple[str, int]] = {}
    for zone_id, code, name, name_en, centre_id in db.session.execute(query):
        labels.setdefault(code, ZoneLabel(zone_id, code, name, name_en))
        of[zone_id] = (code, centre_id)
    return ZoneMap(list(labels.values()), of)


def list_zone_labels(scope: StatsScope = NETWORK) -> list[ZoneLabel]:
    """One label per zone code of the scope (active or not), in menu order."""
    return zone_map(scope).labels


_IMPORTED_SUMS = (ImportedConsultation.finance_amount_krw,
                  ImportedConsultation.patent_transfers, ImportedConsultation.ip_applications)
_LIVE_SUMS = (Outcome.finance_amount_krw, Outcome.patent_transfers, Outcome.ip_applications)
_ROLLUP_SUMS = (ZoneDay.consultations, ZoneDay.finance_amount_krw, ZoneDay.patent_transfers,
                ZoneDay.ip_applications)
_MONTH_SUMS = (ZoneMonth.consultations, ZoneMonth.finance_amount_krw,
               ZoneMonth.patent_transfers, ZoneMonth.ip_applications)
COMPLETED = Appointment.status == AppointmentStatus.COMPLETED
STATE_ID = 1  # the rollup's one state row


def rollup_ready() -> bool:
    """Whether the day-by-zone rollup (app/stats/rollup.py) is built for the centre's time
    zone; if not, the statistics read the consultations themselves."""
    built_for = db.session.scalar(select(RollupState.timezone).where(RollupState.id == STATE_ID))
    return built_for == current_app.config["CENTER_TIMEZONE"]


def _edges(periods: list[Period]) -> list[date | None]:
    """The days where any period starts or ends (exclusive), sorted; None first when one
    period has no start. Each period is then a run of consecutive intervals between them."""
    points = {p.first for p in periods if p.first} | {p.last + timedelta(days=1) for p in periods}
    return ([None] if any(p.first is None for p in periods) else []) + sorted(points)


def _grouped(column, edges: list, measures=(), joins=(), where=(),
             pivot: int | None = None, session=None) -> list[tuple]:
    """(interval, zone id, rows, *sums of measures) of the rows whose `column` lies between
    the edges, interval k being [edges[k], edges[k + 1]) (edges[0] None: open below).

    One scan serves any number of periods or weeks: each row's interval comes from a
    bisecting CASE, and the periods are added up from their intervals afterwards.
    """
    model, dated = column.class_, isinstance(column.type, Date)
    bounds = [e if e is None or dated else day_start(e) for e in edges]
    test = [column < bounds[-1]] + ([] if bounds[0] is None else [column >= bounds[0]])
    single = len(bounds) == 2  # nothing to bisect: group by zone alone
    inner = select(*([] if single else [_bucket_of(column, bounds, 0, len(bounds) - 1, pivot)
                                        .label("k")]),
                   model.zone_id.label("zone_id"),
                   *[func.coalesce(m, 0).label(f"m{i}") for i, m in enumerate(measures)])
    for target, on in joins:
        inner = inner.outerjoin(target, on)
    inner = inner.where(*test, *where).subquery()
    # Zone first: SQLite then reads the covering zone-first index instead of the day index.
    keys = [inner.c.zone_id] if single else [inner.c.zone_id, inner.c.k]
    rows = (session or db.session).execute(select(*keys, func.count(), *[
        safe_sum(inner.c[f"m{i}"]) for i in range(len(measures))]).group_by(*keys)).all()
    if single:
        return [(0, *row) for row in rows]
    return [(k, zone_id, *rest) for zone_id, k, *rest in rows]


def earliest_day(scope: StatsScope = NETWORK) -> date | None:
    """The first local day anything was recorded on (consultation, appointment, pre-screen)
    in the scope."""
    imported = db.session.scalar(select(func.min(ImportedConsultation.day)).where(
        *by_centre(ImportedConsultation.centre_id, scope)))
    instants = db.session.execute(select(
        select(func.min(Appointment.starts_at))
        .where(*by_zone_centre(Appointment.zone_id, scope)).scalar_subquery(),
        select(func.min(Intake.created_at))
        .where(*by_centre(Intake.centre_id, scope)).scalar_subquery())).one()
    days = [imported] + [value.astimezone(center_tz()).date() if value else None
                         for value in instants]
    found = [day for day in days if day is not None]
    return min(found) if found else None


def buckets(period: Period, weekly: bool) -> list[date]:
    """Bucket starts from period.first (weeks start on Monday, months on the 1st), plus the end."""
    assert period.first is not None
    edges, end = [period.first], period.last + timedelta(days=1)
    while True:
        last = edges[-1]
        if weekly:
            step = last + timedelta(days=7 - last.weekday())
        else:
            step = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
        if step >= end:
            return [*edges, end]
        edges.append(step)


def _bucket_of(column, bounds: list, low: int, high: int, pivot: int | None = None):
    """The i (low <= i < high) with bounds[i] <= column < bounds[i + 1], found by bisection:
    a CASE nested log2(buckets) deep, so each row takes a handful of comparisons."""
    if high - low == 1:
        return literal_column(str(low))
    middle = pivot if pivot is not None and low < pivot < high else (low + high) // 2
    return case((column < bounds[middle], _bucket_of(column, bounds, low, middle)),
                else_=_bucket_of(column, bounds, middle, high))


Ranges = list[tuple[date | None, date]]  # [low, high) runs of days; low None: since ever


def _month_after(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _join(ranges: Ranges, low: date | None, high: date) -> None:
    if low is not None and low >= high:
        return
    if ranges and ranges[-1][1] == low:
        ranges[-1] = (ranges[-1][0], high)
    else:
        ranges.append((low, high))


def month_split(edges: list[date | None]) -> tuple[Ranges, Ranges]:
    """Which months lie whole inside one interval between the edges (read from zone_months)
    and which days are left at the intervals' ends (read from zone_days): months are first
    days, both as runs of [low, high)."""
    months: Ranges = []
    days: Ranges = []
    for low, high in zip(edges, edges[1:], strict=False):
        first = low if low is None or low.day == 1 else _month_after(low)
        last = high.replace(day=1)  # the months before it end by `high`
        if first is None or first < last:
            _join(months, first, last)
            if low is not None:
                _join(days, low, first)
            _join(days, last, high)
        else:
            _join(days, low, high)
    return months, days


def _within(column, ranges: Ranges) -> ColumnElement[bool]:
    return or_(*[column < high if low is None else and_(column >= low, column < high)
                 for low, high in ranges])


@dataclass(frozen=True)
class Tally:
    """Consultations and their figures per zone in the intervals between local-day edges:
    interval k is [edges[k], edges[k + 1]), edges[0] None meaning since ever."""

    edges: list[date | None]
    cells: dict[tuple[int, int], Figures]  # (interval, zone id) -> figures
    zones: list[ZoneLabel]  # one per zone code of the scope
    map: ZoneMap

    @cached_property
    def _by_centre(self) -> dict[int | None, list[tuple[int, str, tuple[int, ...]]]]:
        """The cells as (interval, zone code, the four figures), of each centre and (None)
        of all: a dashboard asks for dozens of periods and centres of one tally."""
        found: dict[int | None, list] = {None: []}
        for (interval, zone_id), figures in self.cells.items():
            code, centre = self.map.of.get(zone_id, (None, None))
            if code is not None:
                cell = (interval, code, tuple(figures.as_dict().values()))
                found[None].append(cell)
                found.setdefault(centre, []).append(cell)
        return found

    def figures(self, period: Period, centre_id: int | None = None) -> dict[str, Figures]:
        """Zone code -> Figures of a period whose edges are among the tally's, summed over
        the scope's centres, or of one of them (`centre_id`: its own zones only)."""
        low = self.edges.index(period.first)
        high = self.edges.index(period.last + timedelta(days=1))
        found = {code: Figures() for code in self.map.codes(centre_id)}
        for interval, code, values in self._by_centre.get(centre_id, ()):
            if low <= interval < high:
                found[code].add(values)
        return found


def tally(periods: list[Period], pivot: date | None = None,
          scope: StatsScope = NETWORK) -> Tally:
    """One pass over the rollup (or, before it is built, over the imported and the completed
    live consultations: two queries) that answers for every one of the periods, for the
    scope's centres together and for each of them. With more than one centre the rollup is
    read by whole months where an interval holds them (the network's cumulative table: a
    few thousand rows instead of hundreds of thousands) and by days at the intervals' ends.
    Rows are first split at `pivot` (an edge): with most rows on one side, that side is told
    apart in fewer comparisons."""
    zones = zone_map(scope)
    edges = _edges(periods)
    split = edges.index(pivot) if pivot in edges else None
    cells: dict[tuple[int, int], Figures] = {}
    if rollup_ready() and scope.single is None:  # several centres: whole months, then days
        months, days = month_split(edges)
        found = [(interval, zone_id, *sums) for column, sums_of, ranges in (
            (ZoneMonth.month, _MONTH_SUMS, months), (ZoneDay.day, _ROLLUP_SUMS, days))
            if ranges for interval, zone_id, _rows, *sums in _grouped(
                column, edges, sums_of, pivot=split,
                where=[_within(column, ranges), *by_centre(column.class_.centre_id, scope)])]
    elif rollup_ready():  # one row per day and zone: each row's count is a sum
        found = [(interval, zone_id, *sums) for interval, zone_id, _days, *sums in _grouped(
            ZoneDay.day, edges, _ROLLUP_SUMS, pivot=split,
            where=by_centre(ZoneDay.centre_id, scope))]
    else:
        found = _grouped(ImportedConsultation.day, edges, _IMPORTED_SUMS, pivot=split,
                         where=by_centre(ImportedConsultation.centre_id, scope)) + _grouped(
            Appointment.starts_at, edges, _LIVE_SUMS, pivot=split,
            where=[COMPLETED, *by_zone_centre(Appointment.zone_id, scope)],
            joins=[(Outcome, Outcome.appointment_id == Appointment.id)])
    for interval, zone_id, *sums in found:
        cells.setdefault((interval, zone_id), Figures()).add(sums)
    return Tally(edges, cells, zones.labels, zones)


def imported_count(period: Period, scope: StatsScope = NETWORK) -> int:
    """How many of the period's consultations in the scope were imported (they had no
    pre-screen, so they are in the totals but in no funnel)."""
    return int(db.session.scalar(select(func.count(ImportedConsultation.id)).where(
        in_period(ImportedConsultation.day, period, dated=True),
        *by_centre(ImportedConsultation.centre_id, scope))) or 0)


def zone_figures(periods: list[Period],
                 scope: StatsScope = NETWORK) -> list[dict[str, Figures]]:
    """For each period: zone code -> Figures over the scope, every zone present."""
    found = tally(periods, scope=scope)
    return [found.figures(period) for period in periods]


@dataclass(frozen=True)
class Series:
    """Consultations per bucket and zone: bucket start dates and, per zone code, counts."""

    weekly: bool
    starts: list[date]
    counts: dict[str, list[int]]


def series_buckets(period: Period, max_weeks: int = 60,
                   scope: StatsScope = NETWORK) -> tuple[bool, list[Period]]:
    """Weeks (months beyond `max_weeks`) of the period, or since the scope's first record
    when the period has no start: (weekly, the buckets as periods)."""
    first = period.first or earliest_day(scope) or period.last
    period = Period(min(first, period.last), period.last)
    weekly = (period.last - period.first).days < max_weeks * 7
    edges = buckets(period, weekly)
    return weekly, [Period(low, high - timedelta(days=1)) for low, high in zip(
        edges, edges[1:], strict=False)]


def consultations_over_time(period: Period, max_weeks: int = 60,
                            found: Tally | None = None,
                            scope: StatsScope = NETWORK) -> Series:
    """Consultations per week (per month beyond `max_weeks`) and zone over the period and
    scope; `found` may be a tally of that scope already made that covers the buckets."""
    weekly, parts = series_buckets(period, max_weeks, scope)
    found = found or tally(parts, scope=scope)
    by_part = [found.figures(part) for part in parts]
    return Series(weekly, [part.first for part in parts],
                  {zone.code: [figures[zone.code].consultations for figures in by_part]
                   for zone in found.zones})
