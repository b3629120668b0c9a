"""The outbox: every message is a row first, sent later by a job."""

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base
from app.states import OutboxStatus, State, one_of
from app.types import UTCDateTime, utcnow


class OutboxMessage(Base):
    """One e-mail to send, with its dedupe key, delivery state and retry schedule."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    ics: Mapped[str | None] = mapped_column(Text)
    # What to say, as JSON, until the relay renders subject, bodies and calendar from it.
    content: Mapped[str | None] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(State(OutboxStatus),
                                                 default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def erased(self) -> bool:
        """Its content went with the outbox's retention (OUTBOX_KEEP_DAYS): nothing to send."""
        return self.recipient == ""

    __table_args__ = (
        one_of("status", OutboxStatus, name="status_known"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )
