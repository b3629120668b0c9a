"""The API's error shape and the helpers that raise it; `message` is in the reader's
language (Accept-Language), `code` and the `fields` keys never change."""

from flask import jsonify
from flask_babel import gettext as _

from app.main.errors import log_refusal


class ApiError(Exception):
    """An error answered as {"error": {"code", "message", "fields"?}} with a status."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields

    def response(self):
        log_refusal(self.status, f"{self.code}: {self.message}")
        body: dict = {"code": self.code, "message": str(self.message)}
        if self.fields is not None:
            body["fields"] = self.fields
        return jsonify({"error": body}), self.status


def invalid(fields: dict[str, list[str]]) -> ApiError:
    """422 naming every bad field."""
    return ApiError(422, "invalid", _("Some fields are not valid."), fields)


def not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)
