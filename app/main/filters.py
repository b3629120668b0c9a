"""Jinja filters: centre-local dates and times, numbers and money, in the page's language."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.booking.reasons import reason_text
from app.intake.industries import BY_CODE, industry_label
from app.intake.rules import stage_label
from app.main.i18n import current_locale, localized
from app.types import to_local

# '2026년 12월 1일 (화)' and 'Tue 1 Dec 2026'; a language without its own takes the English.
DATE_PATTERNS = {"ko": "y년 M월 d일 (E)", "en": "EEE d MMM y"}
# Korean groups large numbers by 10^4: 조 (10^12), 억 (10^8), 만 (10^4).
KOREAN_UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))
ENGLISH_UNITS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def _day(value: date | datetime) -> date:
    return to_local(value).date() if isinstance(value, datetime) else value


def local_time(moment: datetime | None) -> str:
    """'14:00' on the centre's clock."""
    return format_time(to_local(moment), "HH:mm", locale=current_locale()) if moment else ""


def local_date(value: date | datetime | None) -> str:
    """A date or an instant's centre-local date: '2026년 12월 1일 (화)', 'Tue 1 Dec 2026'."""
    if value is None:
        return ""
    locale = current_locale()
    pattern = DATE_PATTERNS.get(locale.language, DATE_PATTERNS["en"])
    return format_date(_day(value), pattern, locale=locale)


def weekday_name(weekday: int) -> str:
    """Monday (0) to Sunday (6), abbreviated in the page's language: '월', 'Mon'."""
    return get_day_names("abbreviated", locale=current_locale())[weekday]


def industry_name(code: str | None) -> str | None:
    """An industry's name in the page's language (제조업, Manufacturing); others as they are."""
    industry = BY_CODE.get(code) if code else None
    return localized(industry.label, industry.label_en) if industry else code


def local_iso_date(moment: datetime) -> str:
    """'2026-12-01': the centre-local date of an instant."""
    return to_local(moment).date().isoformat()


STATUS_LABELS = {"booked": _l("Booked"), "checked_in": _l("Checked in"),
                 "completed": _l("Completed"), "cancelled": _l("Cancelled"),
                 "no_show": _l("No-show")}


def status_label(status: str) -> str:
    """An appointment's status in the page's language."""
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def thousands(value: int | None) -> str:
    """12,345 (grouped as the page's language groups digits)."""
    return format_decimal(value or 0, locale=current_locale())


def krw(value: int | None) -> str:
    """An amount of won: '32억 5,000만 원', '7,890원' in Korean; 'KRW 3.25 billion',
    'KRW 7,890' in English (two decimals at most from a million up)."""
    if value is None:
        return ""
    locale = current_locale()
    sign, amount = ("-" if value < 0 else ""), abs(int(value))
    if locale.language == "ko":
        return sign + _korean_won(amount, locale)
    for unit, word in ENGLISH_UNITS:
        if amount >= unit:
            figure = (Decimal(amount) / unit).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            return f"KRW {sign}{format_decimal(figure, '#,##0.##', locale=locale)} {word}"
    return f"KRW {sign}{format_decimal(amount, locale=locale)}"


def _korean_won(amount: int, locale) -> str:
    """'1조 2,000억 원', '12억 3,456만 7,890원', '0원'."""
    parts = []
    for unit, word in KOREAN_UNITS:
        count, amount = divmod(amount, unit)
        if count:
            parts.append(f"{format_decimal(count, locale=locale)}{word}")
    if amount or not parts:
        parts.append(f"{format_decimal(amount, locale=locale)}원")
        return " ".join(parts)
    return " ".join(parts) + " 원"


def register(app: Flask) -> None:
    """Install the filters on the app's Jinja environment."""
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    app.add_template_filter(thousands)
    app.add_template_filter(krw)
    app.add_template_filter(local_iso_date)
    app.add_template_filter(status_label)
    app.add_template_filter(industry_label)
    app.add_template_filter(industry_name)
    app.add_template_filter(stage_label)
    app.add_template_filter(weekday_name)
    app.add_template_filter(reason_text, "cancel_reason")
