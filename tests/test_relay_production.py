"""Production without MAIL_SERVER: the relay never writes a body to the log nor marks it sent.

Development and tests keep the console fallback (the `make run` default).
"""

import logging
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.outbox import render_stored as said
from app.notify.relay import relay_outbox
from app.notify.scheduler import in_process_wanted, refusals, start_in_process
from config import DevelopmentConfig, ProductionConfig, TestingConfig
from tests.helpers import ROOT
from tests.test_outbox import book


@pytest.fixture
def production_app(make_app, monkeypatch):
    """An app of ProductionConfig (ONESTOP_ENV=production) on the demo centre, no MAIL_SERVER."""
    monkeypatch.setenv("ONESTOP_ENV", "production")
    return make_app(SECRET_KEY="production-test", MAIL_SERVER="")


def test_only_development_and_tests_may_log_mail_instead_of_sending_it():
    assert DevelopmentConfig.MAIL_CONSOLE_FALLBACK is True
    assert TestingConfig.MAIL_CONSOLE_FALLBACK is True
    assert ProductionConfig.MAIL_CONSOLE_FALLBACK is False


def test_in_production_the_relay_leaves_messages_pending_and_logs_the_refusal_once(
        production_app, caplog):
    assert production_app.config["MAIL_CONSOLE_FALLBACK"] is False
    with production_app.app_context():
        book()
        with caplog.at_level(logging.INFO, logger="app.notify.relay"):
            assert relay_outbox() == {}
            assert relay_outbox() == {}
        [row] = db.session.scalars(select(OutboxMessage))
        assert (row.status, row.attempts, row.claimed_until) == ("pending", 0, None)
        recipient, subject = row.recipient, said(row).subject
    [record] = [r for r in caplog.records if r.name == "app.notify.relay"]
    assert record.levelno == logging.ERROR and "MAIL_SERVER" in record.getMessage()
    assert recipient not in caplog.text and subject not in caplog.text
    assert "/booking/" not in caplog.text


def test_in_production_the_scheduler_refuses_to_start_without_mail_server(production_app):
    assert [line.split(":")[0] for line in refusals(production_app)] == ["outbox-relay"]
    result = production_app.test_cli_runner().invoke(args=["scheduler"])
    assert result.exit_code == 1
    # Commands speak Korean (README "Languages"), in one language.
    assert result.output.splitlines() == [
        "Error: 스케줄러를 시작하지 않습니다:",
        "outbox-relay: MAIL_SERVER가 설정되지 않았습니다. 운영 환경에서는 메일을 로그에 쓰지 "
        "않습니다(본문에 개인 링크가 있습니다). MAIL_SERVER를 설정해 주세요."]
    production_app.config["MAIL_SERVER"] = "smtp.example.kr"
    assert refusals(production_app) == []


def test_in_production_flask_run_does_not_start_the_jobs_without_mail_server(
        production_app, monkeypatch, caplog):
    import click

    production_app.config["SCHEDULER_IN_PROCESS"] = True
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    with click.Context(click.Command("run"), info_name="run") as context:
        context.params["reload"] = False
        assert in_process_wanted(production_app)
        with caplog.at_level(logging.ERROR, logger="app.notify.scheduler"):
            assert start_in_process(production_app) is None
    assert "scheduler not started" in caplog.text and "MAIL_SERVER" in caplog.text


def test_the_real_scheduler_process_exits_at_once_with_the_reason(app, tmp_path):
    with app.app_context():
        book()
    env = {**os.environ, "ONESTOP_ENV": "production", "SECRET_KEY": "scheduler-test",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "MAIL_SERVER": ""}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "outbox-relay: MAIL_SERVER가 설정되지 않았습니다." in done.stderr
    assert "MAIL_SERVER를 설정해 주세요." in done.stderr and "set MAIL_SERVER" not in done.stderr
    assert "firm1@example.com" not in done.stdout + done.stderr
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.status)) == "pending"


def test_in_development_and_tests_the_console_fallback_stays(ctx, caplog):
    assert refusals(ctx) == []
    book()
    ctx.config["MAIL_SERVER"] = ""
    with caplog.at_level(logging.INFO, logger="app.notify.relay"):
        assert relay_outbox() == {"sent": 1}
    assert "firm1@example.com" in caplog.text and "ERROR" not in caplog.text
