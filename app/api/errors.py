"""The API's error shape and the helpers that raise it; `message` is in the reader's
language (Accept-Language), `code` and the `fields` keys never change."""

from flask import jsonify
from flask_babel import gettext as _

from app.errors import DomainError
from app.main.errors import log_refusal


class ApiError(DomainError):
    """An error answered as {"error": {"code", "message", "fields"?}} with a status; `fields`
    only for validation errors (422), as API.md says."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message, fields)
        self.status, self.code = status, code

    def response(self):
        log_refusal(self.status, f"{self.code}: {self.message}")
        body: dict = {"code": self.code, "message": str(self.message)}
        if self.fields or self.status == 422:
            body["fields"] = self.fields
        return jsonify({"error": body}), self.status


def answer(error: DomainError) -> ApiError:
    """The API's answer to any domain error: its status, code and message; a 422 names the
    fields at fault (or the family's own field) under the one message of API.md's `invalid`."""
    if isinstance(error, ApiError):
        return error
    if error.status == 422:
        return invalid(error.fields or ({error.field: [error.message]} if error.field else {}))
    return ApiError(error.status, error.code, error.reason)


def invalid(fields: dict[str, list[str]]) -> ApiError:
    """422 naming every bad field."""
    return ApiError(422, "invalid", _("Some fields are not valid."), fields)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)
