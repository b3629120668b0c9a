"""Column types and time helpers every domain shares."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database (SQLite keeps it as naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current instant, aware UTC (the callable default of every timestamp)."""
    return datetime.now(UTC)


def center_tz() -> ZoneInfo:
    """The centre's time zone (CENTER_TIMEZONE, Asia/Seoul by default)."""
    return ZoneInfo(current_app.config["CENTER_TIMEZONE"])


def local_today() -> date:
    """Today's date at the centre."""
    return utcnow().astimezone(center_tz()).date()


def local_datetime(day: date, at: time) -> datetime:
    """A centre-local wall-clock time on a day, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=center_tz())


def to_local(moment: datetime) -> datetime:
    """An aware instant seen on the centre's clock."""
    return moment.astimezone(center_tz())
