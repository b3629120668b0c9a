"""Editing the centre's own facts (names, address, phone, hours, directions, privacy
officer), which every page's footer, the privacy policy and the messages show."""

from urllib.parse import urlsplit

from flask_babel import gettext as _

from app.admin.manage import REQUIRED, add_problem, apply_changes, get_row, raise_problems
from app.auth.models import User
from app.centres.models import Centre
from app.centres.services import forget_current_centre
from app.extensions import db
from app.intake.rules import normalise_phone

CENTRE_FIELDS = ("name", "name_en", "region", "address", "address_en", "phone", "hours",
                 "hours_en", "directions_url", "privacy_officer", "privacy_department",
                 "privacy_phone", "privacy_email")
PHONES = ("phone", "privacy_phone")


def phone_problem(value: str) -> str | None:
    """What is wrong with a centre's phone number (None when nothing is)."""
    if normalise_phone(value) is None:
        return _("Not a Korean phone number (e.g. 055-123-4567, 02-123-4567, 1588-0000).")
    return None


def url_problem(value: str) -> str | None:
    """What is wrong with a link to a map (None when nothing is): http(s), with a host."""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname \
            or any(c.isspace() for c in value):
        return _("Enter a web address starting with https:// (or http://).")
    return None


def _check(values: dict, problems: dict) -> None:
    for name in ("name", "name_en", "address"):
        if not values.get(name):
            add_problem(problems, name, str(REQUIRED))
    for name in PHONES:
        if values.get(name) and (message := phone_problem(values[name])):
            add_problem(problems, name, message)
    if values.get("directions_url") and (message := url_problem(values["directions_url"])):
        add_problem(problems, "directions_url", message)


def update_centre(actor: User, centre_id: int, values: dict) -> Centre:
    """Change the centre's facts (phones stored as Koreans write them); audited, commits."""
    centre = get_row(Centre, centre_id)
    values = {name: (values.get(name) or "").strip() for name in CENTRE_FIELDS}
    problems: dict = {}
    _check(values, problems)
    raise_problems(problems)
    for name in PHONES:
        values[name] = normalise_phone(values[name]) if values[name] else ""
    apply_changes(actor, "centre", centre, values, CENTRE_FIELDS)
    db.session.commit()
    forget_current_centre()
    return centre
