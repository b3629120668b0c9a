"""Bookings (one visit on one day), their appointments (one per zone) and the waitlist."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.intake.models import Intake
from app.models import Base
from app.states import (
    OPEN_APPOINTMENT,
    AppointmentStatus,
    BookingStatus,
    State,
    WaitlistStatus,
    one_of,
)
from app.types import UTCDateTime, utcnow
from app.zones.models import Adviser, Institution, Zone

APPOINTMENT_STATUSES = tuple(AppointmentStatus)
# An appointment holds its adviser's time unless it was cancelled.
HOLDS_TIME = f"status <> '{AppointmentStatus.CANCELLED}'"
# An intake may hold one open appointment per zone.
OPEN = f"status IN ({', '.join(repr(status.value) for status in OPEN_APPOINTMENT)})"


class Booking(Base):
    """One visit by one firm on one day; its token is the applicant's private link."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    visit_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[BookingStatus] = mapped_column(State(BookingStatus),
                                                  default=BookingStatus.BOOKED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # walk-ins
    # The latest reminder's "still coming?" link (only its SHA-256) and the applicant's answer.
    reminder_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    attendance_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    intake: Mapped[Intake] = relationship()
    appointments: Mapped[list["Appointment"]] = relationship(
        back_populates="booking", order_by="Appointment.starts_at"
    )

    __table_args__ = (
        one_of("status", BookingStatus, name="status_known"),
    )

    def has_started(self, now: datetime) -> bool:
        """The visit has begun: its first appointment's time came, or someone was checked in."""
        live = [a for a in self.appointments if a.is_live]
        return (any(a.status != AppointmentStatus.BOOKED for a in live)
                or any(a.starts_at <= now for a in live))


class Appointment(Base):
    """One consultation with one adviser in one zone, part of a booking."""

    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    adviser_id: Mapped[int] = mapped_column(ForeignKey("advisers.id"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[AppointmentStatus] = mapped_column(State(AppointmentStatus),
                                                      default=AppointmentStatus.BOOKED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    booking: Mapped[Booking] = relationship(back_populates="appointments")
    zone: Mapped[Zone] = relationship()
    adviser: Mapped[Adviser] = relationship()
    institution: Mapped[Institution | None] = relationship()

    @property
    def is_live(self) -> bool:
        """It still stands: booked, or happening, or happened (anything but cancelled)."""
        return self.status != AppointmentStatus.CANCELLED

    __table_args__ = (
        one_of("status", AppointmentStatus, name="status_known"),
        CheckConstraint("starts_at < ends_at", name="times_ordered"),
        # The database itself refuses a second live appointment for an adviser's slot.
        Index(
            "uq_appointments_adviser_start",
            "adviser_id",
            "starts_at",
            unique=True,
            sqlite_where=text(HOLDS_TIME),
            postgresql_where=text(HOLDS_TIME),
        ),
        Index(
            "uq_appointments_intake_zone_open",
            "intake_id",
            "zone_id",
            unique=True,
            sqlite_where=text(OPEN),
            postgresql_where=text(OPEN),
        ),
        Index("ix_appointments_starts_at", "starts_at"),
        # Covering indexes of the statistics (app/stats/figures.py, flow.py, rollup.py):
        # completed visits of a date range with their zone and pre-screen, and the funnel and
        # lead times by start, status and booking moment.
        Index("ix_appointments_status_start", "status", "starts_at", "zone_id", "intake_id"),
        Index("ix_appointments_start_status", "starts_at", "status", "adviser_id", "zone_id",
              "created_at"),
    )


class WaitlistEntry(Base):
    """A firm waiting for a zone on a full day; offered a freed slot for a limited time."""

    __tablename__ = "waitlist_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[WaitlistStatus] = mapped_column(State(WaitlistStatus),
                                                   default=WaitlistStatus.WAITING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    offered_adviser_id: Mapped[int | None] = mapped_column(ForeignKey("advisers.id"))
    offered_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(Integer, default=0)

    intake: Mapped[Intake] = relationship()
    zone: Mapped[Zone] = relationship()

    __table_args__ = (
        one_of("status", WaitlistStatus, name="status_known"),
        Index("ix_waitlist_zone_day", "zone_id", "day", "status"),
    )
