"""Jinja filters: centre-local dates and times, Korean number formats."""

from datetime import date, datetime

from flask import Flask

from app.intake.industries import industry_label
from app.types import to_local

WEEKDAYS_KO = "월화수목금토일"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def local_time(moment: datetime | None) -> str:
    """'14:00' on the centre's clock."""
    return to_local(moment).strftime("%H:%M") if moment else ""


def local_date(value: date | datetime | None) -> str:
    """'2026년 12월 1일 (화)' for a date or an instant."""
    if value is None:
        return ""
    day = to_local(value).date() if isinstance(value, datetime) else value
    return f"{day.year}년 {day.month}월 {day.day}일 ({WEEKDAYS_KO[day.weekday()]})"


def local_date_en(value: date | datetime | None) -> str:
    """'Tue 1 Dec 2026' for a date or an instant."""
    if value is None:
        return ""
    day = to_local(value).date() if isinstance(value, datetime) else value
    return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {day:%b %Y}"


def local_iso_date(moment: datetime) -> str:
    """'2026-12-01': the centre-local date of an instant."""
    return to_local(moment).date().isoformat()


STATUS_LABELS = {"booked": "예약 Booked", "checked_in": "도착 Checked in",
                 "completed": "완료 Completed", "cancelled": "취소 Cancelled",
                 "no_show": "불참 No-show"}


def status_label(status: str) -> str:
    """An appointment's status in both languages."""
    return STATUS_LABELS.get(status, status)


def thousands(value: int | None) -> str:
    """12,345."""
    return f"{value or 0:,}"


def register(app: Flask) -> None:
    """Install the filters on the app's Jinja environment."""
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    app.add_template_filter(local_date_en)
    app.add_template_filter(thousands)
    app.add_template_filter(local_iso_date)
    app.add_template_filter(status_label)
    app.add_template_filter(industry_label)
