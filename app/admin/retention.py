"""The retention purge, whole: one scheduled job, one transaction, one UPDATE per table.

A pre-screen past its retention (INTAKE_RETENTION_DAYS from submission) loses what names a
person or a firm, and in the same transaction its bookings' and waitlist entries' links are
revoked and its outcomes' free text is blanked. An imported consultation loses its firm name,
business number and summary once its day is IMPORT_RETENTION_DAYS old (by default as long as
a pre-screen is kept). Every figure the statistics read stays: stage, industry, region,
founding date, employees and needs of the pre-screen; every booking, appointment and status;
every outcome's and imported consultation's day, zone and amounts. The job lives here because
only admin may see intake, booking, visits and the imports together; each domain writes its
own table (app/intake/jobs.py, app/booking/jobs.py, app/visits/jobs.py).
"""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, update

from app.booking.jobs import forget_purged_bookings
from app.extensions import db
from app.intake.jobs import purge_expired_intakes
from app.notify.scheduler import ScheduledJob
from app.stats.models import ImportedConsultation
from app.transactions import write_transaction
from app.types import to_local, utcnow
from app.visits.jobs import forget_purged_outcomes

log = logging.getLogger(__name__)


def forget_old_imports(now: datetime) -> int:
    """Blank the firm name, business number and summary of imported consultations whose day
    is IMPORT_RETENTION_DAYS or more before today (centre-local); flushes only."""
    cutoff = to_local(now).date() - timedelta(days=current_app.config["IMPORT_RETENTION_DAYS"])
    result = db.session.execute(
        update(ImportedConsultation)
        .where(ImportedConsultation.day <= cutoff,
               or_(ImportedConsultation.company_name != "",
                   ImportedConsultation.business_number.is_not(None),
                   ImportedConsultation.summary != ""))
        .values(company_name="", business_number=None, summary="")
        .execution_options(synchronize_session=False))
    return result.rowcount


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Run every part of the purge in one transaction and commit; returns what each changed.

    The pre-screens go first: the bookings, waitlist entries and outcomes that follow are those
    of every erased pre-screen, this run's and any earlier one's, so nothing is left behind
    and a second run changes nothing.
    """
    now = now or utcnow()
    with write_transaction():
        intakes = purge_expired_intakes(now)
        bookings, waitlist = forget_purged_bookings()
        outcomes = forget_purged_outcomes()
        imports = forget_old_imports(now)
        db.session.commit()
    counts = {"intakes": intakes, "bookings": bookings, "waitlist": waitlist,
              "outcomes": outcomes, "imports": imports}
    if any(counts.values()):
        log.info("retention purge: %s", ", ".join(f"{n} {name}" for name, n in counts.items()))
    return counts


JOBS = [ScheduledJob("intake-retention-purge", purge_expired, 3600)]
