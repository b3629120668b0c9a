"""The weekly summary to each centre's admins: last week's counts of their own centre
(numbers only, no firm or person named) and its outbox's messages by status, in a message
that carries that centre's facts."""

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from app.admin.centre_rows import outbox_of
from app.auth.models import User
from app.centres.models import Centre
from app.centres.services import CentreFacts, centre_values
from app.extensions import db
from app.notify.outbox import enqueue, status_counts
from app.notify.scheduler import ScheduledJob
from app.states import Role
from app.stats.weekly import previous_week, weekly_counts
from app.transactions import write_transaction
from app.types import to_local, utcnow


def send_weekly_summary(now: datetime | None = None) -> int:
    """From the set weekday and hour on, each active admin gets last week's figures of their
    own centre once (one summary per centre, to that centre's admins)."""
    now = now or utcnow()
    config, local = current_app.config, to_local(now)
    if (local.weekday(), local.hour) < (config["WEEKLY_SUMMARY_WEEKDAY"],
                                        config["WEEKLY_SUMMARY_HOUR"]):
        return 0
    first, last = previous_week(now)
    written = 0
    with write_transaction():
        admins = list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active)
                                         .order_by(User.centre_id, User.id)))
        by_centre: dict[int, list[User]] = {}
        for admin in admins:
            by_centre.setdefault(admin.centre_id, []).append(admin)
        for centre_id, members in by_centre.items():
            centre = CentreFacts.of(db.session.get(Centre, centre_id))
            counts, zones = weekly_counts(first, last, centre_id)
            outbox = status_counts(outbox_of(centre_id))  # as its admins' outbox page counts
            context = {"week_start": first, "week_end": last, "counts": counts, "zones": zones,
                       "outbox": outbox, "centre_code": centre.code, **centre_values(centre),
                       "admin_url": f"{config['PUBLIC_BASE_URL']}/admin/"}
            for admin in members:
                if enqueue(f"weekly:{first.isoformat()}:{admin.id}", admin.email, "weekly",
                           {**context, "name": admin.name}, now=now):
                    written += 1
        db.session.commit()
    return written


JOBS = [ScheduledJob("admin-weekly-summary", send_weekly_summary, 3600)]
