"""What the demo centre (seed.py) and the demo network (network.py) share: the classic
zones and their institutions, rows got or made, an adviser's rotation rules."""

from datetime import date, time, timedelta

from sqlalchemy import select

from app.demo.rules import INSTITUTIONS
from app.extensions import db
from app.zones.models import Adviser, RotationRule

DEMO_WEEKS = 12
MORNING, AFTERNOON = (time(10), time(12)), (time(13), time(17))

ZONES = [
    dict(code="legal", name="법률존", name_en="Legal zone", sort_order=1,
         slot_minutes=60, buffer_minutes=0,
         description="상주 공익법무관이 계약, 분쟁, 노무, 법인 설립을 상담합니다.",
         description_en="A resident public-service lawyer advises on contracts, disputes, "
                        "labour law and incorporation.",
         what_to_bring="관련 계약서·서류 사본, 일이 있었던 순서를 적은 메모",
         what_to_bring_en="Copies of the contracts and papers involved, a note of what happened "
                          "and when"),
    dict(code="finance", name="금융존", name_en="Finance zone", sort_order=2,
         slot_minutes=60, buffer_minutes=0,
         description="신용보증기금, 기술보증기금, 한국산업은행, IBK기업은행이 돌아가며 "
                     "보증·대출·투자를 상담합니다.",
         description_en="KODIT, KIBO, KDB and IBK take turns advising on guarantees, loans and "
                        "investment.",
         what_to_bring="사업자등록증, 최근 3년 재무제표(있다면), 사업계획서",
         what_to_bring_en="Business registration certificate, the last three years' financial "
                          "statements (if any), a business plan"),
    dict(code="patent", name="특허존", name_en="Patent zone", sort_order=3,
         slot_minutes=50, buffer_minutes=10,
         description="파견 변리사가 주 2회 특허·상표·디자인 출원과 기술이전을 상담합니다.",
         description_en="A patent attorney, here twice a week, advises on patents, trademarks, "
                        "designs and technology transfer.",
         what_to_bring="기술·제품 설명 자료, 알고 있는 선행 특허나 경쟁 제품",
         what_to_bring_en="A description of the technology or product, any prior patents or "
                          "competing products you know of"),
]
OTHER_INSTITUTIONS = {
    "legal_aid": ("legal", "법무부 공익법무관", "Public-service lawyer (Ministry of Justice)"),
    "kpaa": ("patent", "대한변리사회", "Korean Patent Attorneys Association"),
}


def all_institutions() -> dict[str, tuple[str, str, str]]:
    """The demo's institutions: code -> (zone code, name, English name)."""
    return {**{code: ("finance", *names) for code, names in INSTITUTIONS.items()},
            **OTHER_INSTITUTIONS}


def get_or_create(model, lookup: dict, values: dict):
    """The row `lookup` finds, else a new one made of `lookup` and `values` (flushed)."""
    row = db.session.scalar(select(model).filter_by(**lookup))
    if row is None:
        row = model(**lookup, **values)
        db.session.add(row)
        db.session.flush()
    return row


def add_rules(adviser: Adviser, spec, start: date) -> None:
    """The adviser's duty (a DemoAdviser or a network Duty) from `start` for DEMO_WEEKS."""
    until = start + timedelta(weeks=DEMO_WEEKS) - timedelta(days=1)
    plans = [(d, 1, 0) for d in spec.weekdays]
    plans += [(d, spec.every_n_weeks, spec.week_offset) for d in spec.alternate_weekdays]
    for weekday, every, offset in plans:
        for begin, end in (MORNING, AFTERNOON):
            db.session.add(RotationRule(
                adviser=adviser, weekday=weekday, start_time=begin, end_time=end,
                valid_from=start, valid_until=until, every_n_weeks=every, week_offset=offset,
            ))
