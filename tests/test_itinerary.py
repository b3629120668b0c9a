"""Back-to-back itineraries across zones."""

from datetime import UTC, datetime, timedelta

from app.booking.itinerary import propose_itineraries
from app.zones.availability import Slot

DAY = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 10:00 in Seoul


def slot(zone: str, hour: float, adviser: int = 1, minutes: int = 60) -> Slot:
    start = DAY + timedelta(hours=hour)
    return Slot(zone, 1, adviser, "상담위원", None, None, start,
                start + timedelta(minutes=minutes))


def test_plans_are_back_to_back_and_shortest_first():
    plans = propose_itineraries({
        "legal": [slot("legal", 0), slot("legal", 1), slot("legal", 4)],
        "finance": [slot("finance", 1, 2), slot("finance", 3, 2)],
        "patent": [slot("patent", 2, 3, 50)],
    })
    assert plans
    best = plans[0]
    assert [s.zone for s in best] == ["legal", "finance", "patent"]
    assert [s.start - DAY for s in best] == [timedelta(0), timedelta(hours=1),
                                            timedelta(hours=2)]
    for plan in plans:
        ordered = sorted(plan, key=lambda s: s.start)
        assert all(a.end <= b.start for a, b in zip(ordered, ordered[1:], strict=False))
        assert {s.zone for s in plan} == {"legal", "finance", "patent"}
    spans = [p[-1].end - p[0].start for p in plans]
    assert spans == sorted(spans)


def test_a_zone_without_slots_gives_no_plan():
    assert propose_itineraries({"legal": [slot("legal", 0)], "finance": []}) == []


def test_a_day_split_by_a_long_wait_is_not_one_visit():
    plans = propose_itineraries({"legal": [slot("legal", 0)], "finance": [slot("finance", 6)]})
    assert plans == []


def test_at_most_the_limit_and_distinct_starts():
    legal = [slot("legal", h) for h in range(6)]
    finance = [slot("finance", h, 2) for h in range(6)]
    plans = propose_itineraries({"legal": legal, "finance": finance}, limit=3)
    assert len(plans) == 3
    assert len({p[0].start for p in plans}) == 3
