"""Parsing the booking endpoints' bodies into booking requests."""

from datetime import datetime

from app.api.errors import invalid
from app.booking.services import Request

START_HINT = "시작 시각은 오프셋이 있는 ISO 8601입니다 (예: 2026-12-01T10:00:00+09:00). " \
             "/ start is ISO 8601 with an offset."


def parse_requests(items) -> list[Request]:
    """The `appointments` list as Requests, or 422 naming each bad entry."""
    if not isinstance(items, list) or not items:
        raise invalid({"appointments": [
            "상담을 하나 이상 보내 주세요. / Send a list of one to three appointments."]})
    requests, problems = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"[{index}]: 객체여야 합니다. / must be an object.")
            continue
        zone, adviser_id, start = item.get("zone"), item.get("adviser_id"), item.get("start")
        if not isinstance(zone, str) or not zone:
            problems.append(f"[{index}].zone: 필수 항목입니다. / zone is required.")
        if not isinstance(adviser_id, int) or isinstance(adviser_id, bool):
            problems.append(f"[{index}].adviser_id: 정수여야 합니다. / must be an integer.")
        moment = None
        if isinstance(start, str):
            try:
                moment = datetime.fromisoformat(start)
            except ValueError:
                moment = None
        if moment is None or moment.tzinfo is None:
            problems.append(f"[{index}].start: {START_HINT}")
        if not problems:
            requests.append(Request(zone, adviser_id, moment))
    if problems:
        raise invalid({"appointments": problems})
    return requests
