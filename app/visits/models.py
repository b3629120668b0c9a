"""What came of a consultation: the outcome an adviser records."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.booking.models import Appointment
from app.models import Base
from app.types import UTCDateTime, utcnow


class Outcome(Base):
    """The summary and reported figures of one completed appointment."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    finance_amount_krw: Mapped[int] = mapped_column(BigInteger, default=0)
    patent_transfers: Mapped[int] = mapped_column(Integer, default=0)
    ip_applications: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    appointment: Mapped[Appointment] = relationship()

    __table_args__ = (
        CheckConstraint(
            "finance_amount_krw >= 0 AND patent_transfers >= 0 AND ip_applications >= 0",
            name="figures_not_negative",
        ),
    )
