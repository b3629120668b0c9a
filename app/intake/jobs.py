"""The retention purge: a pre-screen's personal data is erased when its retention period ends.

What identifies a person or a firm goes (names, business number, contacts, the free text);
what the statistics are made of stays (stage, industry, region, founding date, employees,
needs) together with every booking, appointment and outcome, so the counts do not change.
The pre-screen's private link stops working (booking's own job then does the same for
its bookings: app/booking/jobs.py, since intake does not import booking).
"""

from datetime import datetime

from sqlalchemy import String, cast, literal, update

from app.extensions import db
from app.intake.models import Intake
from app.notify.scheduler import ScheduledJob
from app.types import utcnow

PERSONAL_FIELDS = ("company_name", "business_number", "representative_name", "contact_name",
                   "email", "phone", "description")


def revoked_hash(model):
    """A token_hash no token can match (not a SHA-256 hex digest), unique per row."""
    return literal("purged:") + cast(model.id, String)


def purge_expired_intakes(now: datetime | None = None) -> int:
    """Erase the personal fields of every pre-screen past `retention_until`; returns how many.

    One conditional UPDATE, so a second run (or a second scheduler) changes nothing.
    """
    now = now or utcnow()
    result = db.session.execute(
        update(Intake).where(Intake.retention_until <= now, Intake.purged_at.is_(None))
        .values(purged_at=now, token_hash=revoked_hash(Intake),
                **dict.fromkeys(PERSONAL_FIELDS))
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


JOBS = [ScheduledJob("intake-retention-purge", purge_expired_intakes, 3600)]
SETTINGS: dict = {}
