"""Pure rules of the pre-screen: business numbers, Korean phone numbers, growth stage."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l

BUSINESS_NUMBER_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def business_number_digits(value: str) -> str | None:
    """The ten digits of a business registration number ('123-45-67890'), or None."""
    digits = value.strip().replace("-", "").replace(" ", "")
    return digits if len(digits) == 10 and digits.isascii() and digits.isdigit() else None


def business_number_check_digit(first_nine: str) -> int:
    """The national check digit: weights 1,3,7,1,3,7,1,3,5 plus ⌊5·d9/10⌋."""
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, BUSINESS_NUMBER_WEIGHTS, strict=True))
    total += (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def is_valid_business_number(digits: str) -> bool:
    """True when ten digits carry the right check digit."""
    return business_number_check_digit(digits[:9]) == int(digits[9])


def format_business_number(digits: str) -> str:
    """'1234567890' -> '123-45-67890'."""
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


_AREA_CODES = {"031", "032", "033", "041", "042", "043", "044",
               "051", "052", "053", "054", "055", "061", "062", "063", "064"}
_MOBILE = re.compile(r"^01[016789]\d{7,8}$")


def normalise_phone(value: str) -> str | None:
    """A Korean phone number as Koreans write it ('010-1234-5678', '02-123-4567'), or None.

    Accepts spaces, hyphens, dots, brackets and the +82 prefix (with or without the 0).
    """
    raw = value.strip()
    if not raw or not re.fullmatch(r"[+\d\s\-.()]+", raw):
        return None
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        if not digits.startswith("82"):
            return None
        digits = digits[2:]
        if not digits.startswith("0"):
            digits = "0" + digits
    if _MOBILE.match(digits):
        return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
    if digits.startswith("02") and len(digits) in (9, 10):
        return f"02-{digits[2:-4]}-{digits[-4:]}"
    if digits[:3] in _AREA_CODES and len(digits) in (10, 11):
        return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
    if digits.startswith(("070", "050")) and len(digits) in (11, 12):
        split = 4 if digits.startswith("050") and len(digits) == 12 else 3
        return f"{digits[:split]}-{digits[split:-4]}-{digits[-4:]}"
    if re.fullmatch(r"1[5-9]\d{6}", digits):  # nationwide numbers such as 1588-0000
        return f"{digits[:4]}-{digits[4:]}"
    return None


def full_years_between(start: date, end: date) -> int:
    """Whole years from start to end: the anniversary day itself completes a year.

    A firm founded on 29 February completes its year on 1 March in common years.
    """
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def growth_stage(founded_on: date | None, today: date) -> str:
    """pre_bi (not founded), bi (< 3 years), post_bi (3 to < 7 years), established (7+)."""
    if founded_on is None:
        return "pre_bi"
    years = full_years_between(founded_on, today)
    if years < 3:
        return "bi"
    if years < 7:
        return "post_bi"
    return "established"


STAGE_NAMES = {
    "pre_bi": _l("Not yet founded (PRE-BI)"),
    "bi": _l("Under 3 years since founding (BI)"),
    "post_bi": _l("3 to under 7 years (POST-BI)"),
    "established": _l("7 years or more (established)"),
}


def stage_label(stage: str) -> str:
    """A growth stage's name in the reader's language (an unknown code as it is)."""
    name = STAGE_NAMES.get(stage)
    return str(name) if name is not None else stage

