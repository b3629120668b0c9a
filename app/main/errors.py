"""Error responses: the API's JSON shape under /api, a friendly page elsewhere, in the
reader's language (API.md: `message` follows Accept-Language; `code` never changes)."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app.errors import DomainError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
# SQLite's "database is locked", PostgreSQL's lock_timeout / statement_timeout / deadlock.
BUSY_WORDS = ("locked", "lock timeout", "canceling statement", "deadlock")

# status -> (API code, title, message), in the reader's language when shown.
MESSAGES = {
    400: ("bad_request", _l("Bad request"),
          _l("The request could not be understood. Please check what was sent.")),
    401: ("unauthorized", _l("Sign-in required"),
          _l("This needs a valid sign-in or API token.")),
    403: ("forbidden", _l("Forbidden"), _l("You may not use this page or action.")),
    404: ("not_found", _l("Not found"), _l("There is nothing here. Please check the link.")),
    405: ("method_not_allowed", _l("Method not allowed"),
          _l("This address does not take that method.")),
    409: ("conflict", _l("Conflict"), _l("This cannot be done in the current state.")),
    413: ("too_large", _l("Request too large"), _l("What was sent is too large (1 MB at most).")),
    422: ("invalid", _l("Invalid input"), _l("Some fields are not valid.")),
    429: ("rate_limited", _l("Too many requests"), _l("Please wait a moment and try again.")),
    503: ("unavailable", _l("Temporarily unavailable"),
          _l("The service is busy; please try again in a few seconds. Nothing was saved.")),
    500: ("server_error", _l("Something went wrong"),
          _l("Sorry. Please try again shortly; nothing was saved.")),
}


def wants_json() -> bool:
    """True for API calls, which always answer in JSON."""
    return request.path.startswith("/api/")


def log_refusal(status: int, reason: str) -> None:
    """Refusals are logged with who asked for what, so staff can see attempts."""
    if status in (400, 401, 403, 409, 413, 422, 429):
        log.warning("refused %s %s %s from %s: %s", status, request.method, request.path,
                    request.remote_addr, reason)


def error_response(status: int, message: str | None = None):
    """The response for an error status, in the API's shape or as a page."""
    code, title, text = MESSAGES.get(status, MESSAGES[500])
    log_refusal(status, message or code)
    message = str(message or text)
    if wants_json():
        return jsonify({"error": {"code": code, "message": message}}), status
    return render_template("errors/error.html", code=status, title=title, message=message), status


def register(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_response(400, _("The form's security token is missing or expired; "
                                     "reload the page and submit again."))

    @app.errorhandler(DomainError)
    def refused(error: DomainError):
        """A domain error no form showed: a parameter a view parsed with app/inputs and found
        malformed (400, naming it), or a rule a service refused, with its status."""
        return error_response(error.status, error.reason)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = error_response(error.code or 500)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            body, status = response
            return body, status, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        """A database busy past its lock timeout (or out of reach): 503, try again shortly.

        The statement's parameters are not in the message (hide_parameters), so the log line
        carries no personal data."""
        from app.extensions import db

        db.session.rollback()
        busy = any(word in str(error.orig).lower() for word in BUSY_WORDS)
        if busy:
            log.warning("database busy on %s %s: %s", request.method, request.path,
                        str(error.orig).splitlines()[0])
        else:
            log.error("database unavailable on %s %s", request.method, request.path,
                      exc_info=error)
        body, status = error_response(503)
        return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if app.config.get("PROPAGATE_UNEXPECTED_ERRORS"):
            raise error  # tests see the real traceback instead of a polite page
        log.exception("unhandled error on %s %s", request.method, request.path)
        from app.extensions import db

        db.session.rollback()
        return error_response(500)
