"""Scheduled jobs: a registry the app factory fills, APScheduler 3 to run it, one leader.

Each domain hands its jobs over as `ScheduledJob`s (a fixed id, a function run inside an
app context, an interval); the settings they read are in config.py. `flask --app wsgi
scheduler` runs them in the foreground; with SCHEDULER_IN_PROCESS=1 the development server
runs them in a thread. Either way the leader lock decides who runs: a second process waits
on standby. Every job is also safe on its own when run twice (claims, stamps and dedupe
keys).
"""

import atexit
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import click
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask.helpers import get_debug_flag
from flask_babel import gettext as _

from app.extensions import db
from app.notify.leader import leader_lock
from app.types import center_tz

log = logging.getLogger(__name__)

REGISTRY = "onestop_jobs"


@dataclass(frozen=True)
class ScheduledJob:
    """A job with a fixed id, run every `every` seconds (or the setting of that name).

    `refuses`, called in an app context, says why the job must not run in this configuration
    (None when it may): the scheduler then refuses to start rather than run it.
    """

    id: str
    func: Callable[[], object]
    every: float | str
    refuses: Callable[[], str | None] | None = None


def add_jobs(app: Flask, jobs: Iterable[ScheduledJob]) -> None:
    """Register jobs; the settings they read are config.py's (environment over default)."""
    registry = app.extensions.setdefault(REGISTRY, {})
    for job in jobs:
        registry[job.id] = job


def interval_of(app: Flask, job: ScheduledJob) -> float:
    """The job's interval in seconds, scaled by SCHEDULER_INTERVAL_SCALE (at least 0.5 s)."""
    seconds = app.config[job.every] if isinstance(job.every, str) else job.every
    return max(0.5, float(seconds) * app.config["SCHEDULER_INTERVAL_SCALE"])


def refusals(app: Flask) -> list[str]:
    """Why registered jobs cannot run in this configuration, one line each (empty: all can)."""
    with app.app_context():
        found = [(job.id, job.refuses()) for job in app.extensions.get(REGISTRY, {}).values()
                 if job.refuses is not None]
    return [f"{job_id}: {reason}" for job_id, reason in found if reason]


def run_job(app: Flask, job_id: str) -> None:
    """Run one registered job in a fresh app context (its own database session)."""
    with app.app_context():
        app.extensions[REGISTRY][job_id].func()


def build_scheduler(app: Flask) -> BackgroundScheduler:
    """An APScheduler holding every registered job: fixed ids, coalesce, one instance each."""
    # Every run is logged at INFO by APScheduler; keep its failures and misfires only.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = BackgroundScheduler(
        timezone=app.config["CENTER_TIMEZONE"],
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": app.config["SCHEDULER_MISFIRE_GRACE_SECONDS"]})
    with app.app_context():
        start = datetime.now(center_tz())
    for job in app.extensions.get(REGISTRY, {}).values():
        # The first run is at once: after a stop, whatever fell due meanwhile goes out now.
        scheduler.add_job(run_job, IntervalTrigger(seconds=interval_of(app, job)),
                          args=(app, job.id), id=job.id, name=job.id, replace_existing=True,
                          next_run_time=start)
    return scheduler


def run_scheduler(app: Flask, stop: threading.Event) -> None:
    """Wait for the leader lock, run the jobs while it is held, until `stop` is set."""
    with app.app_context():
        lock = leader_lock(app, db.engine)
    pause = app.config["SCHEDULER_STANDBY_SECONDS"]
    while not stop.is_set():
        if not lock.acquire():
            log.info("scheduler %s: standby, another process leads", os.getpid())
            stop.wait(pause)
            continue
        log.info("scheduler %s: leading, jobs %s", os.getpid(),
                 ", ".join(app.extensions.get(REGISTRY, {})))
        scheduler = build_scheduler(app)
        scheduler.start()
        try:
            while not stop.wait(pause):
                if not lock.alive():
                    log.error("scheduler %s: leader lock lost, back to standby", os.getpid())
                    break
        finally:
            scheduler.shutdown(wait=True)
            lock.release()


def in_process_wanted(app: Flask) -> bool:
    """SCHEDULER_IN_PROCESS=1 and this is the process `flask run` serves from.

    Never under gunicorn or another CLI command, and not in the reloader's watching parent.
    """
    if not app.config.get("SCHEDULER_IN_PROCESS"):
        return False
    context = click.get_current_context(silent=True)
    if context is None or context.info_name != "run":
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def start_in_process(app: Flask) -> threading.Thread | None:
    """Run the scheduler in a thread of the development server, if wanted."""
    if not in_process_wanted(app):
        return None
    refused = refusals(app)
    if refused:
        log.error("scheduler not started: %s", "; ".join(refused))
        return None
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=(app, stop), daemon=True,
                              name="onestop-scheduler")
    thread.start()

    def _stop() -> None:
        stop.set()
        thread.join(timeout=30)

    atexit.register(_stop)
    return thread


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run every scheduled job in the foreground until stopped; a second one waits as standby."""
    app = current_app._get_current_object()
    refused = refusals(app)
    if refused:
        raise click.ClickException("\n".join([_("The scheduler does not start:"), *refused]))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(_("Scheduler %(pid)s: %(jobs)s", pid=os.getpid(),
                 jobs=", ".join(app.extensions.get(REGISTRY, {}))))
    run_scheduler(app, stop)
    click.echo(_("Scheduler %(pid)s stopped", pid=os.getpid()))
