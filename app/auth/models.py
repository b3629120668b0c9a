"""Staff users, their API tokens, sign-in failures and the audit log of staff actions."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.centres.services import default_centre_id
from app.models import Base
from app.states import Role, State, one_of
from app.types import UTCDateTime, utcnow

ROLES = tuple(Role)


def _centre_of_new_user(context) -> int | None:
    """A new admin's or adviser's centre when none was given: the default centre."""
    if context.current_parameters.get("role") == Role.NATIONAL:
        return None
    return default_centre_id(context)


class User(UserMixin, Base):
    """A staff member who signs in: an admin or an adviser of one centre, or the national
    programme office (no centre: it reads every centre's figures)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(State(Role))
    # The centre an admin or adviser belongs to (made without one: the default centre's);
    # NULL exactly for the national role.
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"), index=True,
                                                  default=_centre_of_new_user)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Bumped at logout and password change so that an old session cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    adviser: Mapped["Adviser | None"] = relationship(back_populates="user")  # noqa: F821

    __table_args__ = (
        one_of("role", Role, name="role_known"),
        CheckConstraint("(role = 'national') = (centre_id IS NULL)", name="centre_by_role"),
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_national(self) -> bool:
        return self.role == Role.NATIONAL


class ApiToken(Base):
    """A Bearer token for the staff API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SignInFailure(Base):
    """Failed sign-ins for one typed e-mail from one client address, and the pause they earned.

    The e-mail is kept only as a keyed digest, known account or not, so the table holds no
    address a stranger typed and treats unknown and real accounts alike.
    """

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_digest: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("email_digest", "address"),)


class AuditEntry(Base):
    """Who changed what and when, with the values before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    address: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()
