"""The one input boundary: the typed parsers every body, form, query, path and CSV value crosses.

A value either comes out as the type the service takes or raises `InputError` naming the
field, with a message in the reader's language, which each face answers in its own way (the
API's 400/422 shape, a form's error, a CSV row's error). Nothing malformed reaches the
database, so no engine sees a NUL, a lone surrogate, an id past 64 bits or a year its date
arithmetic cannot hold.
"""

import json
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import DomainError

# Ids and the other whole numbers people give are stored in `integer` columns: 32 bits on
# PostgreSQL (SQLite's are wider). A number past that can name no row and fit no column, so it
# is refused at the boundary, on both engines alike, instead of failing inside the database.
MAX_ID = 2**31 - 1
# Dates people and staff give: founding dates from 1900, agenda and statistics to 2100.
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)
# A bookable time lies within this much of now (each zone's own horizon is narrower).
MOMENT_PAST, MOMENT_FUTURE = timedelta(days=366), timedelta(days=2 * 366)
# A policy-finance amount on one record: up to 1조원. 9.2 million records at this bound still
# sum within 64 bits, and the sums themselves never overflow (app/stats/figures.py: safe_sum).
MAX_AMOUNT_KRW = 10**12
MAX_COUNT = 10**6
MAX_JSON_DEPTH = 32

_DIGITS = re.compile(r"[0-9]{1,19}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ALLOWED_CONTROLS = "\t\n"


class InputError(DomainError, ValueError):
    """A value that does not fit its field; `field` names it, `message` says why."""

    status, code = 400, "bad_request"

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field

    @property
    def reason(self) -> str:
        return f"{self.field}: {self.message}"


class MalformedBody(InputError):
    """A request body that is not JSON one can read (400 rather than a field's 422)."""

    def __init__(self, message: str):
        super().__init__("body", message)


def text_problem(value: str) -> str | None:
    """Why this text cannot be stored, or None: lone surrogates and control characters."""
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            return _("Not valid Unicode text (a lone surrogate).")
        if category == "Cc" and char not in _ALLOWED_CONTROLS:
            return _("Control characters (other than tab and newline) are not allowed.")
    return None


def is_blank(value: str) -> bool:
    """True for text of only whitespace (U+3000 and U+00A0 included) or zero-width characters."""
    return not value.strip().strip(_ZERO_WIDTH).strip()


def normalise_text(value: str) -> str:
    """NFC, CRLF as LF, stripped; text of only blanks becomes empty. Raises ValueError."""
    value = value.replace("\r\n", "\n")
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    value = unicodedata.normalize("NFC", value).strip()
    return "" if is_blank(value) else value


def parse_text(value: Any, field: str, *, required: bool = False, max_length: int = 4000) -> str:
    """A text field: a string, normalised; empty when absent unless `required`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InputError(field, _("Must be a string."))
    try:
        value = normalise_text(value)
    except ValueError as error:
        raise InputError(field, str(error)) from error
    if required and not value:
        raise InputError(field, _("This field is required."))
    if len(value) > max_length:
        raise InputError(field, _("%(count)s characters at most.", count=format(max_length, ",")))
    return value


def parse_int(value: Any, field: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """A whole number from a JSON integer or ASCII digits (never '²' or '①'), within bounds."""
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
        raise InputError(field, _("Must be a whole number from %(minimum)s to %(maximum)s.",
                                  minimum=format(minimum, ","), maximum=format(maximum, ",")))
    return value


def parse_id(value: Any, field: str) -> int:
    """A database id: digits 0-9 only, within 64 bits."""
    return parse_int(value, field, minimum=0, maximum=MAX_ID)


def as_id(value: str) -> int:
    """For werkzeug's `request.args.get(name, type=as_id)`: a bad id becomes the default."""
    return parse_id(value, "id")


def parse_choice(value: Any, field: str, *, choices: tuple[str, ...]) -> str:
    """One of `choices`, exactly as written there ('en', never 'EN' or ' en')."""
    if isinstance(value, str) and value in choices:
        return value
    raise InputError(field, _("Must be one of %(choices)s.", choices=", ".join(choices)))


def parse_date(value: Any, field: str) -> date:
    """A date given strictly as YYYY-MM-DD, between 1900 and 2100."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None and MIN_DATE <= day <= MAX_DATE:
            return day
    raise InputError(field, _("Must be a real date as YYYY-MM-DD (years 1900 to 2100)."))


def parse_moment(value: Any, field: str, now: datetime | None = None) -> datetime:
    """An ISO 8601 time with its offset, within the booking horizon, as aware UTC."""
    hint = _("Must be ISO 8601 with an offset, e.g. %(example)s.",
             example="2026-12-01T10:00:00+09:00")
    if not isinstance(value, str) or len(value) > 40:
        raise InputError(field, hint)
    try:
        moment = datetime.fromisoformat(value)
        utc = moment.astimezone(UTC) if moment.tzinfo is not None else None
    except (ValueError, OverflowError):
        utc = None
    if utc is None:
        raise InputError(field, hint)
    now = now or datetime.now(UTC)
    if not now - MOMENT_PAST <= utc <= now + MOMENT_FUTURE:
        raise InputError(field, _("This time is outside the booking horizon."))
    return utc


def load_json(raw: bytes) -> Any:
    """A request body as JSON: nested at most MAX_JSON_DEPTH deep, every string storable.

    Raises MalformedBody for what is not JSON (or nests too deep), or InputError with the
    path of the first string that is not storable text (`appointments[0].zone`).
    """
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise MalformedBody(_("The body is not valid JSON.")) from error
    stack: list[tuple[Any, str, int]] = [(body, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise MalformedBody(_("JSON may nest %(depth)s levels deep at most.",
                                  depth=MAX_JSON_DEPTH))
        if isinstance(value, dict):
            for key, item in value.items():
                if text_problem(key):
                    raise MalformedBody(_("A field name is not valid text."))
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and (problem := text_problem(value)):
            raise InputError(path, problem) if path else MalformedBody(problem)
    return body


# Korean amounts: the big units group by 10^4, the small ones count inside a group of four.
_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4, "천": 1000, "백": 100, "십": 10}
_BIG = ("조", "억", "만")
_AMOUNT_TOKEN = re.compile(r"\s*(?:([0-9][0-9,]*(?:\.[0-9]+)?)\s*)?([조억만천백십])?")
# The units' names in the reader's language, for the errors (an English page shows no Hangul).
_UNIT_NAMES = {"조": _l("jo (trillion)"), "억": _l("eok (100 million)"),
               "만": _l("man (10,000)"), "천": _l("cheon (1,000)"), "백": _l("baek (100)"),
               "십": _l("sip (10)")}
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_MAX_AMOUNT_TEXT = 60


def _not_an_amount(field: str) -> InputError:
    return InputError(field, _("This is not an amount in won: write the digits 0-9, e.g. "
                               "1,200,000,000."))


def _amount_number(text: str, field: str) -> Decimal:
    if not _GROUPED.fullmatch(text):
        raise InputError(field, _("A comma is out of place: commas group three digits "
                                  "(1,200,000)."))
    return Decimal(text.replace(",", ""))


def _check_order(unit: str, last: str | None, field: str) -> None:
    """Each unit once, larger ones first (among the big units, and inside a group)."""
    if last is not None and _UNITS[unit] >= _UNITS[last]:
        if unit == last:
            raise InputError(field, _("%(unit)s is written twice.", unit=_UNIT_NAMES[unit]))
        raise InputError(field, _("Write the larger unit first (%(first)s before %(then)s).",
                                  first=_UNIT_NAMES[unit], then=_UNIT_NAMES[last]))


def parse_amount_krw(value: Any, field: str) -> int:
    """An amount of won as people type it: '1,200,000,000', '1200000000', '12억',
    '12억 5,000만', '3,500만원', '5천만 원', '1.5억'; a JSON integer as it is.

    Each unit at most once, largest first; the result a whole number of won from 0 to
    MAX_AMOUNT_KRW. Anything else is an InputError saying what is wrong (never dropped)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _bounded_amount(value, field)
    if not isinstance(value, str):
        raise InputError(field, _("Write the amount in digits, e.g. 1,200,000,000."))
    text = value.strip()
    if len(text) > _MAX_AMOUNT_TEXT:
        raise InputError(field, _("This amount is too long to be one."))
    if text[:1] in ("-", "\u2212"):
        raise InputError(field, _("An amount cannot be negative."))
    text = text.removeprefix("₩").removesuffix("원").strip()
    if not text:
        raise InputError(field, _("Write the amount in digits, e.g. 1,200,000,000."))
    total, group, position = Decimal(0), Decimal(0), 0
    last_big = last_small = None
    while position < len(text):
        match = _AMOUNT_TOKEN.match(text, position)
        number, unit = match.group(1), match.group(2)
        if not number and not unit:
            raise _not_an_amount(field)
        position = match.end()
        amount = _amount_number(number, field) if number else None
        if unit in _BIG:
            _check_order(unit, last_big, field)
            if amount is None and not group:
                raise InputError(field, _("A number must come before %(unit)s.",
                                          unit=_UNIT_NAMES[unit]))
            part = (group + (amount or 0)) * _UNITS[unit]
            if last_big is not None and part >= _UNITS[last_big]:
                raise InputError(field, _("The part before %(unit)s is too large to follow "
                                          "%(before)s.", unit=_UNIT_NAMES[unit],
                                          before=_UNIT_NAMES[last_big]))
            total, group, last_big, last_small = total + part, Decimal(0), unit, None
        elif unit:  # 천, 백, 십 inside a group of four digits: one digit each
            _check_order(unit, last_small, field)
            if amount is None or amount >= 10:
                raise InputError(field, _("Write one digit before %(unit)s.",
                                          unit=_UNIT_NAMES[unit]))
            group, last_small = group + amount * _UNITS[unit], unit
        else:  # a plain number: only as the last part, smaller than the unit before it
            last = last_small or last_big
            if position < len(text):
                raise _not_an_amount(field)
            if last is not None and amount >= _UNITS[last]:
                raise InputError(field, _("The last part is too large to follow the unit "
                                          "before it."))
            group += amount
    total += group
    if total != total.to_integral_value():
        raise InputError(field, _("An amount is a whole number of won."))
    return _bounded_amount(int(total), field)


def _bounded_amount(value: int, field: str) -> int:
    if value < 0:
        raise InputError(field, _("An amount cannot be negative."))
    if value > MAX_AMOUNT_KRW:
        raise InputError(field, _("An amount is at most KRW 1 trillion (1,000,000,000,000)."))
    return value
