"""The command line of API.md: init-db, seed-demo, create-user, create-token."""

from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import ApiToken, User
from app.extensions import db
from app.intake.models import Need, RoutingRule
from app.tokens import hash_token
from app.types import local_today
from app.zones.models import Adviser, Institution, RotationRule, Zone


def counts(app) -> dict:
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Zone, Institution, Adviser, User, RotationRule, Need, RoutingRule)}


def test_init_db_is_safe_to_repeat(empty_app):
    runner = empty_app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "데이터베이스가 최신 스키마입니다." in result.output  # commands speak Korean


def test_seed_demo_makes_the_demo_centre_once(empty_app):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@onestop.local" in first.output
    assert first.output.count("@onestop.local") == 7  # the admin and six advisers
    before = counts(empty_app)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "@onestop.local" not in second.output  # passwords are printed only once
    assert counts(empty_app) == before
    assert before["Zone"] == 3 and before["Institution"] == 6 and before["Adviser"] == 6


def test_demo_rotations_start_today_for_twelve_weeks(ctx):
    rules = db.session.scalars(select(RotationRule)).all()
    today = local_today()
    assert {rule.valid_from for rule in rules} == {today}
    assert {rule.valid_until for rule in rules} == {today + timedelta(weeks=12, days=-1)}
    assert all(rule.weekday < 5 for rule in rules)  # weekdays only


def test_each_finance_institution_has_its_own_weekdays(ctx):
    days: dict[str, set] = {}
    for rule in db.session.scalars(select(RotationRule)):
        adviser = rule.adviser
        if adviser.zone.code == "finance":
            days.setdefault(adviser.institution.code, set()).add(
                (rule.weekday, rule.every_n_weeks, rule.week_offset))
    assert {d for d, _, _ in days["kdb"]} == {2}
    assert {d for d, _, _ in days["ibk"]} == {3}
    assert (4, 2, 0) in days["kodit"] and (4, 2, 1) in days["kibo"]  # alternate Fridays
    patent_days = {r.weekday for r in db.session.scalars(select(RotationRule))
                   if r.adviser.zone.code == "patent"}
    assert patent_days == {1, 3}


def test_create_user_and_token(runner, app):
    result = runner.invoke(args=["create-user", "New.Adviser@Example.com", "--role", "adviser",
                                 "--password", "correct horse battery", "--zone", "legal",
                                 "--name", "새 상담위원"])
    assert result.exit_code == 0, result.output
    token_run = runner.invoke(args=["create-token", "new.adviser@example.com"])
    assert token_run.exit_code == 0, token_run.output
    token = token_run.output.strip().splitlines()[-1]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "new.adviser@example.com"))
        assert user.adviser.zone.code == "legal" and user.adviser.name == "새 상담위원"
        assert user.password_hash.startswith("scrypt:")
        stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        assert stored.token_hash == hash_token(token) and stored.token_hash != token


def test_create_user_refuses_bad_input(runner, app):
    before = counts(app)
    cases = [
        ["create-user", "a@example.com", "--role", "admin", "--password", "short"],
        ["create-user", "b@example.com", "--role", "adviser", "--password", "long enough pw"],
        ["create-user", "c@example.com", "--role", "adviser", "--password", "long enough pw",
         "--zone", "space"],
        ["create-user", "admin@onestop.local", "--role", "admin", "--password", "long enough pw"],
        ["create-user", "d@example.com", "--role", "adviser", "--password", "long enough pw",
         "--zone", "legal", "--institution", "9999"],
    ]
    for args in cases:
        result = runner.invoke(args=args)
        assert result.exit_code != 0, args
        assert "Error" in result.output
    assert counts(app) == before


def test_create_token_for_unknown_user_fails(runner):
    result = runner.invoke(args=["create-token", "nobody@example.com"])
    assert result.exit_code != 0
    assert "없는 사용자입니다: nobody@example.com" in result.output
