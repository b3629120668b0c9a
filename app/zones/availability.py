"""Free slots of a zone: rotations and exceptions minus closures, holidays, buffers, bookings."""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import (
    Integer,
    String,
    and_,
    column,
    literal,
    literal_column,
    or_,
    select,
    table,
    union_all,
)

from app.centres.services import centre_or_default
from app.extensions import db
from app.states import AppointmentStatus, ExceptionKind, WaitlistStatus
from app.types import UTCDateTime, center_tz, utcnow
from app.zones.errors import UnknownZone
from app.zones.models import (
    Adviser,
    AvailabilityException,
    Closure,
    Institution,
    RotationRule,
    Zone,
)

# Zones must not import booking (imports go one way), so the few appointment columns the
# engine reads are declared here, on the same table and with the same UTC type.
_appointments = table(
    "appointments",
    column("id", Integer),
    column("adviser_id", Integer),
    column("starts_at", UTCDateTime()),
    column("ends_at", UTCDateTime()),
    column("status", String),
)
# A slot offered to a firm on the waitlist is held for it until the offer expires.
_offers = table(
    "waitlist_entries",
    column("id", Integer),
    column("status", String),
    column("offered_adviser_id", Integer),
    column("offered_start", UTCDateTime()),
    column("offer_expires_at", UTCDateTime()),
)
# Spelled as in the partial unique index, so that the database may use that index too.
_HOLDS_TIME = _appointments.c.status != literal_column(f"'{AppointmentStatus.CANCELLED}'")

Interval = tuple[int, int]  # seconds after local midnight, [start, end)


@dataclass(frozen=True)
class Slot:
    """A bookable interval of one adviser."""

    zone: str  # zone code
    zone_id: int
    adviser_id: int
    adviser_name: str
    institution_id: int | None
    institution: str | None  # the institution's Korean name
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """Korea's public holidays of a year, substitute holidays included (pure data, cached)."""
    return frozenset(holidays.country_holidays("KR", years=year))


def is_centre_closed(day: date, zone_id: int | None = None, *,
                     centre_id: int | None = None) -> bool:
    """Whether the centre (or that zone) is closed on a day: a public holiday or a Closure
    (the default centre's unless `centre_id` names another)."""
    if day in public_holidays(day.year):
        return True
    scope = and_(Closure.zone_id.is_(None), Closure.centre_id == centre_or_default(centre_id))
    if zone_id is not None:
        scope = or_(scope, Closure.zone_id == zone_id)
    found = db.session.scalar(select(Closure.id).where(Closure.day == day, scope).limit(1))
    return found is not None


def free_slots(zone_code: str, first_day: date, last_day: date, *, adviser_id: int | None = None,
               institution_id: int | None = None, now: datetime | None = None,
               ignore_appointment_ids: Collection[int] = (),
               offer_holder: int | None = None, centre_id: int | None = None) -> list[Slot]:
    """Bookable slots of a centre's zone (the default centre's unless `centre_id` names
    another) between two centre-local dates (inclusive), by start.

    Slots held by open waitlist offers are not free, except for `offer_holder` (the id of
    the waitlist entry whose offer is being taken up).
    """
    zone = _active_zone(zone_code, centre_id)
    if zone is None:
        raise UnknownZone(zone_code)
    return _free_slots(zone, first_day, last_day, _aware(now or utcnow(), "now"),
                       adviser_id=adviser_id, institution_id=institution_id,
                       ignore=frozenset(ignore_appointment_ids), offer_holder=offer_holder)


def is_free(zone: str | Zone, adviser_id: int, start: datetime, *, now: datetime | None = None,
            ignore_appointment_ids: Collection[int] = (),
            offer_holder: int | None = None, centre_id: int | None = None) -> Slot | None:
    """The free slot of that adviser starting exactly at `start`, or None.

    `zone` is a code (of `centre_id`'s zones, else the default centre's), or the active zone
    itself when the caller has loaded it already.
    """
    start = _aware(start, "start")
    zone = _active_zone(zone, centre_id) if isinstance(zone, str) else zone
    if zone is None or not zone.active:
        return None
    day = start.astimezone(center_tz()).date()
    found = _free_slots(zone, day, day, _aware(now or utcnow(), "now"), adviser_id=adviser_id,
                        ignore=frozenset(ignore_appointment_ids), offer_holder=offer_holder)
    return next((slot for slot in found if slot.start == start), None)


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return moment


def _active_zone(code: str, centre_id: int | None) -> Zone | None:
    return db.session.scalar(select(Zone).where(
        Zone.centre_id == centre_or_default(centre_id), Zone.code == code, Zone.active))


def _free_slots(zone: Zone, first: date, last: date, now: datetime, *,
                adviser_id: int | None = None, institution_id: int | None = None,
                ignore: frozenset[int] = frozenset(),
                offer_holder: int | None = None) -> list[Slot]:
    tz = center_tz()
    earliest = now + timedelta(hours=zone.min_notice_hours)
    first = max(first, earliest.astimezone(tz).date())
    last = min(last, now.astimezone(tz).date() + timedelta(days=zone.horizon_days))
    if first > last:
        return []
    advisers = _advisers(zone, adviser_id, institution_id)
    if not advisers:
        return []
    ids = list(advisers)
    rules = _rules(ids, first, last)
    changes = _exceptions(ids, first, last)
    closed = _closed_days(zone, first, last)
    held = _held_time(ids, first, last, ignore, tz, now, zone.slot_minutes, offer_holder)

    buffer = timedelta(minutes=zone.buffer_minutes)
    grid = _Grid(tz, zone.slot_minutes * 60, (zone.slot_minutes + zone.buffer_minutes) * 60)
    opening = (_seconds(zone.opens_at), _seconds(zone.closes_at))
    free: list[tuple[tuple[datetime, datetime], list[int]]] = []
    day = first
    while day <= last:
        if day not in closed:
            weekday = day.weekday()
            today: dict[tuple[datetime, datetime], list[int]] = {}
            for aid in ids:  # ascending, so each start's advisers come out in order
                hours = _duty(rules.get((aid, weekday), ()), changes.get((aid, day), ()),
                              day, opening)
                starts, ends_max = held.get(aid, ((), ()))
                for span in hours:
                    for pair in grid.slots(day, span):
                        if pair[0] >= earliest and not (
                                starts and _overlaps(starts, ends_max, pair[0] - buffer,
                                                     pair[1] + buffer)):
                            today.setdefault(pair, []).append(aid)
            # A day's slots all start before the next day's: sorting each day is enough.
            free.extend(sorted(today.items()))
        day += timedelta(days=1)
    return _make_slots(zone, advisers, free)


def _make_slots(zone: Zone, advisers: dict[int, tuple],
                free: list[tuple[tuple[datetime, datetime], list[int]]]) -> list[Slot]:
    """Slot objects for each (start, end) and the advisers free then, in that order."""
    code, zone_id = zone.code, zone.id
    return [Slot(code, zone_id, aid, *advisers[aid], start, end)
            for (start, end), free_advisers in free for aid in free_advisers]


class _Grid:
    """A duty interval's slots as UTC (start, end), worked out once per day and interval."""

    def __init__(self, tz, length: int, step: int):
        self.tz, self.length, self.step = tz, length, step
        self.cache: dict[tuple[date, Interval], list[tuple[datetime, datetime]]] = {}

    def slots(self, day: date, span: Interval) -> list[tuple[datetime, datetime]]:
        found = self.cache.get((day, span))
        if found is None:
            midnight = datetime.combine(day, time(), tzinfo=self.tz)
            length = timedelta(seconds=self.length)
            # Wall-clock arithmetic first, then the instant: rules are local times.
            starts = [(midnight + timedelta(seconds=second)).astimezone(UTC)
                      for second in range(span[0], span[1] - self.length + 1, self.step)]
            found = self.cache[(day, span)] = [(start, start + length) for start in starts]
        return found


def _advisers(zone: Zone, adviser_id: int | None,
              institution_id: int | None) -> dict[int, tuple[str, int | None, str | None]]:
    """Active advisers of the zone (whose institution, if any, is active): id -> names."""
    query = (select(Adviser.id, Adviser.name, Adviser.institution_id, Institution.name)
             .outerjoin(Institution, Adviser.institution_id == Institution.id)
             .where(Adviser.zone_id == zone.id, Adviser.active,
                    or_(Adviser.institution_id.is_(None), Institution.active))
             .order_by(Adviser.id))
    if adviser_id is not None:
        query = query.where(Adviser.id == adviser_id)
    if institution_id is not None:
        query = query.where(Adviser.institution_id == institution_id)
    return {aid: (name, inst_id, inst_name)
            for aid, name, inst_id, inst_name in db.session.execute(query)}


def _rules(ids: list[int], first: date, last: date) -> dict[tuple[int, int], list[tuple]]:
    """Rotation rules valid somewhere in the window, by (adviser, weekday), as tuples of
    (start, end, valid_from, valid_until, Monday of valid_from's week, every_n_weeks, offset)."""
    query = select(RotationRule.adviser_id, RotationRule.weekday, RotationRule.start_time,
                   RotationRule.end_time, RotationRule.valid_from, RotationRule.valid_until,
                   RotationRule.every_n_weeks, RotationRule.week_offset).where(
        RotationRule.adviser_id.in_(ids), RotationRule.valid_from <= last,
        or_(RotationRule.valid_until.is_(None), RotationRule.valid_until >= first))
    found: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for aid, weekday, begin, end, since, until, every, offset in db.session.execute(query):
        anchor = since - timedelta(days=since.weekday())
        found[(aid, weekday)].append(
            (_seconds(begin), _seconds(end), since, until, anchor, every, offset))
    return found


def _exceptions(ids: list[int], first: date, last: date) -> dict[tuple[int, date], list]:
    """Days off, hours off and extra hours in the window, by (adviser, day)."""
    query = select(AvailabilityException.adviser_id, AvailabilityException.day,
                   AvailabilityException.kind, AvailabilityException.start_time,
                   AvailabilityException.end_time).where(
        AvailabilityException.adviser_id.in_(ids), AvailabilityException.day >= first,
        AvailabilityException.day <= last)
    found: dict[tuple[int, date], list] = defaultdict(list)
    for row in db.session.execute(query):
        found[(row.adviser_id, row.day)].append(row)
    return found


def _closed_days(zone: Zone, first: date, last: date) -> set[date]:
    """Public holidays and Closure rows (the zone's centre's or this zone's) in the window."""
    closed = set(db.session.scalars(select(Closure.day).where(
        Closure.day >= first, Closure.day <= last,
        or_(and_(Closure.zone_id.is_(None), Closure.centre_id == zone.centre_id),
            Closure.zone_id == zone.id))))
    for year in range(first.year, last.year + 1):
        closed |= {d for d in public_holidays(year) if first <= d <= last}
    return closed


def _window(first: date, last: date, tz) -> tuple[datetime, datetime]:
    """The instants to read around a window of local days (a day each side for safety)."""
    return (datetime.combine(first - timedelta(days=1), time(), tzinfo=tz),
            datetime.combine(last + timedelta(days=2), time(), tzinfo=tz))


def _held_time(ids: list[int], first: date, last: date, ignore: frozenset[int], tz,
               now: datetime, minutes: int, holder: int | None
               ) -> dict[int, tuple[list[datetime], list[datetime]]]:
    """Per adviser: sorted starts of the time held near the window, and the running maximum
    of their ends, so that one bisect tells whether anything overlaps a slot.

    Time is held by live appointments (except `ignore`) and by open waitlist offers (except
    the `holder`'s own, whose slot lasts the zone's `minutes`); both come in one read.
    """
    low, high = _window(first, last, tz)
    a, o = _appointments.c, _offers.c
    booked = select(a.id, a.adviser_id, a.starts_at, a.ends_at, literal(False).label("offer")
                    ).where(a.starts_at >= low, a.starts_at < high, _HOLDS_TIME,
                            a.adviser_id.in_(ids))
    offered = select(o.id, o.offered_adviser_id, o.offered_start, o.offered_start,
                     literal(True)).where(
        o.status == WaitlistStatus.OFFERED.value, o.offer_expires_at > now, o.offered_start >= low,
        o.offered_start < high, o.offered_adviser_id.in_(ids))
    length = timedelta(minutes=minutes)
    spans: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for row_id, aid, starts_at, ends_at, offer in db.session.execute(union_all(booked, offered)):
        if offer:
            if row_id != holder:
                spans[aid].append((starts_at, starts_at + length))
        elif row_id not in ignore:
            spans[aid].append((starts_at, ends_at))
    held = {}
    for aid, pairs in spans.items():
        pairs.sort()
        starts, ends_max = [], []
        for starts_at, ends_at in pairs:
            starts.append(starts_at)
            ends_max.append(max(ends_at, ends_max[-1]) if ends_max else ends_at)
        held[aid] = (starts, ends_max)
    return held


def _overlaps(starts: list[datetime], ends_max: list[datetime], low: datetime,
              high: datetime) -> bool:
    """Whether any held interval overlaps [low, high)."""
    before = bisect_left(starts, high)  # the appointments starting before `high`
    return before > 0 and ends_max[before - 1] > low


def _duty(rules: Iterable[tuple], changes: Iterable, day: date,
          opening: Interval) -> tuple[Interval, ...]:
    """The adviser's duty intervals that day: rules plus extras, minus time off, within hours."""
    hours = [(begin, end) for begin, end, since, until, anchor, every, offset in rules
             if since <= day and (until is None or day <= until)
             and ((day - anchor).days // 7) % every == offset]
    off: list[Interval] = []
    for change in changes:
        if change.start_time is None:
            if change.kind == ExceptionKind.OFF:
                return ()  # a whole day off wins over any extra hours
            continue
        span = (_seconds(change.start_time), _seconds(change.end_time))
        (hours if change.kind == ExceptionKind.EXTRA else off).append(span)
    if not hours:
        return ()
    return _shape(tuple(hours), tuple(off), opening)


@lru_cache(maxsize=4096)
def _shape(hours: tuple[Interval, ...], off: tuple[Interval, ...],
           opening: Interval) -> tuple[Interval, ...]:
    """Hours clipped to the opening hours, joined, with the time off cut out (a handful of
    shapes repeat over every adviser and day, so they are worked out once)."""
    merged = _merge([(max(b, opening[0]), min(e, opening[1])) for b, e in hours])
    for cut in off:
        merged = _cut(merged, cut)
    return tuple(merged)


def _merge(spans: list[Interval]) -> list[Interval]:
    """Sorted, overlapping or touching intervals joined; empty ones dropped."""
    merged: list[Interval] = []
    for begin, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def _cut(spans: list[Interval], cut: Interval) -> list[Interval]:
    """The intervals with `cut` taken out."""
    left: list[Interval] = []
    for begin, end in spans:
        if end <= cut[0] or begin >= cut[1]:
            left.append((begin, end))
            continue
        if begin < cut[0]:
            left.append((begin, cut[0]))
        if end > cut[1]:
            left.append((cut[1], end))
    return left


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second
