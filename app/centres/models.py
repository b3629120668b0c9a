"""A centre of the network and the facts about it that every page and message shows."""

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base
from app.types import UTCDateTime, utcnow


class Centre(Base):
    """One Creative Economy Innovation Centre: who runs the zones, where, and how to reach it.

    Text people read comes in two columns (`name`, `name_en`; `address`, `address_en`;
    `hours`, `hours_en`): the English one on an English page when there is one.
    """

    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(20), default="")  # 시·도, e.g. 경상남도
    address: Mapped[str] = mapped_column(String(200), default="")
    address_en: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    hours_en: Mapped[str] = mapped_column(String(200), default="")
    directions_url: Mapped[str] = mapped_column(String(500), default="")
    privacy_officer: Mapped[str] = mapped_column(String(100), default="")
    privacy_department: Mapped[str] = mapped_column(String(100), default="")
    privacy_phone: Mapped[str] = mapped_column(String(20), default="")
    privacy_email: Mapped[str] = mapped_column(String(254), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def tel_url(self) -> str:
        """The phone as a `tel:` link, or '' without a phone."""
        return tel_url(self.phone)


def tel_url(phone: str) -> str:
    """A phone number as a `tel:` link of its digits ('055-000-0000' -> 'tel:0550000000')."""
    digits = "".join(c for c in phone or "" if c.isascii() and c.isdigit())
    return f"tel:{digits}" if digits else ""
