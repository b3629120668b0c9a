"""A second centre beside the demo's, its admin and adviser, and the national office, for the
tests of the management screens in a network (tests/test_admin_network.py,
tests/test_national_admin.py)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.auth.models import AuditEntry
from app.auth.services import create_user
from app.centres.models import Centre
from app.centres.services import default_centre
from app.extensions import db
from app.intake.models import RoutingRule
from app.types import local_today
from app.zones.models import Adviser, Closure, Institution, Zone
from tests.admin_helpers import PASSWORD, Admin, sign_in

BUSAN_ADVISER = "busan-law@onestop.local"


@dataclass(frozen=True)
class Network:
    """The ids the tests name: the demo (default) centre's rows and Busan's."""

    default: int
    busan: int
    legal: int  # the demo centre's legal zone
    kodit: int  # an institution of the demo centre
    lawyer: int  # an adviser of the demo centre
    closure: int  # a closure of the demo centre
    rule: int  # a routing rule of the demo centre's own
    busan_legal: int
    busan_adviser: int


def make_network(app) -> Network:
    """Busan (a legal zone with an institution, an adviser) beside the demo centre, which is
    given an upcoming closure."""
    with app.app_context():
        home = default_centre()
        busan = Centre(code="busan", name="부산창조경제혁신센터", name_en="Busan CCEI",
                       region="부산광역시", address="부산광역시 해운대구 1")
        db.session.add(busan)
        db.session.flush()
        legal = Zone(centre_id=busan.id, code="legal", name="부산 법률존",
                     name_en="Busan legal zone")
        db.session.add(legal)
        db.session.flush()
        db.session.add(Institution(zone_id=legal.id, code="busan_bar", name="부산지방변호사회",
                                   name_en="Busan Bar"))
        closure = Closure(day=local_today().replace(year=local_today().year + 1),
                          zone_id=None, reason="경남 점검일", centre_id=home.id)
        db.session.add(closure)
        db.session.commit()
        create_user(BUSAN_ADVISER, "adviser", PASSWORD, name="부산 변호사", zone_code="legal",
                    centre_code="busan")
        demo_legal = db.session.scalar(select(Zone).where(Zone.centre_id == home.id,
                                                          Zone.code == "legal"))
        return Network(
            default=home.id, busan=busan.id, legal=demo_legal.id,
            kodit=db.session.scalar(select(Institution.id).where(Institution.code == "kodit")),
            lawyer=db.session.scalar(select(Adviser.id).where(Adviser.zone_id == demo_legal.id)),
            closure=closure.id,
            rule=db.session.scalar(select(RoutingRule.id).where(
                RoutingRule.centre_id == home.id).order_by(RoutingRule.id)),
            busan_legal=legal.id,
            busan_adviser=db.session.scalar(select(Adviser.id).where(
                Adviser.zone_id == legal.id)))


def staff_client(app, email: str, role: str, **extra) -> Admin:
    """A fresh client signed in as a new staff user (Admin fills in the CSRF token)."""
    client = app.test_client()
    sign_in(app, client, email, role, **extra)
    return Admin(app, client)


def audit_count(app) -> int:
    """How many audit entries there are (a refused change writes none)."""
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEntry.id)))
