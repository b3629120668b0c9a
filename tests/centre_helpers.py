"""A second centre beside the demo one, for the scoping tests: Busan, with its own legal zone,
institution, adviser (adviser_b2, on duty every day), admin (admin_b), and the national
programme office's user; and firms booked at either centre through the public API."""

from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.centres.models import Centre
from app.centres.services import default_centre
from app.extensions import db
from app.states import Role
from app.types import local_today
from app.zones.models import Adviser, Institution, RotationRule, Zone
from tests.conftest import STAFF, STAFF_PASSWORD

SECOND = "busan"
# Every staff role of the two centres (centre A is the demo's) and the national one.
NETWORK_STAFF = {**STAFF, "admin_b": "admin@busan.example",
                 "adviser_b2": "lawyer@busan.example", "national": "office@onestop.example"}


@dataclass(frozen=True)
class Network:
    """The ids the tests use: each centre's id and code, Busan's zone and adviser."""

    centre_a: int
    code_a: str
    centre_b: int
    zone_b: int
    adviser_b2: int
    adviser_a: int  # the demo lawyer (adviser_a)


def make_second_centre(app) -> Network:
    """Add Busan, its staff and the national user; give every staff user the tests'
    password. Made in an app context of its own (page tests must not run inside one)."""
    with app.app_context():
        digest = generate_password_hash(STAFF_PASSWORD, method="scrypt")
        busan = Centre(code=SECOND, name="부산창조경제혁신센터", name_en="Busan CCEI",
                       region="부산광역시", address="부산광역시 해운대구", phone="051-000-0000")
        db.session.add(busan)
        db.session.flush()
        zone = Zone(centre_id=busan.id, code="legal", name="부산 법률존",
                    name_en="Busan legal zone", slot_minutes=60, min_notice_hours=0,
                    opens_at=time(9), closes_at=time(18))
        db.session.add(zone)
        db.session.flush()
        firm = Institution(zone_id=zone.id, code="busan-law", name="부산 법무법인",
                           name_en="Busan Law")
        db.session.add(firm)
        users = {
            "admin_b": User(email=NETWORK_STAFF["admin_b"], name="부산 관리자",
                            role=Role.ADMIN, centre_id=busan.id, password_hash=digest),
            "adviser_b2": User(email=NETWORK_STAFF["adviser_b2"], name="부산 변호사",
                               role=Role.ADVISER, centre_id=busan.id, password_hash=digest),
            "national": User(email=NETWORK_STAFF["national"], name="전국 사업단",
                             role=Role.NATIONAL, password_hash=digest),
        }
        db.session.add_all(users.values())
        db.session.flush()
        adviser = Adviser(user_id=users["adviser_b2"].id, name="부산 변호사", zone_id=zone.id,
                          institution_id=firm.id)
        db.session.add(adviser)
        db.session.flush()
        start = local_today() - timedelta(days=7)
        db.session.add_all(RotationRule(adviser_id=adviser.id, weekday=day, start_time=time(9),
                                        end_time=time(18), valid_from=start)
                           for day in range(7))
        for email in STAFF.values():
            db.session.scalar(select(User).where(User.email == email)).password_hash = digest
        lawyer = db.session.scalar(select(User).where(User.email == STAFF["adviser_a"]))
        home = default_centre()
        db.session.commit()
        return Network(centre_a=home.id, code_a=home.code, centre_b=busan.id, zone_b=zone.id,
                       adviser_b2=adviser.id, adviser_a=lawyer.adviser.id)


def book_at(client, payload: dict, centre: str | None = None, days: int = 14) -> dict:
    """Pre-screen and book the first free legal slot at a centre (the default one when
    `centre` is None) through the public API: the booking's appointment and the intake."""
    body = {**payload, **({"centre": centre} if centre else {})}
    intake = client.post("/api/v1/intakes", json=body)
    assert intake.status_code == 201, intake.get_json()
    token = intake.get_json()["intake"]["token"]
    with client.application.app_context():
        today = local_today()
    query = {"zone": "legal", "from": today.isoformat(),
             "to": (today + timedelta(days=days)).isoformat(),
             **({"centre": centre} if centre else {})}
    slot = client.get("/api/v1/slots", query_string=query).get_json()["slots"][0]
    booking = client.post("/api/v1/bookings", json={"intake_token": token, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": slot["start"]}]})
    assert booking.status_code == 201, booking.get_json()
    return {"appointment": booking.get_json()["booking"]["appointments"][0], "token": token,
            "slot": slot}
