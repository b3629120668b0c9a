"""Zones, the institutions that staff them, advisers, their rotations, exceptions and closures."""

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.centres.services import default_centre_id
from app.models import Base
from app.states import ExceptionKind, State, one_of
from app.types import UTCDateTime, utcnow


class Zone(Base):
    """A consultation zone (legal, finance, patent, ...) and its booking rules."""

    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The centre that runs the zone; a code is unique inside its centre (every centre may
    # have a `legal` zone).
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True,
                                           default=default_centre_id)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    what_to_bring: Mapped[str] = mapped_column(Text, default="")
    what_to_bring_en: Mapped[str] = mapped_column(Text, default="")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=60)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=0)
    min_notice_hours: Mapped[int] = mapped_column(Integer, default=24)
    horizon_days: Mapped[int] = mapped_column(Integer, default=60)
    opens_at: Mapped[time] = mapped_column(Time, default=time(9, 0))
    closes_at: Mapped[time] = mapped_column(Time, default=time(18, 0))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    institutions: Mapped[list["Institution"]] = relationship(
        back_populates="zone", order_by="Institution.sort_order"
    )

    __table_args__ = (
        CheckConstraint("slot_minutes > 0", name="slot_positive"),
        CheckConstraint("buffer_minutes >= 0", name="buffer_not_negative"),
        CheckConstraint("opens_at < closes_at", name="hours_ordered"),
        UniqueConstraint("centre_id", "code", name="uq_zones_centre_code"),
    )


class Institution(Base):
    """Who sends the experts to a zone (KODIT, KIBO, the lawyer's office, ...)."""

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    # Unique inside its zone (so inside its centre): every centre's finance zone may have a
    # `kodit`, and the national routing rules name institutions by these codes.
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    zone: Mapped[Zone] = relationship(back_populates="institutions")

    __table_args__ = (UniqueConstraint("zone_id", "code", name="uq_institutions_zone_code"),)


class Adviser(Base):
    """A person from an institution who consults in one zone; signs in as a staff user."""

    __tablename__ = "advisers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    title: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    zone: Mapped[Zone] = relationship()
    institution: Mapped[Institution | None] = relationship()
    user: Mapped["User | None"] = relationship(back_populates="adviser")  # noqa: F821
    rotation_rules: Mapped[list["RotationRule"]] = relationship(back_populates="adviser")


class RotationRule(Base):
    """When an adviser is on duty: a weekday, hours, a validity window, every n-th week."""

    __tablename__ = "rotation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("advisers.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # Monday = 0 ... Sunday = 6
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    # On duty in the weeks where (weeks since valid_from's week) % every_n_weeks == week_offset.
    every_n_weeks: Mapped[int] = mapped_column(Integer, default=1)
    week_offset: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    adviser: Mapped[Adviser] = relationship(back_populates="rotation_rules")

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_time < end_time", name="hours_ordered"),
        CheckConstraint("every_n_weeks >= 1", name="every_positive"),
        CheckConstraint(
            "week_offset >= 0 AND week_offset < every_n_weeks", name="offset_range"
        ),
        CheckConstraint(
            "valid_until IS NULL OR valid_from <= valid_until", name="validity_ordered"
        ),
    )


class AvailabilityException(Base):
    """A change to one adviser's day: a day (or hours) off, or extra hours."""

    __tablename__ = "availability_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    adviser_id: Mapped[int] = mapped_column(ForeignKey("advisers.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[ExceptionKind] = mapped_column(State(ExceptionKind, 10))
    start_time: Mapped[time | None] = mapped_column(Time)  # None with None: the whole day
    end_time: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    adviser: Mapped[Adviser] = relationship()

    __table_args__ = (
        one_of("kind", ExceptionKind, name="kind_known"),
        CheckConstraint(
            "(start_time IS NULL AND end_time IS NULL AND kind = 'off')"
            " OR (start_time IS NOT NULL AND end_time IS NOT NULL AND start_time < end_time)",
            name="hours_valid",
        ),
    )


class Closure(Base):
    """A day the centre (or one zone) is closed beyond Korea's public holidays."""

    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Whose closure: a centre-wide one (no zone) reaches its centre only through this.
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True,
                                           default=default_centre_id)
    day: Mapped[date] = mapped_column(Date, index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("day", "zone_id", name="uq_closures_day_zone"),)
