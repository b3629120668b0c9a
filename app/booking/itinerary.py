"""The one-stop itinerary: back-to-back appointments across zones on one day."""

from collections.abc import Mapping, Sequence
from datetime import timedelta
from itertools import permutations

from app.zones.availability import Slot

MAX_GAP = timedelta(hours=3)


def propose_itineraries(slots_by_zone: Mapping[str, Sequence[Slot]],
                        limit: int = 3) -> list[list[Slot]]:
    """Up to `limit` plans with one slot per zone, no overlaps, the shortest stay first.

    For every order of the zones and every first slot, each next zone takes its earliest
    slot that starts when the previous one ends; plans are ranked by the time spent at the
    centre, then by the earlier start. Plans whose waits add up to more than MAX_GAP are left
    out: that is two visits, not one.
    """
    zones = [zone for zone, slots in slots_by_zone.items() if slots]
    if len(zones) != len(slots_by_zone) or not zones:
        return []
    ordered = {zone: sorted(slots, key=lambda s: (s.start, s.adviser_id))
               for zone, slots in slots_by_zone.items()}
    plans: dict[tuple, list[Slot]] = {}
    for order in permutations(zones):
        for first in ordered[order[0]]:
            plan = [first]
            for zone in order[1:]:
                after = plan[-1].end
                following = next((s for s in ordered[zone] if s.start >= after), None)
                if following is None:
                    break
                plan.append(following)
            else:
                stay = plan[-1].end - plan[0].start
                waits = stay - sum((s.end - s.start for s in plan), timedelta())
                if waits <= MAX_GAP:
                    plans.setdefault(tuple((s.adviser_id, s.start) for s in plan), plan)
    ranked = sorted(plans.values(), key=lambda p: (p[-1].end - p[0].start, p[0].start))
    chosen: list[list[Slot]] = []
    for plan in ranked:
        # Offer plans that differ in their start, not the same morning three ways.
        if all(plan[0].start != other[0].start for other in chosen):
            chosen.append(plan)
        if len(chosen) == limit:
            break
    return chosen
