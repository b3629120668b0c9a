"""Consultations recorded before Onestop, imported from the centre's files."""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.booking.models import Appointment
from app.models import Base
from app.types import UTCDateTime, utcnow
from app.zones.models import Zone


class ImportBatch(Base):
    """One imported file, recognised by the SHA-256 of its content."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ImportedConsultation(Base):
    """A historical consultation; counts in every statistic like a completed appointment."""

    __tablename__ = "imported_consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    # The centre of the row (its zone's centre, kept beside it so that a centre's figures
    # never need the join): the row's `centre` column, else the importer's centre.
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    company_name: Mapped[str] = mapped_column(String(200), default="")
    business_number: Mapped[str | None] = mapped_column(String(10), index=True)
    finance_amount_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    patent_transfers: Mapped[int] = mapped_column(Integer, default=0)
    ip_applications: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")

    zone: Mapped[Zone] = relationship()

    __table_args__ = (
        CheckConstraint(
            "finance_amount_krw >= 0 AND patent_transfers >= 0 AND ip_applications >= 0",
            name="figures_not_negative",
        ),
        # The statistics: sums per zone over a date range, read from the index alone.
        Index("ix_imported_consultations_zone_day", "zone_id", "day", "finance_amount_krw",
              "patent_transfers", "ip_applications"),
        Index("ix_imported_consultations_centre_day", "centre_id", "day"),
    )


class ZoneDay(Base):
    """The consultations of one zone on one centre-local day, imported and live together,
    with their figures: the rollup the statistics read (see app/stats/rollup.py). The
    zone's centre is kept beside it, so that a centre's or a set's figures filter by it."""

    __tablename__ = "zone_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    consultations: Mapped[int] = mapped_column(Integer, default=0)
    finance_amount_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    patent_transfers: Mapped[int] = mapped_column(Integer, default=0)
    ip_applications: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        # A centre's (or a set's) table: its rows by zone and day, read from the index alone.
        Index("ix_zone_days_centre_zone_day", "centre_id", "zone_id", "day", "consultations",
              "finance_amount_krw", "patent_transfers", "ip_applications"),
        # The network's table (no centre condition): every row, zone by zone, from the index
        # alone and already in GROUP BY order (the day index would look up each row).
        Index("ix_zone_days_zone_day", "zone_id", "day", "consultations", "finance_amount_krw",
              "patent_transfers", "ip_applications", "centre_id"),
    )


class ZoneMonth(Base):
    """The rollup's days added up by month (`month`: its first day), kept in step with
    `zone_days` by the same code: the network's long cumulative tables read whole months
    here and only the days of their part-months from `zone_days`."""

    __tablename__ = "zone_months"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    consultations: Mapped[int] = mapped_column(Integer, default=0)
    finance_amount_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    patent_transfers: Mapped[int] = mapped_column(Integer, default=0)
    ip_applications: Mapped[int] = mapped_column(Integer, default=0)


class CohortDay(Base):
    """The pre-screens made on one centre-local day at one centre and what became of them so
    far: the funnel's cohort added up by day (see app/stats/cohorts.py), kept in step with
    the pre-screens, their bookings and their appointments by the rollup's hooks."""

    __tablename__ = "cohort_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)
    intakes: Mapped[int] = mapped_column(Integer, default=0)
    bookings: Mapped[int] = mapped_column(Integer, default=0)
    appointments: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    no_show: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        # A centre's (or a set's) funnel: its days in order.
        Index("ix_cohort_days_centre_day", "centre_id", "day"),
    )


class RollupState(Base):
    """One row: the time zone whose local days `zone_days` and `cohort_days` were built for,
    and when.

    No row, or another zone than CENTER_TIMEZONE: the rollup is not trusted and the
    statistics read the consultations themselves until it is rebuilt."""

    __tablename__ = "rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The funnel's cohort (app/stats/flow.py) reaches a pre-screen's appointments by intake: an
# index of theirs beside the query that needs it (the partial unique one holds open ones only).
Index("ix_appointments_intake_status", Appointment.intake_id, Appointment.status)
