"""The demo network (`seed-demo --network`): the 17 Creative Economy Innovation Centres.

Gyeongnam, the default centre, keeps the demo centre of app/demo/seed.py as it is. Every
other centre gets the three classic zones (legal, finance, patent), several also a tax and
a labour zone, their institutions (the four finance institutions take turns), advisers on
rotation (no logins of their own) and one admin login; the network one national login.
Names and regions are the centres' own; street addresses and phone numbers are
placeholders. Everything is got or made, so a second run changes nothing.
"""

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_user
from app.centres.models import Centre
from app.demo.parts import ZONES, add_rules, all_institutions, get_or_create
from app.extensions import db
from app.intake.models import Need
from app.states import Role
from app.zones.models import Adviser, Institution, Zone


@dataclass(frozen=True)
class DemoCentre:
    code: str
    short: str  # 서울, 부산, ... as the centre's name starts
    region: str
    region_en: str
    area_code: str


# code, short name, 시·도, its English name, its telephone area code; Gyeongnam is the
# default centre (seed.py).
CENTRES = [
    DemoCentre("seoul", "서울", "서울특별시", "Seoul", "02"),
    DemoCentre("busan", "부산", "부산광역시", "Busan", "051"),
    DemoCentre("daegu", "대구", "대구광역시", "Daegu", "053"),
    DemoCentre("incheon", "인천", "인천광역시", "Incheon", "032"),
    DemoCentre("gwangju", "광주", "광주광역시", "Gwangju", "062"),
    DemoCentre("daejeon", "대전", "대전광역시", "Daejeon", "042"),
    DemoCentre("ulsan", "울산", "울산광역시", "Ulsan", "052"),
    DemoCentre("sejong", "세종", "세종특별자치시", "Sejong", "044"),
    DemoCentre("gyeonggi", "경기", "경기도", "Gyeonggi-do", "031"),
    DemoCentre("gangwon", "강원", "강원특별자치도", "Gangwon-do", "033"),
    DemoCentre("chungbuk", "충북", "충청북도", "Chungcheongbuk-do", "043"),
    DemoCentre("chungnam", "충남", "충청남도", "Chungcheongnam-do", "041"),
    DemoCentre("jeonbuk", "전북", "전북특별자치도", "Jeonbuk", "063"),
    DemoCentre("jeonnam", "전남", "전라남도", "Jeollanam-do", "061"),
    DemoCentre("gyeongbuk", "경북", "경상북도", "Gyeongsangbuk-do", "054"),
    DemoCentre("jeju", "제주", "제주특별자치도", "Jeju", "064"),
]
# The centres whose Startup One-stop Support Centre also runs tax and labour zones.
TAX_AND_LABOUR = ("seoul", "busan", "daegu", "incheon", "gwangju", "daejeon", "gyeonggi", "jeju")

EXTRA_ZONES = [
    dict(code="tax", name="세무존", name_en="Tax zone", sort_order=4,
         slot_minutes=50, buffer_minutes=10,
         description="세무사가 창업 세무, 신고·기장, 세액 감면을 상담합니다.",
         description_en="A tax accountant advises on start-up taxes, returns, bookkeeping and "
                        "tax relief.",
         what_to_bring="사업자등록증, 최근 신고서나 장부(있다면)",
         what_to_bring_en="Business registration certificate, recent returns or books (if any)"),
    dict(code="labour", name="노무존", name_en="Labour zone", sort_order=5,
         slot_minutes=50, buffer_minutes=10,
         description="공인노무사가 근로계약, 취업규칙, 4대보험과 고용 지원금을 상담합니다.",
         description_en="A certified labour attorney advises on employment contracts, work "
                        "rules, social insurance and hiring subsidies.",
         what_to_bring="근로계약서·취업규칙 사본, 직원 수와 급여 현황",
         what_to_bring_en="Copies of employment contracts and work rules, headcount and payroll"),
]
EXTRA_INSTITUTIONS = {
    "kacpta": ("tax", "한국세무사회", "Korean Association of Certified Public Tax Accountants"),
    "kcpla": ("labour", "한국공인노무사회", "Korea Certified Public Labor Attorneys Association"),
}
# Needs of the new zone types (need codes are national; a need is offered by every centre
# that has a zone of its zone's code).
EXTRA_NEEDS = [
    ("tax_return", "tax", "세무 신고·기장", "Tax returns and bookkeeping"),
    ("tax_relief", "tax", "창업 세액 감면", "Start-up tax relief"),
    ("employment_contract", "labour", "근로계약·취업규칙", "Employment contracts and work rules"),
    ("social_insurance", "labour", "4대보험·고용 지원금", "Social insurance and hiring subsidies"),
]


@dataclass(frozen=True)
class Duty:
    """Who serves a zone of every centre, and when (weekday 0 = Monday)."""

    zone: str
    institution: str
    title: str
    weekdays: tuple[int, ...]
    every_n_weeks: int = 1
    week_offset: int = 0
    alternate_weekdays: tuple[int, ...] = ()


# The same rota as Gyeongnam's: a lawyer every day, KODIT/KIBO/KDB/IBK taking turns (KODIT
# and KIBO on alternate Fridays), the patent attorney on Tuesdays and Thursdays.
DUTIES = [
    Duty("legal", "legal_aid", "공익법무관", (0, 1, 2, 3, 4)),
    Duty("finance", "kodit", "신용보증기금 팀장", (0,), 2, 0, (4,)),
    Duty("finance", "kibo", "기술보증기금 팀장", (1,), 2, 1, (4,)),
    Duty("finance", "kdb", "한국산업은행 차장", (2,)),
    Duty("finance", "ibk", "IBK기업은행 지점장", (3,)),
    Duty("patent", "kpaa", "변리사", (1, 3)),
    Duty("tax", "kacpta", "세무사", (2,)),
    Duty("labour", "kcpla", "공인노무사", (0, 3)),
]
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
_GIVEN = ("민준", "서연", "도윤", "지우", "하준", "서윤", "시우", "지민", "주원", "하은",
          "예준", "수아", "건우", "지아", "현우", "채원", "우진", "다은", "선우", "유나")
NATIONAL_EMAIL = "national@onestop.local"


def admin_email(code: str) -> str:
    """The demo login of a centre's admin."""
    return f"admin.{code}@onestop.local"


def adviser_name(centre_index: int, duty_index: int) -> str:
    """A made-up adviser's name, the same on every run."""
    n = centre_index * len(DUTIES) + duty_index
    return _SURNAMES[n * 7 % len(_SURNAMES)] + _GIVEN[n * 3 % len(_GIVEN)]


def _facts(spec: DemoCentre) -> dict:
    return {"name": f"{spec.short}창조경제혁신센터",
            "name_en": f"{spec.code.capitalize()} Creative Economy Innovation Center",
            "region": spec.region,
            "address": f"{spec.region} 혁신로 1 (데모 주소)",
            "address_en": f"1 Hyeoksin-ro, {spec.region_en} (demo address)",
            "phone": f"{spec.area_code}-000-0000",
            "hours": "평일 09:00–18:00 (점심 12:00–13:00)",
            "hours_en": "Weekdays 09:00–18:00 (lunch 12:00–13:00)",
            "privacy_department": "경영지원팀", "privacy_phone": f"{spec.area_code}-000-0001",
            "active": True}


def _login(email: str, role: str, name: str, centre_code: str | None,
           created: list) -> None:
    """A login made with create_user (it commits), its password kept to print once."""
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        return
    password = secrets.token_urlsafe(9)
    create_user(email, role, password, name=name, centre_code=centre_code)
    created.append((role, email, password))


def seed_network(today: date) -> list[tuple[str, str, str]]:
    """Make whatever of the 16 other centres and the national login is missing (commits);
    returns the logins made this time."""
    created: list[tuple[str, str, str]] = []
    first_zone: dict[str, Zone] = {}
    institutions = {**all_institutions(), **EXTRA_INSTITUTIONS}
    for index, spec in enumerate(CENTRES):
        centre = get_or_create(Centre, {"code": spec.code}, _facts(spec))
        specs = ZONES + (EXTRA_ZONES if spec.code in TAX_AND_LABOUR else [])
        zones = {z["code"]: get_or_create(Zone, {"centre_id": centre.id, "code": z["code"]},
                                          {k: v for k, v in z.items() if k != "code"})
                 for z in specs}
        for code, zone in zones.items():
            first_zone.setdefault(code, zone)
        own = {}
        for order, (code, (zone, name, name_en)) in enumerate(institutions.items()):
            if zone in zones:
                own[code] = get_or_create(Institution, {"zone_id": zones[zone].id, "code": code},
                                          {"name": name, "name_en": name_en,
                                           "sort_order": order})
        for duty_index, duty in enumerate(DUTIES):
            if duty.zone not in zones:
                continue
            adviser = get_or_create(
                Adviser, {"zone_id": zones[duty.zone].id, "name": adviser_name(index, duty_index)},
                {"title": duty.title, "institution": own[duty.institution]})
            if not adviser.rotation_rules:
                add_rules(adviser, duty, today)
    for order, (code, zone, label, label_en) in enumerate(EXTRA_NEEDS, start=100):
        get_or_create(Need, {"code": code}, {"zone": first_zone[zone], "label": label,
                                             "label_en": label_en, "weight": 3.0,
                                             "sort_order": order})
    db.session.commit()
    for spec in CENTRES:
        _login(admin_email(spec.code), Role.ADMIN, f"{spec.short} 센터 관리자", spec.code,
               created)
    _login(NATIONAL_EMAIL, Role.NATIONAL, "전국 사업단", None, created)
    return created
