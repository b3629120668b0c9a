"""Intake's part of the retention purge: a pre-screen's personal data is erased when its
retention period ends.

What identifies a person or a firm goes (names, business number, contacts, the free text);
what the statistics are made of stays (stage, industry, region, founding date, employees,
needs). The pre-screen's private link stops working. The scheduled job that runs this
together with the bookings, outcomes and imports of the same run is
`intake-retention-purge` in app/admin/retention.py, since intake imports none of them.
"""

from datetime import datetime

from sqlalchemy import String, cast, literal, select, update

from app.extensions import db
from app.intake.models import Intake

PERSONAL_FIELDS = ("company_name", "business_number", "representative_name", "contact_name",
                   "email", "phone", "description")


def revoked_hash(model):
    """A token_hash no token can match (not a SHA-256 hex digest), unique per row."""
    return literal("purged:") + cast(model.id, String)


def purge_expired_intakes(now: datetime) -> int:
    """Erase the personal fields of every pre-screen past `retention_until`; flushes only.

    One conditional UPDATE, so a second run (or a second scheduler) changes nothing. Returns
    how many were erased.
    """
    result = db.session.execute(
        update(Intake).where(Intake.retention_until <= now, Intake.purged_at.is_(None))
        .values(purged_at=now, token_hash=revoked_hash(Intake),
                **dict.fromkeys(PERSONAL_FIELDS))
        .execution_options(synchronize_session=False))
    return result.rowcount


def purged_intakes():
    """The ids of the pre-screens already erased: the rows that belong to them follow."""
    return select(Intake.id).where(Intake.purged_at.is_not(None))
