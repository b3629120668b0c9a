"""Parsing the booking endpoints' bodies into booking requests."""

from flask_babel import gettext as _

from app.api.errors import invalid
from app.booking.services import Request
from app.inputs import InputError, parse_id, parse_moment, parse_text

MAX_APPOINTMENTS = 10  # the service allows three; more is refused before anything is parsed


def parse_requests(items) -> list[Request]:
    """The `appointments` list as Requests, or 422 naming each bad entry."""
    if not isinstance(items, list) or not items or len(items) > MAX_APPOINTMENTS:
        raise invalid({"appointments": [_("Send a list of one to three appointments.")]})
    requests, problems = [], []
    not_an_object = _("Must be an object.")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"[{index}]: {not_an_object}")
            continue
        values = {}
        for name, parse, options in (("zone", parse_text, {"required": True, "max_length": 50}),
                                     ("adviser_id", parse_id, {}),
                                     ("start", parse_moment, {})):
            try:
                values[name] = parse(item.get(name), name, **options)
            except InputError as error:
                problems.append(f"[{index}].{name}: {error.message}")
        if not problems:
            requests.append(Request(values["zone"], values["adviser_id"], values["start"]))
    if problems:
        raise invalid({"appointments": problems})
    return requests
