"""The relay against real SMTP servers on loopback: delivery, timeouts, refusals, retries."""

import logging
import random
import threading
import time
from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.notify.leader import AdvisoryLock, leader_lock
from app.notify.models import OutboxMessage
from app.notify.relay import backoff, relay_outbox
from app.types import utcnow
from tests.helpers import free_port
from tests.smtp import Recorder, mail_config, silent_server, smtp_server
from tests.test_booking_api import make_intake, pick, shared_day
from tests.test_outbox import book


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def later(minutes: float) -> datetime:
    return utcnow() + timedelta(minutes=minutes)


def wait_until_claimed(app, timeout: float = 5.0) -> None:
    """Poll until some row is claimed by a relay (it then talks to the mail server)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.scalar(select(OutboxMessage.id).where(
                    OutboxMessage.claimed_until.is_not(None))):
                return
        time.sleep(0.02)
    raise AssertionError("no row was claimed")


def test_a_booking_is_delivered_once_with_a_calendar_that_parses_back(app, client,
                                                                    intake_payload):
    token = make_intake(client, intake_payload)
    slot = shared_day(client, app, ("legal",))["legal"][0]
    response = client.post("/api/v1/bookings",
                           json={"intake_token": token, "appointments": [pick(slot)]})
    assert response.status_code == 201
    appointment = response.get_json()["booking"]["appointments"][0]
    with smtp_server() as (server, port), app.app_context():
        app.config.update(mail_config(port))
        assert relay_outbox() == {"sent": 1}
        assert relay_outbox() == {}
        [row] = rows()
    [got] = server.received
    assert got.rcpt_tos == [intake_payload["email"]] and row.status == "sent"
    mail = got.message
    assert "방문 예약 확정" in mail["Subject"]
    assert mail["Message-ID"].startswith(f"<outbox-{row.id}-")
    assert "안녕하세요" in mail.get_body(("plain",)).get_content()
    assert "<h1" in mail.get_body(("html",)).get_content()
    [attachment] = [part for part in mail.iter_attachments()
                    if part.get_content_type() == "text/calendar"]
    assert attachment.get_param("method") == "PUBLISH"
    calendar = Calendar.from_ical(attachment.get_content())
    [event] = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert event.decoded("DTSTART").isoformat() == appointment["start"]
    assert event["UID"] == f"appointment-{appointment['id']}@onestop"


def test_smtp_down_for_a_while_then_up_delivers_every_message_once(ctx):
    for n in range(5):
        book(n, slot_index=0)
    port = free_port()  # nothing listens: connection refused
    ctx.config.update(mail_config(port))
    first = relay_outbox()
    assert first == {"pending": 1}  # one attempt, then the batch stops: the server is down
    failed = [r for r in rows() if r.attempts]
    assert len(failed) == 1 and "Connection refused" in failed[0].last_error
    assert failed[0].next_attempt_at > utcnow() + timedelta(seconds=14)
    # While the server is unreachable it is probed once per backoff, not once per message.
    assert relay_outbox(now=later(0.2)) == {}
    assert len([r for r in rows() if r.attempts]) == 1
    for minutes in (1, 2, 3):
        relay_outbox(now=later(minutes))
    assert all(r.status == "pending" for r in rows())
    with smtp_server(port=port) as (server, _):
        for minutes in (60, 61):  # past every backoff
            relay_outbox(now=later(minutes))
    assert [r.status for r in rows()] == ["sent"] * 5
    ids = server.message_ids()
    assert len(ids) == 5 and len(set(ids)) == 5
    assert sorted(rcpt for got in server.received for rcpt in got.rcpt_tos) == [
        f"firm{n}@example.com" for n in range(5)]


def test_a_silent_server_is_given_up_within_the_timeout_and_retried_later(ctx):
    book()
    with silent_server() as port:
        ctx.config.update(mail_config(port, MAIL_TIMEOUT_SECONDS=1.0))
        started = time.monotonic()
        assert relay_outbox() == {"pending": 1}
        elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 2.5
    [row] = rows()
    assert row.attempts == 1 and "timed out" in row.last_error
    assert row.claimed_until is None and row.next_attempt_at > utcnow()
    with smtp_server() as (server, port):
        ctx.config.update(mail_config(port))
        assert relay_outbox() == {}  # not due yet
        assert relay_outbox(now=row.next_attempt_at + timedelta(minutes=1)) == {"sent": 1}
    assert len(server.received) == 1 and rows()[0].attempts == 2


def test_the_booking_request_does_not_wait_for_a_silent_mail_server(app, client,
                                                                   intake_payload):
    with app.app_context():
        book()  # a message for the relay to be stuck on
    slot = shared_day(client, app, ("legal",))["legal"][0]
    token = make_intake(client, intake_payload)
    with silent_server() as port:
        app.config.update(mail_config(port, MAIL_TIMEOUT_SECONDS=3.0))
        def relay():
            with app.app_context():
                relay_outbox()

        stuck = threading.Thread(target=relay)
        stuck.start()
        wait_until_claimed(app)  # the relay now waits for the silent server's greeting
        started = time.monotonic()
        response = client.post("/api/v1/bookings",
                               json={"intake_token": token, "appointments": [pick(slot)]})
        latency = time.monotonic() - started
        assert stuck.is_alive()  # the relay is still waiting while the booking is done
        stuck.join()
    assert response.status_code == 201
    assert latency < 1.0, latency
    with app.app_context():
        assert [r.kind for r in rows()] == ["booked", "booked"]


@pytest.mark.parametrize("refusal", [{"reply_rcpt": "550 5.1.1 No such user"},
                                     {"reply_data": "550 5.7.1 Message refused"}])
def test_a_permanent_refusal_fails_at_once_without_retry(ctx, refusal, caplog):
    book()
    with smtp_server(Recorder(**refusal)) as (server, port):
        ctx.config.update(mail_config(port))
        assert relay_outbox() == {"failed": 1}
        assert "not sent" in caplog.text and "@" not in caplog.text  # the log names no one
        assert relay_outbox(now=later(600)) == {}
    [row] = rows()
    assert row.status == "failed" and row.attempts == 1 and "550" in row.last_error
    assert server.received == []


@pytest.mark.parametrize("refusal", [{"reply_rcpt": "450 4.2.1 Mailbox busy"},
                                     {"reply_data": "421 4.3.2 Try again later"}])
def test_a_temporary_refusal_is_retried(ctx, refusal):
    book()
    handler = Recorder(**refusal)
    with smtp_server(handler) as (server, port):
        ctx.config.update(mail_config(port))
        assert relay_outbox() == {"pending": 1}
        handler.reply_rcpt = handler.reply_data = None
        assert relay_outbox(now=later(60)) == {"sent": 1}
    [row] = rows()
    assert row.status == "sent" and row.attempts == 2 and len(server.received) == 1


def test_after_the_attempt_limit_a_message_is_dead(ctx):
    book()
    ctx.config.update(mail_config(free_port(), OUTBOX_MAX_ATTEMPTS=3))
    outcomes = [relay_outbox(now=later(minutes)) for minutes in (0, 60, 120, 180)]
    assert outcomes == [{"pending": 1}, {"pending": 1}, {"dead": 1}, {}]
    [row] = rows()
    assert row.status == "dead" and row.attempts == 3


def test_backoff_doubles_with_jitter_up_to_its_cap():
    rng = random.Random(5)
    for attempts in range(1, 12):
        delay = min(3600, 30 * 2 ** (attempts - 1))
        draws = {backoff(attempts, 30, 3600, rng).total_seconds() for _ in range(20)}
        assert all(delay / 2 <= d <= delay for d in draws)
        assert len(draws) > 1  # jittered: two relays do not retry in step


def test_without_a_mail_server_messages_are_logged_and_marked_sent(ctx, caplog):
    book()
    ctx.config["MAIL_SERVER"] = ""
    with caplog.at_level(logging.INFO, logger="app.notify.relay"):
        assert relay_outbox() == {"sent": 1}
    assert "방문 예약 확정" in caplog.text and "firm1@example.com" in caplog.text


def relays_at_once(app, count: int, messages: int) -> list[str]:
    """Book `messages` visits, run `count` relays released together; the Message-IDs received."""
    with app.app_context():
        for n in range(messages):
            book(n, slot_index=0)
    with smtp_server() as (server, port):
        app.config.update(mail_config(port, OUTBOX_BATCH_SIZE=100))
        barrier = threading.Barrier(count)

        def relay():
            with app.app_context():
                barrier.wait()
                relay_outbox()

        threads = [threading.Thread(target=relay) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with app.app_context():
        assert {r.status for r in rows()} == {"sent"} and {r.attempts for r in rows()} == {1}
    return server.message_ids()


def test_two_relays_at_once_never_send_a_message_twice(app):
    ids = relays_at_once(app, 2, 24)
    assert len(ids) == 24 and len(set(ids)) == 24


@pytest.mark.slow
def test_on_postgresql_rows_are_claimed_skipping_locked_ones_and_one_scheduler_leads(pg_app):
    with pg_app.app_context():
        first, second = leader_lock(pg_app, db.engine), AdvisoryLock(db.engine)
        assert isinstance(first, AdvisoryLock)
        assert first.acquire() and not second.acquire() and first.alive()
        first.release()
        assert second.acquire()
        second.release()
    ids = relays_at_once(pg_app, 3, 12)
    assert len(ids) == 12 and len(set(ids)) == 12
