"""The scheduler: fixed jobs, one leader, and real processes that never send twice."""

import logging
import os
import re
import runpy
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta

import click
import pytest
from sqlalchemy import func, select, update

from app import create_app
from app.booking.models import Appointment, Booking
from app.booking.services import Request, book_visit
from app.extensions import db
from app.notify.leader import FileLock, leader_lock
from app.notify.models import OutboxMessage
from app.notify.scheduler import (
    REGISTRY,
    ScheduledJob,
    add_jobs,
    build_scheduler,
    in_process_wanted,
    run_scheduler,
)
from app.types import utcnow
from app.zones.availability import free_slots
from config import CONFIGS
from tests.helpers import ROOT, start_gunicorn, stop
from tests.smtp import Recorder, silent_server, smtp_server
from tests.test_booking_api import pick
from tests.test_booking_race import call
from tests.test_outbox import book, new_intake, open_day
from tests.test_relay import wait_until_claimed

# The scheduler says which process took the lead (a file lock on SQLite, an advisory lock on
# PostgreSQL: the log names it either way).
LEADING = re.compile(r"scheduler (\d+): leading")
JOB_IDS = {"outbox-relay", "outbox-prune", "booking-reminders", "waitlist-expiry",
           "visits-no-show", "visits-agenda",
           "intake-retention-purge", "admin-weekly-summary", "stats-rollup-check"}


def test_every_job_has_a_fixed_id_coalesces_and_runs_alone(app):
    assert set(app.extensions[REGISTRY]) == JOB_IDS
    scheduler = build_scheduler(app)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(jobs) == JOB_IDS
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == app.config["SCHEDULER_MISFIRE_GRACE_SECONDS"] >= 3600
    assert jobs["outbox-relay"].trigger.interval == timedelta(seconds=5)
    assert jobs["booking-reminders"].trigger.interval == timedelta(minutes=5)


def test_settings_come_from_the_environment_unless_create_app_set_them(app, monkeypatch):
    monkeypatch.setenv("REMINDER_HOUR", "18")
    monkeypatch.setenv("SCHEDULER_INTERVAL_SCALE", "0.01")
    fresh = runpy.run_path(str(ROOT / "config.py"))  # config.py read as a new process reads it
    monkeypatch.setitem(CONFIGS, "testing", fresh["TestingConfig"])
    built = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SCHEDULER_INTERVAL_SCALE": 2.0})
    try:
        assert built.config["REMINDER_HOUR"] == 18  # from the environment, typed like its default
        assert type(built.config["REMINDER_HOUR"]) is int
        assert built.config["SCHEDULER_INTERVAL_SCALE"] == 2.0  # an explicit setting wins
        assert built.config["OUTBOX_KEEP_DAYS"] == 180  # and the default where neither says
    finally:
        with built.app_context():
            db.engine.dispose()


def test_one_file_lock_one_leader(tmp_path):
    first, second = FileLock(tmp_path / "s.lock"), FileLock(tmp_path / "s.lock")
    assert first.acquire() and first.acquire()  # taking it again is harmless
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.sqlite_only
def test_the_lock_file_sits_beside_the_sqlite_database(app):
    with app.app_context():
        lock = leader_lock(app, db.engine)
    assert lock.path == app.config["DATABASE_PATH"].parent / "scheduler.lock"


def test_jobs_run_in_process_only_under_flask_run(app, monkeypatch):
    app.config["SCHEDULER_IN_PROCESS"] = True
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    assert not in_process_wanted(app)  # gunicorn, a worker, a test: no click context
    for name, reload, main, wanted in [("run", False, None, True), ("run", True, None, False),
                                       ("run", True, "true", True),
                                       ("seed-demo", False, None, False)]:
        if main:
            monkeypatch.setenv("WERKZEUG_RUN_MAIN", main)
        with click.Context(click.Command(name), info_name=name) as context:
            context.params["reload"] = reload
            assert in_process_wanted(app) is wanted, (name, reload, main)
    app.config["SCHEDULER_IN_PROCESS"] = False
    with click.Context(click.Command("run"), info_name="run") as context:
        context.params["reload"] = False
        assert not in_process_wanted(app)


def test_a_second_scheduler_waits_while_the_first_leads(app, caplog):
    runs = []
    app.extensions[REGISTRY] = {}
    add_jobs(app, [ScheduledJob("test-job", lambda: runs.append(1), 0.5)])
    app.config["SCHEDULER_STANDBY_SECONDS"] = 0.2
    stops = [threading.Event(), threading.Event()]
    with caplog.at_level(logging.INFO, logger="app.notify.scheduler"):
        leader = threading.Thread(target=run_scheduler, args=(app, stops[0]))
        leader.start()
        deadline = time.monotonic() + 10
        while len(runs) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        standby = threading.Thread(target=run_scheduler, args=(app, stops[1]))
        standby.start()
        time.sleep(0.5)
        for stop_event in stops:
            stop_event.set()
        leader.join(10)
        standby.join(10)
    assert len(runs) >= 2
    assert caplog.text.count("leading") == 1 and "standby" in caplog.text


def test_the_scheduler_command_is_registered(runner):
    result = runner.invoke(args=["scheduler", "--help"])
    assert result.exit_code == 0 and "standby" in result.output


def test_the_scheduler_command_says_what_it_runs_in_korean(runner, monkeypatch):
    """Commands speak Korean (README "Languages"), one language."""
    monkeypatch.setattr("app.notify.scheduler.run_scheduler", lambda app, stop: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # leave pytest's own handlers
    result = runner.invoke(args=["scheduler"])
    assert result.exit_code == 0, result.output
    started, stopped = result.output.splitlines()
    assert started.startswith(f"스케줄러 {os.getpid()}: ") and "outbox-relay" in started
    assert stopped == f"스케줄러 {os.getpid()} 종료"


# --- real processes -------------------------------------------------------------------------

def start_scheduler(database_url: str, mail_port: int, log_path, **env) -> subprocess.Popen:
    """`flask --app wsgi scheduler` over the test's database, every job sped up."""
    settings = {"ONESTOP_ENV": "production", "SECRET_KEY": "scheduler-test",
                "DATABASE_URL": database_url, "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(mail_port), "OUTBOX_INTERVAL_SECONDS": "1",
                "SCHEDULER_INTERVAL_SCALE": "0.01", "SCHEDULER_STANDBY_SECONDS": "1",
                "OUTBOX_RETRY_BASE_SECONDS": "1", "REMINDER_HOUR": "0", **env}
    with open(log_path, "ab") as log:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"],
                                cwd=ROOT, env={**os.environ, **settings},
                                stdout=log, stderr=subprocess.STDOUT)


def end(process: subprocess.Popen, sig: int = signal.SIGTERM) -> int:
    """Stop a process started here by its pid; returns its exit code."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def outbox_state(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(OutboxMessage.status, func.count())
                                       .group_by(OutboxMessage.status)).all())


def wait_for_drain(app, timeout: float = 60) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = outbox_state(app)
        if set(state) == {"sent"}:
            return state
        time.sleep(0.25)
    return outbox_state(app)


def make_reminders_due(app, count: int) -> list[int]:
    """Bookings made days ago whose visit is tomorrow: their reminders are due now."""
    ids = []
    with app.app_context():
        for n in range(count):
            booking, _ = book(100 + n, slot_index=0)
            start = utcnow().replace(microsecond=0) + timedelta(hours=12, minutes=n)
            db.session.execute(update(Appointment).where(Appointment.booking_id == booking.id)
                               .values(starts_at=start, ends_at=start + timedelta(minutes=1)))
            db.session.execute(update(Booking).where(Booking.id == booking.id)
                               .values(created_at=utcnow() - timedelta(days=3)))
            ids.append(booking.id)
        db.session.commit()
    return ids


@pytest.mark.slow
def test_two_scheduler_processes_for_a_minute_send_nothing_twice(app, tmp_path):
    seconds = float(os.environ.get("ONESTOP_SCHEDULER_TEST_SECONDS", "60"))
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    reminded = make_reminders_due(app, 4)
    with app.app_context():
        for n in range(20):
            book(n, slot_index=0)
        # Pre-screens for the bookings made while the schedulers run. (Made now, because
        # submit_intake reads before it writes in a deferred transaction, which SQLite
        # refuses at once when another process wrote in between; booking takes the lock.)
        intakes = [new_intake(200 + n) for n in range(int(seconds) + 5)]
    with smtp_server() as (server, port):
        log = tmp_path / "schedulers.log"
        processes = [start_scheduler(url, port, log) for _ in range(2)]
        started, handed_over = time.monotonic(), False
        while time.monotonic() - started < seconds:
            with app.app_context():  # the web keeps booking meanwhile
                day = open_day()
                slot = free_slots("legal", day, day)[0]
                book_visit(intakes.pop(), [Request("legal", slot.adviser_id, slot.start)])
            if not handed_over and time.monotonic() - started > seconds / 2:
                leader_pid = int(LEADING.findall(log.read_text())[-1])
                [leader] = [p for p in processes if p.pid == leader_pid]
                assert end(leader) == 0  # a clean stop; the standby takes over
                processes[processes.index(leader)] = start_scheduler(url, port, log)
                handed_over = True
            time.sleep(1.0)
        state = wait_for_drain(app)
        # Leadership while running; stopping them one after the other below may hand it on
        # once more, which is the standby doing its job, not part of what is measured.
        leaderships = log.read_text().count("leading")
        codes = [end(p) for p in processes]
    ids = server.message_ids()
    duplicates = len(ids) - len(set(ids))
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        reminders = db.session.scalars(select(OutboxMessage.dedupe_key)
                                       .where(OutboxMessage.kind == "reminder")).all()
    print(f"\ntwo schedulers, {seconds:.0f} s: {rows} messages written, {len(ids)} delivered, "
          f"{duplicates} duplicates, {len(reminders)} reminders")
    assert codes == [0, 0] and state == {"sent": rows}
    assert duplicates == 0 and len(ids) == rows
    assert sorted(int(key.split(":")[1]) for key in reminders) == reminded
    assert leaderships == 2  # the first leader, then the one after it


@pytest.mark.slow
def test_a_relay_killed_mid_batch_resends_only_the_message_in_flight(app, tmp_path):
    with app.app_context():
        for n in range(6):
            book(n, slot_index=0)
    handler = Recorder(hold={3: 5.0})  # the third message: recorded, but no answer for 5 s
    with smtp_server(handler) as (server, port):
        log = tmp_path / "relay.log"
        first = start_scheduler(app.config["SQLALCHEMY_DATABASE_URI"], port, log,
                                OUTBOX_LEASE_SECONDS="3", OUTBOX_RETRY_BASE_SECONDS="30")
        deadline = time.monotonic() + 30
        while len(server.received) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        end(first, signal.SIGKILL)  # killed while the third message is in flight
        in_flight = server.received[2].message_id
        second = start_scheduler(app.config["SQLALCHEMY_DATABASE_URI"], port, log,
                                 OUTBOX_LEASE_SECONDS="3")
        state = wait_for_drain(app)
        end(second)
    ids = server.message_ids()
    rows = sum(state.values())  # the six confirmations, and whatever the other jobs wrote
    assert rows >= 6 and state == {"sent": rows}
    assert len(set(ids)) == rows
    assert [i for i in set(ids) if ids.count(i) > 1] == [in_flight]  # only that one, once more
    assert len(ids) == rows + 1


def book_over_http(base: str, token: str) -> float:
    """Book the first free legal slot through the API; returns the booking request's seconds."""
    today = utcnow().date()
    _, found = call("GET", f"{base}/api/v1/slots?zone=legal&from={today}"
                           f"&to={today + timedelta(days=30)}")
    started = time.monotonic()
    status, body = call("POST", f"{base}/api/v1/bookings", {
        "intake_token": token, "appointments": [pick(found["slots"][0])]})
    assert status == 201, body
    return time.monotonic() - started


@pytest.mark.slow
def test_bookings_stay_fast_while_the_relay_waits_on_a_silent_server(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        book()
        intakes = [new_intake(300 + n) for n in range(20)]  # see the two-scheduler test
    server, base = start_gunicorn(url, workers=2)
    try:
        book_over_http(base, intakes.pop())  # warm both workers up
        book_over_http(base, intakes.pop())
        calm = [book_over_http(base, intakes.pop()) for _ in range(8)]  # no relay running
        with silent_server() as port:
            relay = start_scheduler(url, port, tmp_path / "relay.log",
                                    MAIL_TIMEOUT_SECONDS="10")
            try:
                wait_until_claimed(app, timeout=20)  # the relay now waits on the silent server
                started = time.monotonic()
                stuck = [book_over_http(base, intakes.pop()) for _ in range(8)]
                assert time.monotonic() - started < 10  # all made inside one relay timeout
            finally:
                end(relay)
    finally:
        stop(server)
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
    print(f"\nbooking latency, SMTP silent and the relay stuck on it: median "
          f"{statistics.median(stuck) * 1000:.0f} ms, max {max(stuck) * 1000:.0f} ms "
          f"(no relay: median {statistics.median(calm) * 1000:.0f} ms, "
          f"max {max(calm) * 1000:.0f} ms)")
    assert len([r for r in rows if r.kind == "booked"]) == 19  # every booking wrote its row
    assert {r.status for r in rows} == {"pending"} and any(r.attempts for r in rows)
    assert max(stuck) < 1.0
    assert statistics.median(stuck) < statistics.median(calm) + 0.5  # noise, not a timeout
