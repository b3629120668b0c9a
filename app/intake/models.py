"""The pre-screen (사전문진): needs, routing rules, and the intakes firms submit."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.centres.services import default_centre_id
from app.models import Base
from app.states import Language, State, one_of
from app.types import UTCDateTime, utcnow
from app.zones.models import Institution, Zone

STAGES = ("pre_bi", "bi", "post_bi", "established")


class Need(Base):
    """Something a firm can ask for; belongs to one zone (and may point at one institution)."""

    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    label: Mapped[str] = mapped_column(String(100))
    label_en: Mapped[str] = mapped_column(String(100))
    weight: Mapped[float] = mapped_column(Float, default=3.0)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    zone: Mapped[Zone] = relationship()
    institution: Mapped[Institution | None] = relationship()


class RoutingRule(Base):
    """A phrase that, found in a description, adds weight to a zone (and an institution)."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: a national base rule, for every centre; a centre's id: that centre's own rule.
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"), index=True,
                                                  default=default_centre_id)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    phrase: Mapped[str] = mapped_column(String(100))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    zone: Mapped[Zone] = relationship()
    institution: Mapped[Institution | None] = relationship()

    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)


intake_needs = Table(
    "intake_needs",
    Base.metadata,
    Column("intake_id", ForeignKey("intakes.id", ondelete="CASCADE"), primary_key=True),
    Column("need_id", ForeignKey("needs.id"), primary_key=True),
)


class Intake(Base):
    """One submitted pre-screen; personal fields are erased when retention ends."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The centre the pre-screen is for: its bookings, slots and waitlists are that centre's.
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True,
                                           default=default_centre_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    source: Mapped[str] = mapped_column(String(16), default="online")  # online | walk_in

    company_name: Mapped[str | None] = mapped_column(String(200))
    business_number: Mapped[str | None] = mapped_column(String(10), index=True)
    representative_name: Mapped[str | None] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)

    # Kept after the purge: anonymous facts the statistics are made of.
    founded_on: Mapped[date | None] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(16))
    industry: Mapped[str | None] = mapped_column(String(100))  # app/intake/industries.py
    employees: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(100))
    recommendation: Mapped[list] = mapped_column(JSON, default=list)
    # The language of the pre-screen, and so of every e-mail the firm gets (API.md).
    language: Mapped[Language] = mapped_column(State(Language, 2), default=Language.KO,
                                               server_default=Language.KO.value)

    consent_personal_info_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consent_notice_version: Mapped[str] = mapped_column(String(32))
    consent_marketing: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_marketing_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retention_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    needs: Mapped[list[Need]] = relationship(secondary=intake_needs, order_by=Need.sort_order)

    __table_args__ = (
        CheckConstraint(
            "stage IN ('pre_bi', 'bi', 'post_bi', 'established')", name="stage_known"
        ),
        CheckConstraint("employees IS NULL OR employees >= 0", name="employees_not_negative"),
        one_of("language", Language, name="language_known"),
        # The statistics' splits by stage, industry and region of a period's pre-screens.
        Index("ix_intakes_created_profile", "created_at", "stage", "industry", "region"),
    )
