"""An adviser's availability: rotation rules and exceptions, never stranding a booking silently."""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.auth.audit import record_change
from app.auth.models import User
from app.booking.models import Appointment, Booking
from app.booking.notifications import notify_cancelled
from app.booking.reasons import CancelReason
from app.errors import DomainError
from app.extensions import db
from app.states import AppointmentStatus, BookingStatus, ExceptionKind, StrandedPolicy
from app.types import to_local, utcnow
from app.zones.availability import Slot, free_slots
from app.zones.models import Adviser, AvailabilityException, RotationRule

STRANDED_POLICIES = tuple(StrandedPolicy)


def _end_after_start() -> str:
    return _("The end must be after the start.")


class ScheduleError(DomainError, ValueError):
    """A rule or exception that cannot be saved; the message says why, in the reader's language."""


class StrandedAppointments(ScheduleError):
    """The change would leave booked appointments outside the adviser's hours."""

    def __init__(self, appointments: list[Appointment]):
        super().__init__(ngettext(
            "This change leaves %(num)d booked consultation outside the adviser's hours; "
            "keep or cancel it.",
            "This change leaves %(num)d booked consultations outside the adviser's hours; "
            "keep or cancel them.", len(appointments)))
        self.appointments = appointments


def _adviser(adviser_id: int) -> Adviser:
    adviser = db.session.get(Adviser, adviser_id)
    if adviser is None:
        raise ScheduleError(_("No such adviser."))
    return adviser


def _rule_dict(rule: RotationRule) -> dict:
    return {"adviser_id": rule.adviser_id, "weekday": rule.weekday,
            "start_time": rule.start_time.isoformat(), "end_time": rule.end_time.isoformat(),
            "valid_from": rule.valid_from.isoformat(),
            "valid_until": rule.valid_until.isoformat() if rule.valid_until else None,
            "every_n_weeks": rule.every_n_weeks, "week_offset": rule.week_offset}


def _exception_dict(item: AvailabilityException) -> dict:
    return {"adviser_id": item.adviser_id, "day": item.day.isoformat(), "kind": item.kind,
            "start_time": item.start_time.isoformat() if item.start_time else None,
            "end_time": item.end_time.isoformat() if item.end_time else None, "note": item.note}


def _weeks_collide(a: RotationRule, every: int, offset: int) -> bool:
    """Whether two week patterns share a week (same cycle, different offsets never do)."""
    return not (a.every_n_weeks == every and a.week_offset != offset)


def check_rule(adviser_id: int, weekday: int, start_time: time, end_time: time,
               valid_from: date, valid_until: date | None, every_n_weeks: int,
               week_offset: int, ignore_rule_id: int | None = None) -> None:
    """Raise ScheduleError naming every problem with a rule, overlaps with others included."""
    fields: dict[str, list[str]] = {}
    if not 0 <= weekday <= 6:
        fields["weekday"] = [_("The weekday is 0 (Monday) to 6 (Sunday).")]
    if start_time >= end_time:
        fields["end_time"] = [_end_after_start()]
    if valid_until is not None and valid_until < valid_from:
        fields["valid_until"] = [_("The last day is before the first.")]
    if every_n_weeks < 1 or not 0 <= week_offset < max(every_n_weeks, 1):
        fields["every_n_weeks"] = [
            _("Every n weeks needs n of 1 or more and a week offset below n.")]
    if fields:
        raise ScheduleError(_("Please check the rule."), fields)
    others = db.session.scalars(select(RotationRule).where(
        RotationRule.adviser_id == adviser_id, RotationRule.weekday == weekday,
        RotationRule.id != (ignore_rule_id or 0)))
    for other in others:
        dates_meet = (other.valid_until is None or valid_from <= other.valid_until) and (
            valid_until is None or other.valid_from <= valid_until)
        hours_meet = start_time < other.end_time and other.start_time < end_time
        if dates_meet and hours_meet and _weeks_collide(other, every_n_weeks, week_offset):
            raise ScheduleError(
                _("This overlaps an existing rule (%(start)s–%(end)s).",
                  start=f"{other.start_time:%H:%M}", end=f"{other.end_time:%H:%M}"),
                {"start_time": [_("Overlaps another rule")]})


def _future_booked(adviser_id: int, now: datetime) -> list[Appointment]:
    return list(db.session.scalars(select(Appointment).where(
        Appointment.adviser_id == adviser_id, Appointment.status == AppointmentStatus.BOOKED,
        Appointment.starts_at > now).order_by(Appointment.starts_at)))


def _off_duty(appointments: list[Appointment]) -> list[Appointment]:
    """The appointments that no longer sit on one of their adviser's slots (notice ignored).

    One run of the availability engine per adviser and local day, not one per appointment;
    the day's own appointments are set aside so that only the rota decides.
    """
    by_day: dict[tuple[int, date], list[Appointment]] = defaultdict(list)
    for appointment in appointments:
        by_day[appointment.adviser_id, to_local(appointment.starts_at).date()].append(appointment)
    lost = []
    for (adviser_id, day), group in by_day.items():
        zone = group[0].zone
        if not zone.active:
            lost.extend(group)
            continue
        pretend_now = (min(a.starts_at for a in group)
                       - timedelta(hours=zone.min_notice_hours))
        starts = {slot.start for slot in free_slots(
            zone.code, day, day, adviser_id=adviser_id, now=pretend_now, centre_id=zone.centre_id,
            ignore_appointment_ids=[a.id for a in group])}
        lost.extend(a for a in group if a.starts_at not in starts)
    return sorted(lost, key=lambda a: a.starts_at)


def _settle_stranded(adviser_id: int, before: set[int], stranded: str, actor: User,
                     now: datetime) -> list[Appointment]:
    """After a flushed change: the appointments it strands, handled as the policy says."""
    if stranded not in STRANDED_POLICIES:
        raise ScheduleError(_("Unknown policy for stranded bookings."))
    lost = _off_duty([a for a in _future_booked(adviser_id, now) if a.id in before])
    if lost and stranded == StrandedPolicy.REFUSE:
        db.session.rollback()
        raise StrandedAppointments(lost)
    if stranded == StrandedPolicy.CANCEL:
        for appointment in lost:
            appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, now
            booking: Booking = appointment.booking
            if all(a.status == AppointmentStatus.CANCELLED for a in booking.appointments):
                booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
                booking.cancel_reason = CancelReason.ADVISER_SCHEDULE
            record_change(actor, "cancel_stranded", "appointment", appointment.id,
                          before={"status": "booked"}, after={"status": "cancelled"})
            db.session.flush()
            notify_cancelled(booking, [appointment], now)  # the firm hears of it
    return lost


def _change(actor: User, adviser_id: int, apply: Callable[[], object], stranded: str,
            now: datetime | None):
    """Apply a change, flush, settle what it strands, commit; returns (result, stranded)."""
    now = now or utcnow()
    before = {a.id for a in _future_booked(adviser_id, now)}
    result = apply()
    db.session.flush()
    lost = _settle_stranded(adviser_id, before, stranded, actor, now)
    db.session.commit()
    return result, lost


def add_rotation_rule(actor: User, adviser_id: int, *, weekday: int, start_time: time,
                      end_time: time, valid_from: date, valid_until: date | None = None,
                      every_n_weeks: int = 1, week_offset: int = 0) -> RotationRule:
    """Add a duty rule after checking it (adding hours never strands a booking)."""
    _adviser(adviser_id)
    check_rule(adviser_id, weekday, start_time, end_time, valid_from, valid_until,
               every_n_weeks, week_offset)
    rule = RotationRule(adviser_id=adviser_id, weekday=weekday, start_time=start_time,
                        end_time=end_time, valid_from=valid_from, valid_until=valid_until,
                        every_n_weeks=every_n_weeks, week_offset=week_offset)
    db.session.add(rule)
    db.session.flush()
    record_change(actor, "create", "rotation_rule", rule.id, after=_rule_dict(rule))
    db.session.commit()
    return rule


def delete_rotation_rule(actor: User, rule_id: int, *, stranded: str = StrandedPolicy.REFUSE,
                         now: datetime | None = None) -> list[Appointment]:
    """Remove a duty rule; booked appointments it strands are refused, kept or cancelled."""
    rule = db.session.get(RotationRule, rule_id)
    if rule is None:
        raise ScheduleError(_("No such rule."))
    snapshot, adviser_id = _rule_dict(rule), rule.adviser_id

    def apply():
        db.session.delete(rule)
        record_change(actor, "delete", "rotation_rule", rule_id, before=snapshot)

    _result, lost = _change(actor, adviser_id, apply, stranded, now)
    return lost


def add_exception(actor: User, adviser_id: int, *, day: date, kind: str,
                  start_time: time | None = None, end_time: time | None = None, note: str = "",
                  stranded: str = StrandedPolicy.REFUSE, now: datetime | None = None
                  ) -> AvailabilityException:
    """A day or hours off, or extra hours; time off that strands bookings asks first."""
    _adviser(adviser_id)
    fields: dict[str, list[str]] = {}
    if kind not in tuple(ExceptionKind):
        fields["kind"] = [_("The kind is off or extra.")]
    if (start_time is None) != (end_time is None):
        fields["end_time"] = [_("Give both the start and the end.")]
    elif start_time is not None and start_time >= end_time:
        fields["end_time"] = [_end_after_start()]
    elif start_time is None and kind == ExceptionKind.EXTRA:
        fields["start_time"] = [_("Extra hours need a start and an end.")]
    if day < (now or utcnow()).date() - timedelta(days=1):
        fields["day"] = [_("That day has passed.")]
    if fields:
        raise ScheduleError(_("Please check the time off or extra hours."), fields)
    item = AvailabilityException(adviser_id=adviser_id, day=day, kind=kind, start_time=start_time,
                                 end_time=end_time, note=(note or "").strip()[:200])

    def apply():
        db.session.add(item)
        db.session.flush()
        record_change(actor, "create", "availability_exception", item.id,
                      after=_exception_dict(item))
        return item

    result, _lost = _change(actor, adviser_id, apply, stranded, now)
    return result


def delete_exception(actor: User, exception_id: int, *, stranded: str = StrandedPolicy.REFUSE,
                     now: datetime | None = None) -> list[Appointment]:
    """Remove an exception (removing extra hours may strand bookings: asks first)."""
    item = db.session.get(AvailabilityException, exception_id)
    if item is None:
        raise ScheduleError(_("No such time off or extra hours."))
    snapshot, adviser_id = _exception_dict(item), item.adviser_id

    def apply():
        db.session.delete(item)
        record_change(actor, "delete", "availability_exception", exception_id, before=snapshot)

    _result, lost = _change(actor, adviser_id, apply, stranded, now)
    return lost


def preview_slots(adviser_id: int, first_day: date, last_day: date) -> list[Slot]:
    """The bookable slots an adviser's availability produces in a window."""
    adviser = _adviser(adviser_id)
    return free_slots(adviser.zone.code, first_day, last_day, adviser_id=adviser_id,
                      centre_id=adviser.zone.centre_id)
