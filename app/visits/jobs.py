"""The adviser side's scheduled jobs (automatic no-shows, the morning agenda by e-mail) and its
part of the retention purge."""

from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from app.auth.audit import record_change
from app.booking.models import Appointment
from app.centres.services import centre_by_id, centre_values
from app.extensions import db
from app.intake.jobs import purged_intakes
from app.notify.outbox import enqueue
from app.notify.scheduler import ScheduledJob
from app.states import OPEN_APPOINTMENT, AppointmentStatus
from app.transactions import write_transaction
from app.types import to_local, utcnow
from app.visits.models import Outcome
from app.visits.services import agenda


def mark_no_shows(now: datetime | None = None) -> int:
    """Mark as no-show every appointment nobody checked in to, a while after its end.

    One conditional UPDATE: an appointment checked in, completed or cancelled meanwhile is
    left alone, and a second run finds nothing. Each change gets an audit entry (no actor).
    """
    now = now or utcnow()
    cutoff = now - timedelta(minutes=current_app.config["NO_SHOW_AFTER_MINUTES"])
    marked = list(db.session.execute(
        update(Appointment)
        .where(Appointment.status == AppointmentStatus.BOOKED, Appointment.ends_at <= cutoff)
        .values(status=AppointmentStatus.NO_SHOW, updated_at=now)
        .returning(Appointment.id)
        .execution_options(synchronize_session=False)).scalars())
    for appointment_id in marked:
        record_change(None, "no_show_auto", "appointment", appointment_id,
                      before={"status": "booked"}, after={"status": "no_show"})
    db.session.commit()
    return len(marked)


def _item(appointment: Appointment) -> dict:
    intake = appointment.booking.intake
    return {"start": appointment.starts_at, "end": appointment.ends_at,
            "zone": appointment.zone.name, "zone_en": appointment.zone.name_en,
            "company": intake.company_name or "", "stage": intake.stage,
            "needs": [n.label for n in intake.needs],
            "needs_en": [n.label_en for n in intake.needs]}


def send_agendas(now: datetime | None = None) -> int:
    """From AGENDA_HOUR on, each adviser with consultations still ahead today gets the day's list.

    Once a day per adviser (the dedupe key names both); returns how many were written.
    """
    now = now or utcnow()
    local = to_local(now)
    if local.hour < current_app.config["AGENDA_HOUR"]:
        return 0
    day, written = local.date(), 0
    base = current_app.config["PUBLIC_BASE_URL"]
    with write_transaction():
        by_adviser = defaultdict(list)
        for appointment in agenda(day):
            if appointment.status in OPEN_APPOINTMENT:
                by_adviser[appointment.adviser].append(appointment)
        for adviser, appointments in by_adviser.items():
            if (not adviser.active or adviser.user is None
                    or not any(a.starts_at > now for a in appointments)):
                continue
            if enqueue(f"agenda:{adviser.id}:{day.isoformat()}", adviser.user.email, "agenda",
                       {**centre_values(centre_by_id(adviser.zone.centre_id)),  # theirs
                        "adviser": adviser.name, "day": day,
                        "items": [_item(a) for a in appointments],
                        "agenda_url": f"{base}/adviser/?day={day.isoformat()}"}, now=now):
                written += 1
        db.session.commit()
    return written


def forget_purged_outcomes() -> int:
    """Blank the free text of the outcomes of erased pre-screens, keeping every figure (and
    when it was recorded); flushes only. Returns how many were blanked.

    One conditional UPDATE: a second run changes nothing, and an outcome recorded after its
    pre-screen was erased is blanked by the next run.
    """
    of_purged = select(Appointment.id).where(Appointment.intake_id.in_(purged_intakes()))
    result = db.session.execute(
        update(Outcome)
        .where(Outcome.appointment_id.in_(of_purged),
               or_(Outcome.summary != "", Outcome.follow_up != ""))
        .values(summary="", follow_up="", recorded_at=Outcome.recorded_at)
        .execution_options(synchronize_session=False))
    return result.rowcount


JOBS = [
    ScheduledJob("visits-no-show", mark_no_shows, 300),
    ScheduledJob("visits-agenda", send_agendas, 600),
]
