"""Reading the audit log: newest first, filtered by actor, entity, action and dates."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.admin.centre_rows import audit_of
from app.auth.models import AuditEntry, User
from app.extensions import db
from app.paging import page_numbers
from app.types import local_datetime

PER_PAGE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of audit entries and where it sits among all that match."""

    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def read_audit_log(*, actor_id: int | None = None, entity: str | None = None,
                   action: str | None = None, date_from: date | None = None,
                   date_to: date | None = None, page: int = 1,
                   per_page: int = PER_PAGE, centre_id: int | None = None) -> AuditPage:
    """The entries that match, newest first, one page of them (dates are centre-local).

    `centre_id` is the admin's centre, as the view resolved it: only that centre's entries
    (app/admin/centre_rows.py); None reads the whole log (the command line)."""
    conditions = [] if centre_id is None else [audit_of(centre_id)]
    if actor_id is not None:
        conditions.append(AuditEntry.actor_id == actor_id)
    if entity:
        conditions.append(AuditEntry.entity == entity)
    if action:
        conditions.append(AuditEntry.action == action)
    if date_from is not None:
        conditions.append(AuditEntry.at >= local_datetime(date_from, time()))
    if date_to is not None:
        conditions.append(AuditEntry.at < local_datetime(date_to + timedelta(days=1), time()))
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(*conditions)) or 0
    page, pages = page_numbers(total, page, per_page)
    entries = list(db.session.scalars(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page).options(selectinload(AuditEntry.actor))))
    return AuditPage(entries, total, page, pages)


def audit_filter_choices(centre_id: int | None = None
                         ) -> tuple[list[User], list[str], list[str]]:
    """The staff users, entities and actions the log holds, for the filter's menus (of the
    centre's staff and entries when `centre_id` is given)."""
    users = select(User).order_by(User.role, User.name, User.id)
    mine = [] if centre_id is None else [audit_of(centre_id)]
    actors = list(db.session.scalars(
        users if centre_id is None else users.where(User.centre_id == centre_id)))
    entities = list(db.session.scalars(select(AuditEntry.entity).where(*mine).distinct()
                                       .order_by(AuditEntry.entity)))
    actions = list(db.session.scalars(select(AuditEntry.action).where(*mine).distinct()
                                      .order_by(AuditEntry.action)))
    return actors, entities, actions


def changes(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(key, before, after) for every key either side names, in a stable order."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(key, before.get(key), after.get(key)) for key in keys]
