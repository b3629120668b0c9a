"""Error responses: the API's JSON shape under /api, a friendly bilingual page elsewhere."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app.inputs import InputError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
# SQLite's "database is locked", PostgreSQL's lock_timeout / statement_timeout / deadlock.
BUSY_WORDS = ("locked", "lock timeout", "canceling statement", "deadlock")

# status -> (API code, Korean title, English title, Korean message, English message)
MESSAGES = {
    400: ("bad_request", "잘못된 요청입니다", "Bad request",
          "요청을 처리할 수 없습니다. 입력 내용을 확인해 주세요.",
          "The request could not be understood. Please check what was sent."),
    401: ("unauthorized", "로그인이 필요합니다", "Sign-in required",
          "이 기능은 인증이 필요합니다.", "This needs a valid sign-in or API token."),
    403: ("forbidden", "접근 권한이 없습니다", "Forbidden",
          "이 페이지나 기능을 사용할 권한이 없습니다.", "You may not use this page or action."),
    404: ("not_found", "찾을 수 없습니다", "Not found",
          "요청하신 페이지나 항목이 없습니다. 링크를 다시 확인해 주세요.",
          "There is nothing here. Please check the link."),
    405: ("method_not_allowed", "허용되지 않는 방식입니다", "Method not allowed",
          "이 주소는 그 방식의 요청을 받지 않습니다.", "This address does not take that method."),
    409: ("conflict", "처리할 수 없는 상태입니다", "Conflict",
          "현재 상태에서는 요청을 처리할 수 없습니다.",
          "This cannot be done in the current state."),
    413: ("too_large", "요청이 너무 큽니다", "Request too large",
          "보낸 내용이 너무 큽니다 (최대 1MB).", "What was sent is too large (1 MB at most)."),
    422: ("invalid", "입력 내용을 확인해 주세요", "Invalid input",
          "입력 내용에 오류가 있습니다.", "Some fields are not valid."),
    429: ("rate_limited", "요청이 너무 많습니다", "Too many requests",
          "잠시 후 다시 시도해 주세요.", "Please wait a moment and try again."),
    503: ("unavailable", "잠시 이용할 수 없습니다", "Temporarily unavailable",
          "요청이 몰려 처리하지 못했습니다. 잠시 후 다시 시도해 주세요. "
          "입력하신 내용은 저장되지 않았습니다.",
          "The service is busy; please try again in a few seconds. Nothing was saved."),
    500: ("server_error", "일시적인 오류가 발생했습니다", "Something went wrong",
          "불편을 드려 죄송합니다. 잠시 후 다시 시도해 주세요. "
          "입력하신 내용은 저장되지 않았습니다.",
          "Sorry. Please try again shortly; nothing was saved."),
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
    log_refusal(status, message or MESSAGES.get(status, MESSAGES[500])[0])
    code, title, title_en, text, text_en = MESSAGES.get(status, MESSAGES[500])
    if wants_json():
        body = {"error": {"code": code, "message": message or f"{text} / {text_en}"}}
        return jsonify(body), status
    page = render_template(
        "errors/error.html",
        code=status, title=title, title_en=title_en,
        message=message or text, message_en=None if message else text_en,
    )
    return page, status


def register(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_response(
            400,
            "보안 토큰이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 제출해 주세요. "
            "/ The form's security token is missing or expired; reload the page and submit again.",
        )

    @app.errorhandler(InputError)
    def bad_input(error: InputError):
        """A parameter a view parsed with app/inputs and found malformed."""
        return error_response(400, f"{error.field}: {error.message}")

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
