"""The agenda page's day: each appointment with what the adviser needs beside it.

A rescheduled visit is recorded by app/booking/services.reschedule_booking as its old
appointments cancelled and new ones added to the same booking; so an old slot "moved" when
its booking holds a newer live appointment in the same zone, and it is shown once, compactly,
pointing at where it went. Everything else is shown with its briefing: the recommended
institution, the firm's other appointments that day, whether it is a returning firm.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.booking.models import Appointment
from app.extensions import db
from app.intake.models import Intake
from app.states import AppointmentStatus
from app.types import local_datetime, to_local, utcnow
from app.visits.services import agenda, its_day_came, its_start_came
from app.visits.visibility import scope_centre, visible_intakes
from app.zones.models import Institution, Zone


@dataclass(frozen=True)
class Actions:
    """What the adviser can do with an appointment now, and why not the rest yet."""

    check_in: bool = False
    no_show: bool = False
    outcome: bool = False
    waiting: tuple[str, ...] = ()  # short reasons, in the reader's language


@dataclass
class Entry:
    """One line of the agenda."""

    appointment: Appointment
    actions: Actions = field(default_factory=Actions)
    moved_to: Appointment | None = None
    others: list[Appointment] = field(default_factory=list)  # the firm's, that day
    recommended: Institution | None = None
    returning: int = 0  # the firm's completed consultations before that day
    case_file: bool = False  # the actor may open the firm's case file


def actions_for(appointment: Appointment, now: datetime) -> Actions:
    """The actions app/visits/services.py would accept now, with a reason for the others."""
    status = appointment.status
    if status == AppointmentStatus.CANCELLED:
        return Actions()
    if not its_day_came(appointment, now):
        return Actions(waiting=(_("Check-in and the outcome open on the day of the visit."),))
    waiting = []
    no_show = status == AppointmentStatus.BOOKED and its_start_came(appointment, now)
    if status == AppointmentStatus.BOOKED and not no_show:
        waiting.append(_("A no-show can be marked from %(time)s, once the consultation "
                         "was due to start.", time=f"{to_local(appointment.starts_at):%H:%M}"))
    return Actions(check_in=status in (AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW),
                   no_show=no_show, outcome=True, waiting=tuple(waiting))


def moved_to(appointment: Appointment) -> Appointment | None:
    """Where a cancelled appointment went when its visit was rescheduled: the newest live
    appointment of the same booking in the same zone (None for a real cancellation)."""
    if appointment.status != AppointmentStatus.CANCELLED:
        return None
    newer = [a for a in appointment.booking.appointments
             if a.is_live and a.zone_id == appointment.zone_id and a.id > appointment.id]
    return max(newer, key=lambda a: a.id) if newer else None


def _firm_key(intake: Intake) -> tuple[str, object]:
    """A firm is its business number; a pre-founder's pre-screen stands alone."""
    return ("number", intake.business_number) if intake.business_number else ("intake",
                                                                              intake.id)


def _firm_condition(intakes: list[Intake]):
    numbers = {i.business_number for i in intakes if i.business_number}
    ids = {i.id for i in intakes if not i.business_number}
    return or_(Intake.business_number.in_(numbers or [""]), Intake.id.in_(ids or [0]))


def _same_day_appointments(intakes: list[Intake], day: date, centre_id: int) -> dict:
    """The live appointments of these firms on that day at the centre, by firm."""
    start = local_datetime(day, time.min)
    rows = db.session.execute(
        select(Appointment, Intake.id, Intake.business_number)
        .join(Intake, Appointment.intake_id == Intake.id)
        .where(_firm_condition(intakes), Intake.centre_id == centre_id,
               Appointment.starts_at >= start,
               Appointment.starts_at < start + timedelta(days=1),
               Appointment.status != AppointmentStatus.CANCELLED)
        .order_by(Appointment.starts_at)
        .options(selectinload(Appointment.zone)))
    found = defaultdict(list)
    for appointment, intake_id, number in rows:
        found[("number", number) if number else ("intake", intake_id)].append(appointment)
    return found


def _completed_before(intakes: list[Intake], day: date, centre_id: int) -> dict:
    """How many consultations each of these firms completed at the centre before that day."""
    rows = db.session.execute(
        select(Intake.id, Intake.business_number).join(
            Appointment, Appointment.intake_id == Intake.id)
        .where(_firm_condition(intakes), Intake.centre_id == centre_id,
               Appointment.status == AppointmentStatus.COMPLETED,
               Appointment.starts_at < local_datetime(day, time.min)))
    counts = defaultdict(int)
    for intake_id, number in rows:
        counts[("number", number) if number else ("intake", intake_id)] += 1
    return counts


def _visible_numbers(actor: User, intakes: list[Intake], centre_id: int) -> set[str]:
    numbers = {i.business_number for i in intakes if i.business_number}
    if not numbers:
        return set()
    return set(db.session.scalars(select(Intake.business_number).where(
        Intake.business_number.in_(numbers), visible_intakes(actor, centre_id)).distinct()))


def _recommended(intakes: list[Intake], centre_id: int) -> dict[tuple[int, str], Institution]:
    """The institution each pre-screen's routing recommended, by (intake id, zone code),
    among the centre's own institutions."""
    wanted = {(i.id, rec.get("code")): rec.get("institution_id")
              for i in intakes for rec in (i.recommendation or [])
              if isinstance(rec, dict) and rec.get("institution_id")}
    ids = {value for value in wanted.values() if isinstance(value, int)}
    institutions = {i.id: i for i in db.session.scalars(
        select(Institution).join(Zone, Institution.zone_id == Zone.id)
        .where(Institution.id.in_(ids or [0]), Zone.centre_id == centre_id))}
    return {key: institutions[value] for key, value in wanted.items() if value in institutions}


def briefed(actor: User, appointments: list[Appointment], day: date,
            now: datetime, centre_id: int | None = None) -> list[Entry]:
    """Entries with their briefing extras for appointments of one day at the actor's
    centre (`centre_id`, as the view resolved it; the actor's own when not given)."""
    centre_id = scope_centre(actor, centre_id) or 0
    intakes = list({a.booking.intake.id: a.booking.intake for a in appointments}.values())
    same_day = _same_day_appointments(intakes, day, centre_id)
    completed = _completed_before(intakes, day, centre_id)
    visible = _visible_numbers(actor, intakes, centre_id)
    recommended = _recommended(intakes, centre_id)
    entries = []
    for a in appointments:
        intake = a.booking.intake
        key = _firm_key(intake)
        entries.append(Entry(
            appointment=a, actions=actions_for(a, now),
            others=[o for o in same_day.get(key, []) if o.id != a.id],
            recommended=recommended.get((intake.id, a.zone.code)),
            returning=completed.get(key, 0),
            case_file=intake.business_number in visible))
    return entries


def agenda_day(actor: User, day: date, adviser_id: int | None,
               now: datetime | None = None, centre_id: int | None = None) -> list[Entry]:
    """The agenda of a day at the actor's centre (`centre_id`, as the view resolved it):
    briefed entries, and each moved visit once, without a briefing."""
    now = now or utcnow()
    centre_id = scope_centre(actor, centre_id) or 0
    shown, moved, seen = [], [], set()
    for a in sorted(agenda(day, adviser_id, centre_id), key=lambda a: a.id, reverse=True):
        target = moved_to(a)
        if target is None:
            shown.append(a)
        elif (a.booking_id, a.zone_id) not in seen:  # the last slot it left, once
            seen.add((a.booking_id, a.zone_id))
            moved.append(Entry(appointment=a, moved_to=target))
    entries = briefed(actor, shown, day, now, centre_id) + moved
    return sorted(entries, key=lambda e: (e.appointment.starts_at, e.appointment.id))

