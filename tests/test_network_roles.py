"""Issue 14, the roles: admins and advisers belong to one centre, the national programme
office to none; `create-user --centre`; the guards keep the national role off every page
and call that shows a firm; the staff scope (app/centres/scope.py)."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.centres.errors import UnknownCentre
from app.centres.models import Centre
from app.centres.scope import OtherCentre, own_centre, staff_centre, stats_scope
from app.centres.services import default_centre
from app.extensions import db
from app.states import CENTRE_STAFF, Role
from app.zones.models import Adviser, Zone
from tests.conftest import STAFF_PASSWORD

NATIONAL = "office@onestop.local"


@pytest.fixture
def network(app):
    """A second centre (Busan, with a legal zone) and a national user beside the demo."""
    with app.app_context():
        busan = Centre(code="busan", name="부산창조경제혁신센터", name_en="Busan")
        db.session.add(busan)
        db.session.flush()
        db.session.add(Zone(centre_id=busan.id, code="legal", name="부산 법률존",
                            name_en="Busan legal zone"))
        db.session.add(User(email=NATIONAL, name="전국 사업단", role=Role.NATIONAL,
                            password_hash=generate_password_hash(STAFF_PASSWORD,
                                                                 method="scrypt")))
        db.session.commit()
        return {"busan": busan.id, "default": default_centre().id}


def test_create_user_puts_staff_in_the_named_centre_or_the_default_one(app, network):
    runner = app.test_cli_runner()
    made = [["b-admin@example.com", "--role", "admin", "--centre", "busan"],
            ["b-law@example.com", "--role", "adviser", "--centre", "busan", "--zone", "legal"],
            ["g-admin@example.com", "--role", "admin"],
            ["nat@example.com", "--role", "national"]]
    for args in made:
        result = runner.invoke(args=["create-user", *args, "--password", "long enough pw"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        centre_of = dict(db.session.execute(select(User.email, User.centre_id)).all())
        assert centre_of["b-admin@example.com"] == network["busan"]
        assert centre_of["b-law@example.com"] == network["busan"]
        assert centre_of["g-admin@example.com"] == network["default"]
        assert centre_of["nat@example.com"] is None
        adviser = db.session.scalar(select(Adviser).join(User).where(
            User.email == "b-law@example.com"))
        assert adviser.zone.centre_id == network["busan"]


@pytest.mark.parametrize(("args", "says"), [
    (["--role", "admin", "--centre", "nowhere"], "없는 센터입니다"),
    (["--role", "national", "--centre", "busan"], "센터와 존에 속하지 않습니다"),
    (["--role", "national", "--zone", "legal"], "센터와 존에 속하지 않습니다"),
    (["--role", "adviser", "--centre", "busan", "--zone", "finance"], "finance"),
])
def test_create_user_refuses_what_cannot_be_and_makes_nothing(app, network, args, says):
    with app.app_context():
        before = db.session.scalar(text("SELECT count(*) FROM users"))
    result = app.test_cli_runner().invoke(
        args=["create-user", "x@example.com", *args, "--password", "long enough pw"])
    assert result.exit_code != 0 and says in result.output
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM users")) == before


def test_the_database_keeps_national_users_without_a_centre_and_others_with_one(ctx, network):
    for role, centre_id in ((Role.NATIONAL, network["busan"]), (Role.ADMIN, None)):
        db.session.add(User(email=f"{role}@x.example", name="x", role=role, password_hash="x",
                            centre_id=centre_id))
        if centre_id is None:  # an admin made without a centre gets the default one
            db.session.flush()
            assert db.session.scalar(select(User.centre_id).where(
                User.email == f"{role}@x.example")) == network["default"]
            continue
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


# Pages and calls that show a firm, a person or a message to one: never the national role's.
PERSONAL = ("/adviser", "/api/v1/agenda", "/api/v1/advisers", "/api/v1/appointments",
            "/admin/outbox", "/admin/advisers", "/admin/audit", "/admin/closures/")


def test_the_national_role_is_kept_off_every_page_and_call_that_shows_a_firm(app, network):
    guarded = 0
    for rule in app.url_map.iter_rules():
        roles = getattr(app.view_functions[rule.endpoint], "staff_roles", None)
        if roles is not None and rule.rule.startswith(PERSONAL):
            guarded += 1
            assert Role.NATIONAL not in roles, rule.rule
    assert guarded >= 25
    client = app.test_client()
    page = client.get("/auth/login")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    client.post("/auth/login", data={"email": NATIONAL, "password": STAFF_PASSWORD,
                                     "csrf_token": token.split('"')[0]})
    for path in ("/adviser/", "/adviser/companies", "/auth/profile"):
        status = client.get(path).status_code
        assert status == (200 if path == "/auth/profile" else 403), path


def test_the_staff_scope_is_the_users_own_centre(app, network):
    with app.test_request_context("/"):
        admin = User(email="a@x", name="a", role=Role.ADMIN, centre_id=network["busan"])
        assert own_centre(admin).code == "busan"
        assert own_centre(admin, "busan").code == "busan"
        with pytest.raises(OtherCentre) as refused:
            own_centre(admin, default_centre().code)
        assert refused.value.status == 403
        with pytest.raises(UnknownCentre):
            own_centre(admin, "nowhere")
    with app.test_request_context("/?centre=busan"):
        national = db.session.scalar(select(User).where(User.email == NATIONAL))
        assert staff_centre(national).code == "busan"
        assert stats_scope(national).single.code == "busan"
        assert stats_scope(national, "all").network and stats_scope(national, "all").ids is None
        both = stats_scope(national, f"busan,{default_centre().code}")
        assert {c.code for c in both.centres} == {"busan", default_centre().code}
        assert stats_scope(national, "").single.id == network["default"]
        with pytest.raises(UnknownCentre):
            stats_scope(national, "busan,nowhere")
        admin = User(email="a@x", name="a", role=Role.ADMIN, centre_id=network["busan"])
        with pytest.raises(OtherCentre):
            stats_scope(admin, "all")
    assert set(CENTRE_STAFF) == {Role.ADMIN, Role.ADVISER}
