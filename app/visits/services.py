"""The adviser's day: agenda with briefings, check-in, no-show and outcomes."""

from collections import Counter
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.auth.audit import record_change
from app.auth.models import User
from app.booking.models import Appointment, Booking
from app.extensions import db
from app.inputs import MAX_AMOUNT_KRW, MAX_COUNT
from app.intake.models import Intake
from app.states import AppointmentStatus
from app.types import center_tz, local_datetime, to_local, utcnow
from app.visits.errors import AppointmentNotFound, InvalidOutcome, NotYetDue, NotYours, WrongState
from app.visits.models import Outcome
from app.visits.visibility import outcome_for, scope_centre, visible_intakes
from app.zones.models import Zone

OUTCOME_FIGURES = ("finance_amount_krw", "patent_transfers", "ip_applications")
# The figures the centre reports for each zone (DESIGN.md: finance executed, patents
# transferred, IP applications helped); the outcome form asks a zone only for its own. The
# API takes every figure for every zone, as API.md says.
ZONE_FIGURES = {"finance": ("finance_amount_krw",),
                "patent": ("patent_transfers", "ip_applications")}
FIGURE_BOUNDS = {"finance_amount_krw": MAX_AMOUNT_KRW, "patent_transfers": MAX_COUNT,
                 "ip_applications": MAX_COUNT}


def _load():
    return (selectinload(Appointment.zone), selectinload(Appointment.adviser),
            selectinload(Appointment.institution),
            selectinload(Appointment.booking).selectinload(Booking.intake)
            .selectinload(Intake.needs))


def agenda(day: date, adviser_id: int | None = None,
           centre_id: int | None = None) -> list[Appointment]:
    """The day's appointments (cancelled ones too, last), of one adviser or all, of one
    centre's zones (`centre_id`: a staff request's, resolved by its view) or, for the daily
    job that writes to each adviser, of every centre (None)."""
    start = local_datetime(day, datetime.min.time())
    query = (select(Appointment).where(Appointment.starts_at >= start,
                                       Appointment.starts_at < start + timedelta(days=1))
             .order_by(Appointment.starts_at, Appointment.id).options(*_load()))
    if centre_id is not None:
        query = query.join(Zone, Appointment.zone_id == Zone.id).where(
            Zone.centre_id == centre_id)
    if adviser_id is not None:
        query = query.where(Appointment.adviser_id == adviser_id)
    return list(db.session.scalars(query))


def outcome_of(appointment_id: int, centre_id: int | None = None) -> Outcome | None:
    """The recorded outcome of an appointment, if any (of `centre_id`'s zones when given: a
    staff request's centre)."""
    query = select(Outcome).where(Outcome.appointment_id == appointment_id)
    if centre_id is not None:
        query = query.join(Appointment, Outcome.appointment_id == Appointment.id).join(
            Zone, Appointment.zone_id == Zone.id).where(Zone.centre_id == centre_id)
    return db.session.scalar(query)


def appointment_for_staff(actor: User, appointment_id: int,
                          centre_id: int | None = None) -> Appointment:
    """The appointment a staff user may act on: 404 (none, or another centre's: the same
    answer), 403 (another adviser's of their centre) or 409 if cancelled. `centre_id` is the
    centre the view resolved (the actor's own when not given)."""
    centre_id = scope_centre(actor, centre_id)
    appointment = None if centre_id is None else db.session.scalar(
        select(Appointment).join(Zone, Appointment.zone_id == Zone.id)
        .where(Appointment.id == appointment_id, Zone.centre_id == centre_id)
        .options(*_load()))
    if appointment is None:
        raise AppointmentNotFound(_("No such appointment."))
    if not actor.is_admin and (actor.adviser is None
                               or actor.adviser.id != appointment.adviser_id):
        raise NotYours(_("You can act only on your own appointments."))
    if appointment.status == AppointmentStatus.CANCELLED:
        raise WrongState(_("This appointment was cancelled."))
    return appointment


def zone_figures(zone_code: str) -> tuple[str, ...]:
    """The outcome figures a zone reports (none for legal, tax, labour, ...)."""
    return ZONE_FIGURES.get(zone_code, ())


def its_day_came(appointment: Appointment, now: datetime) -> bool:
    """Check-in and the outcome are possible from the appointment's (centre-local) day on."""
    return to_local(now).date() >= to_local(appointment.starts_at).date()


def its_start_came(appointment: Appointment, now: datetime) -> bool:
    """A no-show can be marked once the start time has come."""
    return now >= appointment.starts_at


def _from_its_day(appointment: Appointment, now: datetime) -> None:
    if not its_day_came(appointment, now):
        raise NotYetDue(_("This can be done from the appointment's day on."))


def check_in(actor: User, appointment_id: int, now: datetime | None = None, *,
             centre_id: int | None = None) -> Appointment:
    """The visitor has arrived (also corrects an earlier no-show); twice changes nothing."""
    now = now or utcnow()
    appointment = appointment_for_staff(actor, appointment_id, centre_id)
    _from_its_day(appointment, now)
    if appointment.status == AppointmentStatus.CHECKED_IN:
        return appointment
    if appointment.status == AppointmentStatus.COMPLETED:
        raise WrongState(_("This consultation is already completed."))
    before = appointment.status
    appointment.status, appointment.checked_in_at = AppointmentStatus.CHECKED_IN, now
    record_change(actor, "check_in", "appointment", appointment.id,
                  before={"status": before}, after={"status": "checked_in"})
    db.session.commit()
    return appointment


def mark_no_show(actor: User, appointment_id: int, now: datetime | None = None, *,
                 centre_id: int | None = None) -> Appointment:
    """Nobody came: only after the start time, and only for a visit still booked."""
    now = now or utcnow()
    appointment = appointment_for_staff(actor, appointment_id, centre_id)
    if not its_start_came(appointment, now):
        raise NotYetDue(_("A no-show can be marked only after the start time."))
    if appointment.status == AppointmentStatus.NO_SHOW:
        return appointment
    if appointment.status != AppointmentStatus.BOOKED:
        raise WrongState(_("The visitor came already."))
    appointment.status = AppointmentStatus.NO_SHOW
    record_change(actor, "no_show", "appointment", appointment.id,
                  before={"status": "booked"}, after={"status": "no_show"})
    db.session.commit()
    return appointment


def check_outcome(values: dict) -> dict[str, list[str]]:
    """Field errors of an outcome's figures (integers from 0), empty when fine."""
    errors = {}
    for name, bound in FIGURE_BOUNDS.items():
        value = values.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= bound:
            errors[name] = [_("Must be a whole number from 0 to %(bound)s.",
                              bound=f"{bound:,}")]
    for name in ("summary", "follow_up"):
        if not isinstance(values.get(name, ""), str) or len(values.get(name) or "") > 10000:
            errors[name] = [_("Text of %(count)s characters at most.", count="10,000")]
    return errors


def record_outcome(actor: User, appointment_id: int, values: dict,
                   now: datetime | None = None, *, centre_id: int | None = None
                   ) -> Appointment:
    """Record (or correct) what came of a consultation; the appointment becomes completed."""
    now = now or utcnow()
    errors = check_outcome(values)
    if errors:
        raise InvalidOutcome(_("Please check the outcome."), errors)
    appointment = appointment_for_staff(actor, appointment_id, centre_id)
    _from_its_day(appointment, now)
    outcome = outcome_of(appointment.id, appointment.zone.centre_id)
    before = {"status": appointment.status}
    if outcome is None:
        outcome = Outcome(appointment_id=appointment.id,
                          **{name: 0 for name in OUTCOME_FIGURES})
        db.session.add(outcome)
    else:
        before.update({name: getattr(outcome, name) for name in OUTCOME_FIGURES})
    outcome.summary = (values.get("summary") or "").strip()
    outcome.follow_up = (values.get("follow_up") or "").strip()
    for name in OUTCOME_FIGURES:  # a figure not given (not asked of this zone) stays as it is
        if name in values:
            setattr(outcome, name, values[name])
    outcome.recorded_by_id, outcome.recorded_at = actor.id, now
    appointment.status = AppointmentStatus.COMPLETED
    record_change(actor, "outcome", "appointment", appointment.id, before=before,
                  after={"status": "completed",
                         **{name: getattr(outcome, name) for name in OUTCOME_FIGURES}})
    db.session.commit()
    return appointment


def case_file(actor: User, business_number: str, centre_id: int | None = None) -> dict:
    """Every pre-screen, visit and outcome of one firm the actor may see, newest first, at
    their centre (`centre_id`, as the view resolved it; the actor's own when not given).

    No pre-screens means no such firm for this actor (see app/visits/visibility.py).
    """
    intakes = list(db.session.scalars(
        select(Intake).where(Intake.business_number == business_number,
                             visible_intakes(actor, centre_id))
        .order_by(Intake.created_at.desc()).options(selectinload(Intake.needs))))
    ids = [intake.id for intake in intakes] or [0]
    centre_id = intakes[0].centre_id if intakes else 0  # theirs, as visible_intakes said
    appointments = list(db.session.scalars(
        select(Appointment).join(Zone, Appointment.zone_id == Zone.id)
        .where(Appointment.intake_id.in_(ids), Zone.centre_id == centre_id)
        .order_by(Appointment.starts_at.desc()).options(*_load())))
    by_id = {a.id: a for a in appointments}
    outcomes = {o.appointment_id: outcome_for(actor, by_id[o.appointment_id], o)
                for o in db.session.scalars(
                    select(Outcome).join(Appointment, Outcome.appointment_id == Appointment.id)
                    .join(Zone, Appointment.zone_id == Zone.id)
                    .where(Outcome.appointment_id.in_(list(by_id) or [0]),
                           Zone.centre_id == centre_id))}
    held = Counter(a.status for a in appointments)
    return {"intakes": intakes, "appointments": appointments, "outcomes": outcomes,
            "held": held}


def find_firms(actor: User, text: str, limit: int = 20,
               centre_id: int | None = None) -> list[Intake]:
    """Recent pre-screens the actor may see (of their centre: `centre_id`, as the view
    resolved it) whose company name or business number matches.

    The text is matched literally: `%`, `_` and the escape character are not wildcards.
    """
    digits = "".join(c for c in text if c in "0123456789")
    conditions = [Intake.company_name.contains(text.strip(), autoescape=True)]
    if len(digits) >= 3:
        conditions.append(Intake.business_number.contains(digits, autoescape=True))
    return list(db.session.scalars(
        select(Intake).where(Intake.purged_at.is_(None), or_(*conditions),
                             visible_intakes(actor, centre_id))
        .order_by(Intake.created_at.desc()).limit(limit)))


def today_at_centre() -> date:
    """Today on the centre's clock."""
    return utcnow().astimezone(center_tz()).date()
