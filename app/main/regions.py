"""Korea's 17 regions (시·도) and which lie next to which: how the home page of a network
suggests a firm's nearest centre without a map.

A centre's `region` is what its admin typed ('경상남도', '경남', '강원도', ...): `region_of`
reads any usual spelling. The neighbours of a region are listed nearest first, so the
nearest centre of a region without one is found by walking them in that order.
"""

from collections import deque
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Region:
    """A 시·도: its code (in URLs), its official name (as a pre-screen stores it), its
    neighbours and the other ways people write it."""

    code: str
    name: str
    neighbours: tuple[str, ...]  # codes, nearest first
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The region's name in the reader's language (the words of the pre-screen's list
        of regions, app/intake/forms.py)."""
        return str(LABELS[self.code])


LABELS = {
    "seoul": _l("Seoul"),
    "busan": _l("Busan"),
    "daegu": _l("Daegu"),
    "incheon": _l("Incheon"),
    "gwangju": _l("Gwangju"),
    "daejeon": _l("Daejeon"),
    "ulsan": _l("Ulsan"),
    "sejong": _l("Sejong"),
    "gyeonggi": _l("Gyeonggi-do"),
    "gangwon": _l("Gangwon"),
    "chungbuk": _l("Chungcheongbuk-do"),
    "chungnam": _l("Chungcheongnam-do"),
    "jeonbuk": _l("Jeonbuk"),
    "jeonnam": _l("Jeollanam-do"),
    "gyeongbuk": _l("Gyeongsangbuk-do"),
    "gyeongnam": _l("Gyeongsangnam-do"),
    "jeju": _l("Jeju"),
}


REGIONS: tuple[Region, ...] = (
    Region("seoul", "서울특별시", ("gyeonggi", "incheon", "gangwon", "chungbuk"),
           ("서울", "서울시")),
    Region("busan", "부산광역시", ("gyeongnam", "ulsan", "daegu", "gyeongbuk"),
           ("부산", "부산시")),
    Region("daegu", "대구광역시", ("gyeongbuk", "gyeongnam", "ulsan", "busan"),
           ("대구", "대구시")),
    Region("incheon", "인천광역시", ("gyeonggi", "seoul", "chungnam"),
           ("인천", "인천시")),
    Region("gwangju", "광주광역시", ("jeonnam", "jeonbuk"), ("광주", "광주시")),
    Region("daejeon", "대전광역시", ("sejong", "chungnam", "chungbuk", "jeonbuk"),
           ("대전", "대전시")),
    Region("ulsan", "울산광역시", ("busan", "gyeongnam", "gyeongbuk", "daegu"),
           ("울산", "울산시")),
    Region("sejong", "세종특별자치시", ("daejeon", "chungnam", "chungbuk"),
           ("세종", "세종시")),
    Region("gyeonggi", "경기도",
           ("seoul", "incheon", "gangwon", "chungbuk", "chungnam"), ("경기",)),
    Region("gangwon", "강원특별자치도",
           ("gyeonggi", "chungbuk", "gyeongbuk", "seoul"), ("강원", "강원도")),
    Region("chungbuk", "충청북도",
           ("sejong", "daejeon", "chungnam", "gyeonggi", "gangwon", "gyeongbuk", "jeonbuk"),
           ("충북",)),
    Region("chungnam", "충청남도",
           ("sejong", "daejeon", "chungbuk", "gyeonggi", "jeonbuk"), ("충남",)),
    Region("jeonbuk", "전북특별자치도",
           ("gwangju", "jeonnam", "chungnam", "daejeon", "chungbuk", "gyeongnam", "gyeongbuk"),
           ("전북", "전라북도")),
    Region("jeonnam", "전라남도", ("gwangju", "jeonbuk", "gyeongnam", "jeju"),
           ("전남",)),
    Region("gyeongbuk", "경상북도",
           ("daegu", "ulsan", "gangwon", "chungbuk", "gyeongnam"), ("경북",)),
    Region("gyeongnam", "경상남도",
           ("busan", "ulsan", "daegu", "jeonnam", "gyeongbuk", "jeonbuk"), ("경남",)),
    Region("jeju", "제주특별자치도", ("jeonnam", "busan"), ("제주", "제주도")),
)
BY_CODE = {region.code: region for region in REGIONS}
_SPELLINGS = {spelling: region for region in REGIONS
              for spelling in (region.code, region.name, *region.aliases)}

T = TypeVar("T")


def region_of(text: str | None) -> Region | None:
    """The region a code, an official name or a usual short name means ('경남', '강원도',
    'gyeongnam'); None for anything else."""
    return _SPELLINGS.get((text or "").strip().lower()) if text else None


def by_region(items: list[T], region_text) -> list[tuple[Region | None, str, list[T]]]:
    """Items grouped by the region `region_text(item)` names, in the regions' order:
    [(region, its name as typed, items)]; items of an unknown region come last, by name."""
    groups: dict[str, tuple[Region | None, str, list[T]]] = {}
    for item in items:
        text = region_text(item)
        region = region_of(text)
        key = region.code if region else f"~{text}"
        groups.setdefault(key, (region, region.name if region else text, []))[2].append(item)
    order = {region.code: n for n, region in enumerate(REGIONS)}
    return [groups[key] for key in sorted(groups, key=lambda k: (order.get(k, len(order)), k))]


def nearest(start: Region, regions_with_centres: set[str]) -> tuple[Region, int] | None:
    """The region nearest `start` that has a centre, and how many borders away (0: its own),
    walking the neighbours nearest first; None when no region has one."""
    seen, queue = {start.code}, deque([(start, 0)])
    while queue:
        region, steps = queue.popleft()
        if region.code in regions_with_centres:
            return region, steps
        for code in region.neighbours:
            if code not in seen:
                seen.add(code)
                queue.append((BY_CODE[code], steps + 1))
    return None
