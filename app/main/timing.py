"""Slow requests named in the log: over SLOW_REQUEST_MS, the endpoint, time and statements."""

import logging
import time

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event

log = logging.getLogger(__name__)


def _count_statement(*_args) -> None:
    if has_request_context() and "statements" in g:
        g.statements += 1


def _start() -> None:
    g.started, g.statements = time.perf_counter(), 0


def _finish(response):
    if "started" not in g:
        return response
    elapsed = (time.perf_counter() - g.started) * 1000
    if elapsed > current_app.config["SLOW_REQUEST_MS"]:
        log.warning("slow request %s %s: %.0f ms, %d SQL statements, status %s",
                    request.method, request.endpoint or request.path, elapsed, g.statements,
                    response.status_code)
    return response


def register(app: Flask, engine) -> None:
    """Time every request and count its SQL statements on `engine`."""
    event.listen(engine, "before_cursor_execute", _count_statement)
    app.before_request(_start)
    app.after_request(_finish)
