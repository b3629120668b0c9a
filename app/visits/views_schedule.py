"""The adviser's availability (rules, exceptions, a preview of slots) and walk-ins."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.auth.decorators import staff_required
from app.booking.errors import BookingError
from app.booking.handover import TIME_OFF, affected, booked_during, read_decisions, settle_affected
from app.booking.walkin import NumberHeldByAnotherFirm, register_walk_in, walk_in_slots
from app.extensions import db
from app.inputs import parse_id, parse_moment
from app.intake.services import list_zones
from app.states import ExceptionKind, StrandedPolicy
from app.types import to_local
from app.visits.forms import (
    RULE_PREFIX,
    TIME_OFF_PREFIX,
    ExceptionForm,
    RuleForm,
    WalkInForm,
)
from app.visits.schedule import (
    ScheduleError,
    StrandedAppointments,
    add_exception,
    add_rotation_rule,
    delete_exception,
    delete_rotation_rule,
    preview_slots,
)
from app.visits.services import today_at_centre
from app.visits.settle import flash_settled
from app.visits.staff import (
    advisers_for_picker,
    centre_adviser,
    chosen_adviser_id,
    held_number_notice,
)
from app.visits.views import bp, my_centre
from app.zones.errors import UnknownZone
from app.zones.models import Adviser, AvailabilityException, RotationRule, Zone

PREVIEW_DAYS = 14


def _adviser() -> Adviser | None:
    """The adviser the page is about, of the user's centre (resolved once here): another
    centre's adviser id is 404, as one that does not exist."""
    centre_id = my_centre()
    adviser_id = chosen_adviser_id(current_user, request.values.get("adviser_id"), centre_id)
    return centre_adviser(adviser_id, centre_id) if adviser_id else None


def _own(model, item_id: int, adviser: Adviser):
    """The adviser's rule or exception by id (of their centre's zones), else None."""
    return db.session.scalar(select(model).join(Adviser, model.adviser_id == Adviser.id)
                             .join(Zone, Adviser.zone_id == Zone.id)
                             .where(model.id == item_id, model.adviser_id == adviser.id,
                                    Zone.centre_id == adviser.zone.centre_id))


def _page(adviser: Adviser | None, rule_form=None, exception_form=None, stranded=None,
          pending=None, status: int = 200):
    today = today_at_centre()
    context = {"adviser": adviser,
               "advisers": advisers_for_picker(current_user, my_centre()),
               "rule_form": rule_form or RuleForm(prefix=RULE_PREFIX, valid_from=today),
               "exception_form": exception_form or ExceptionForm(prefix=TIME_OFF_PREFIX,
                                                                 day=today),
               "stranded": stranded or [], "pending": pending}
    if adviser is not None:
        context.update(
            rules=sorted(adviser.rotation_rules, key=lambda r: (r.weekday, r.start_time)),
            exceptions=list(db.session.scalars(
                select(AvailabilityException).where(
                    AvailabilityException.adviser_id == adviser.id,
                    AvailabilityException.day >= today)
                .order_by(AvailabilityException.day))),
            preview=_preview(adviser, today))
        context["left_behind"] = {e.id: len(_time_off_bookings(e)) for e in context["exceptions"]}
    return render_template("visits/availability.html", **context), status


def _preview(adviser: Adviser, today) -> list:
    """The next two weeks' slots; none while the adviser's zone is switched off."""
    try:
        return preview_slots(adviser.id, today, today + timedelta(days=PREVIEW_DAYS - 1))
    except UnknownZone:
        return []


@bp.get("/availability")
@staff_required()
def availability():
    return _page(_adviser())


def _back(adviser: Adviser):
    args = {"adviser_id": adviser.id} if current_user.is_admin else {}
    return redirect(url_for("visits.availability", **args), code=303)


def _owned(adviser: Adviser | None) -> Adviser:
    if adviser is None:
        abort(404)
    return adviser


@bp.post("/availability/rules")
@staff_required()
def add_rule():
    adviser = _owned(_adviser())
    form = RuleForm(prefix=RULE_PREFIX)
    if form.validate_on_submit():
        try:
            add_rotation_rule(current_user, adviser.id, weekday=int(form.weekday.data),
                              start_time=form.start_time.data, end_time=form.end_time.data,
                              valid_from=form.valid_from.data, valid_until=form.valid_until.data,
                              every_n_weeks=form.every_n_weeks.data,
                              week_offset=form.week_offset)
        except ScheduleError as error:
            for name, messages in error.fields.items():
                form[name].errors = list(messages)
            flash(error.message, "error")
        else:
            flash(_("Rule added."), "success")
            return _back(adviser)
    return _page(adviser, rule_form=form, status=422)


def _stranded_choice(action, *args):
    """Run a change that may strand bookings; on refusal, show them and ask what to do."""
    policy = request.form.get("stranded", StrandedPolicy.REFUSE)
    try:
        result = action(*args, stranded=policy)
        lost = result if isinstance(result, list) else []
    except StrandedAppointments as error:
        return error.appointments
    except ScheduleError as error:
        flash(error.message, "error")
        return None
    if lost and policy == StrandedPolicy.CANCEL:
        flash(ngettext("Cancelled %(num)d booking.", "Cancelled %(num)d bookings.", len(lost)),
              "info")
    elif lost:
        flash(ngettext("Kept %(num)d booking.", "Kept %(num)d bookings.", len(lost)), "info")
    flash(_("Saved."), "success")
    return None


@bp.post("/availability/rules/<int:rule_id>/delete")
@staff_required()
def remove_rule(rule_id: int):
    adviser = _owned(_adviser())
    rule = _own(RotationRule, rule_id, adviser)
    if rule is None:
        abort(404)
    stranded = _stranded_choice(delete_rotation_rule, current_user, rule_id)
    if stranded:
        return _page(adviser, stranded=stranded, status=409, pending={
            "action": url_for("visits.remove_rule", rule_id=rule_id), "fields": {}})
    return _back(adviser)


@bp.post("/availability/exceptions")
@staff_required()
def add_time_off():
    adviser = _owned(_adviser())
    form = ExceptionForm(prefix=TIME_OFF_PREFIX)
    if not form.validate_on_submit():
        return _page(adviser, exception_form=form, status=422)
    fields = {"day": form.day.data, "kind": form.kind.data, "start_time": form.start_time.data,
              "end_time": form.end_time.data, "note": form.note.data or ""}
    saved = []

    def apply(*, stranded):
        saved.append(add_exception(current_user, adviser.id, stranded=stranded, **fields))
        return saved[-1]

    stranded = _stranded_choice(apply)
    if stranded:
        return _page(adviser, exception_form=form, stranded=stranded, status=409, pending={
            "action": url_for("visits.add_time_off"), "fields": request.form})
    if saved and _time_off_bookings(saved[0]):  # kept: list them, to tell or hand over
        return redirect(_args_url("visits.time_off_bookings", adviser,
                                  exception_id=saved[0].id), code=303)
    return _back(adviser)


def _args_url(endpoint: str, adviser: Adviser, **values) -> str:
    if current_user.is_admin:
        values["adviser_id"] = adviser.id
    return url_for(endpoint, **values)


def _time_off_bookings(item: AvailabilityException) -> list:
    """The booked appointments still to come that a day or hours off leave without adviser."""
    if item.kind != ExceptionKind.OFF:
        return []
    return booked_during(item.day, adviser_id=item.adviser_id, start=item.start_time,
                         end=item.end_time)


@bp.route("/availability/exceptions/<int:exception_id>/bookings", methods=["GET", "POST"])
@staff_required()
def time_off_bookings(exception_id: int):
    """The bookings a time off leaves behind: tell each firm or hand it to a free colleague,
    all in one step (the adviser's own, so every firm listed is one they may see)."""
    adviser = _owned(_adviser())
    item = _own(AvailabilityException, exception_id, adviser)
    if item is None:
        abort(404)
    booked = _time_off_bookings(item)
    status = 200
    if request.method == "POST":
        try:
            settled = settle_affected(current_user, read_decisions(request.form, booked),
                                      TIME_OFF, booked)
        except BookingError as error:
            flash(error.message, "error")
            status = 409 if error.status == 409 else 422
        else:
            flash_settled(settled)
            return redirect(_args_url("visits.time_off_bookings", adviser,
                                      exception_id=exception_id), code=303)
    return render_template("visits/time_off_bookings.html", adviser=adviser, item=item,
                           affected=affected(booked)), status


@bp.post("/availability/exceptions/<int:exception_id>/delete")
@staff_required()
def remove_time_off(exception_id: int):
    adviser = _owned(_adviser())
    item = _own(AvailabilityException, exception_id, adviser)
    if item is None:
        abort(404)
    stranded = _stranded_choice(delete_exception, current_user, exception_id)
    if stranded:
        return _page(adviser, stranded=stranded, status=409, pending={
            "action": url_for("visits.remove_time_off", exception_id=exception_id),
            "fields": {}})
    return _back(adviser)


@bp.route("/walk-in", methods=["GET", "POST"])
@staff_required()
def walk_in():
    centre_id = my_centre()
    zone_code = request.values.get("zone") or (
        current_user.adviser.zone.code if current_user.adviser else "legal")
    slots = walk_in_slots(zone_code, centre_id=centre_id)
    form = WalkInForm()
    form.slot.choices = [SelectChoice(f"{s.adviser_id}|{s.start.isoformat()}", _slot_label(s))
                         for s in slots]
    holder = None
    if form.validate_on_submit():
        adviser_id, _sep, start = form.slot.data.partition("|")
        try:
            booking = register_walk_in(current_user.id, form.values(), zone_code,
                                       parse_id(adviser_id, "adviser_id"),
                                       parse_moment(start, "start"),
                                       number_confirmed=form.number_confirmed(),
                                       centre_id=centre_id)
        except NumberHeldByAnotherFirm as error:
            holder = held_number_notice(current_user, error.holder, centre_id)
            form.business_number.errors = [holder]
            form.held_number.data = error.holder.business_number
            form.confirm_number.data = False
        except BookingError as error:
            flash(error.message, "error")
        else:
            flash(_("Walk-in registered and checked in."), "success")
            return redirect(url_for("visits.agenda", date=booking.visit_date.isoformat()),
                            code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("visits/walkin.html", form=form, zone_code=zone_code,
                           zones=list_zones(centre_id), slots=slots, holder=holder), status


def _slot_label(slot) -> Markup:
    """'14:00 · 김정의': the adviser's name is data, not the page's language."""
    return Markup('{} · <span translate="no">{}</span>').format(
        f"{to_local(slot.start):%H:%M}", slot.adviser_name)
