"""`flask --app wsgi seed-demo [--network]`: the demo centre (and with `--network` the other
16 centres of the network, app/demo/network.py), safe to run again."""

import secrets
from dataclasses import dataclass
from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.centres.models import Centre
from app.centres.services import ensure_centre
from app.demo.network import seed_network
from app.demo.parts import ZONES, add_rules, all_institutions, get_or_create
from app.demo.rules import INSTITUTIONS, NEEDS, RULES
from app.extensions import db
from app.intake.models import Need, RoutingRule
from app.types import local_today
from app.zones.models import Adviser, Institution, Zone

FINANCE_ZONE_OF = {code: "finance" for code in INSTITUTIONS}


@dataclass(frozen=True)
class DemoAdviser:
    email: str
    name: str
    title: str
    zone: str
    institution: str
    weekdays: tuple[int, ...]
    every_n_weeks: int = 1
    week_offset: int = 0
    alternate_weekdays: tuple[int, ...] = ()  # on duty only in alternate weeks


ADVISERS = [
    DemoAdviser("lawyer@onestop.local", "김정의", "공익법무관", "legal", "legal_aid",
                (0, 1, 2, 3, 4)),
    DemoAdviser("kodit@onestop.local", "이보증", "신용보증기금 팀장", "finance", "kodit", (0,),
                every_n_weeks=2, week_offset=0, alternate_weekdays=(4,)),
    DemoAdviser("kibo@onestop.local", "박기술", "기술보증기금 팀장", "finance", "kibo", (1,),
                every_n_weeks=2, week_offset=1, alternate_weekdays=(4,)),
    DemoAdviser("kdb@onestop.local", "최산업", "한국산업은행 차장", "finance", "kdb", (2,)),
    DemoAdviser("ibk@onestop.local", "정기업", "IBK기업은행 지점장", "finance", "ibk", (3,)),
    DemoAdviser("patent@onestop.local", "한지식", "변리사", "patent", "kpaa", (1, 3)),
]
ADMIN_EMAIL = "admin@onestop.local"
# The demo centre's facts that the settings do not give; a blank one is filled in, what an
# admin typed is kept. The phone numbers are placeholders, not the centre's.
CENTRE_FACTS = {
    "address_en": "22 Changwon-daero 18beon-gil, Uichang-gu, Changwon-si, Gyeongsangnam-do",
    "phone": "055-000-0000",
    "hours": "평일 09:00–18:00 (점심 12:00–13:00)",
    "hours_en": "Weekdays 09:00–18:00 (lunch 12:00–13:00)",
    "directions_url": "https://map.naver.com/p/search/"
                      "%EA%B2%BD%EB%82%A8%EC%B0%BD%EC%A1%B0%EA%B2%BD%EC%A0%9C%ED%98%81%EC%8B%A0"
                      "%EC%84%BC%ED%84%B0",
    "privacy_officer": "김보호",
    "privacy_department": "경영지원팀",
    "privacy_phone": "055-000-0001",
    "privacy_email": "privacy@centre.example",
}


def _user(email: str, name: str, role: str, created: list) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        password = secrets.token_urlsafe(9)
        user = User(email=email, name=name, role=role,
                    password_hash=generate_password_hash(password, method="scrypt"))
        db.session.add(user)
        db.session.flush()
        created.append((role, email, password))
    return user


def _centre() -> Centre:
    """The centre (made from the settings if missing), its blank facts filled in."""
    centre = ensure_centre()
    for name, value in CENTRE_FACTS.items():
        if not getattr(centre, name):
            setattr(centre, name, value)
    if not centre.region:
        centre.region = "경상남도"
    return centre


def seed_demo(today: date | None = None, network: bool = False) -> list[tuple[str, str, str]]:
    """Create whatever of the demo centre (with `network`, of the whole network) is missing;
    returns the logins made this time."""
    today = today or local_today()
    created: list[tuple[str, str, str]] = []
    centre = _centre()  # the default centre: Gyeongnam, whose zones these are
    zones = {spec["code"]: get_or_create(Zone, {"centre_id": centre.id, "code": spec["code"]},
                                          {k: v for k, v in spec.items() if k != "code"})
             for spec in ZONES}
    institutions = {}
    for order, (code, (zone, name, name_en)) in enumerate(all_institutions().items()):
        # An institution's code is unique inside its zone: every centre has a `kodit`.
        institutions[code] = get_or_create(
            Institution, {"zone_id": zones[zone].id, "code": code},
            {"name": name, "name_en": name_en, "sort_order": order},
        )
    for order, need in enumerate(NEEDS):
        get_or_create(Need, {"code": need.code}, {
            "zone": zones[need.zone], "label": need.label, "label_en": need.label_en,
            "weight": need.weight, "sort_order": order,
            "institution": institutions.get(need.institution) if need.institution else None,
        })
    for rule in RULES:
        institution = institutions.get(rule.institution) if rule.institution else None
        get_or_create(
            RoutingRule,
            {"zone_id": zones[rule.zone].id, "phrase": rule.phrase,
             "institution_id": institution.id if institution else None},
            {"weight": rule.weight, "centre_id": centre.id},
        )
    _user(ADMIN_EMAIL, "센터 관리자", "admin", created)
    for spec in ADVISERS:
        user = _user(spec.email, spec.name, "adviser", created)
        adviser = get_or_create(Adviser, {"user_id": user.id}, {
            "name": spec.name, "title": spec.title, "zone": zones[spec.zone],
            "institution": institutions[spec.institution],
        })
        if not adviser.rotation_rules:
            add_rules(adviser, spec, today)
    db.session.commit()
    if network:
        created += seed_network(today)
    return created


@click.command("seed-demo")
@click.option("--network", is_flag=True,
              help="Also the other 16 centres of the network, their admins and the national login.")
@with_appcontext
def seed_demo_command(network: bool) -> None:
    """Create the demo centre (zones, institutions, advisers, needs, rules, logins)."""
    created = seed_demo(network=network)
    if network:
        click.echo("데모 네트워크(센터 17곳)가 준비되었습니다. / The demo network (17 centres) "
                   "is ready.")
    else:
        click.echo("데모 센터가 준비되었습니다. / The demo centre is ready.")
    if created:
        click.echo("새 로그인 (지금 한 번만 표시됩니다) / New logins, shown only this once:")
        for role, email, password in created:
            click.echo(f"  {role:8} {email:28} {password}")
    else:
        click.echo("로그인은 이미 만들어져 있습니다. / The logins exist already.")
