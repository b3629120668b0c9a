"""The adviser's workspace: the day's agenda with briefings, visit actions, case files."""

from datetime import date, datetime, timedelta

from babel.dates import format_date
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import staff_required
from app.centres.scope import own_centre
from app.inputs import MAX_DATE, MIN_DATE, parse_date
from app.intake.rules import business_number_digits
from app.main.errors import error_response
from app.main.i18n import current_locale
from app.main.security import safe_local_path
from app.types import to_local, utcnow
from app.visits.agenda import agenda_day, briefed
from app.visits.errors import AppointmentNotFound, NotYours, OtherAdviser, VisitError
from app.visits.forms import OutcomeForm
from app.visits.services import (
    appointment_for_staff,
    case_file,
    check_in,
    find_firms,
    mark_no_show,
    outcome_of,
    record_outcome,
    today_at_centre,
    zone_figures,
)
from app.visits.staff import advisers_for_picker, chosen_adviser_id

bp = Blueprint("visits", __name__)
# A day without its year: '12월 9일', '9 Dec' (where a moved visit went).
MONTH_DAY = {"ko": "M월 d일", "en": "d MMM"}


@bp.app_template_filter("local_month_day")
def local_month_day(moment: datetime) -> str:
    """The centre-local day of an instant, without the year, in the page's language."""
    locale = current_locale()
    return format_date(to_local(moment).date(), MONTH_DAY.get(locale.language, MONTH_DAY["en"]),
                       locale=locale)


def _day() -> date:
    """The agenda's day: `date` as YYYY-MM-DD, today when absent; a malformed one is 400."""
    value = request.args.get("date")
    if not value:
        return today_at_centre()
    return parse_date(value, "date")  # a malformed one is 400 (app/main/errors.py)


def my_centre() -> int:
    """The centre of this staff request, resolved once (app/centres/scope.py): the user's
    own; a `?centre=` naming another is 403."""
    return own_centre(current_user).id


@bp.get("/")
@staff_required()
def agenda():
    centre_id = my_centre()
    day = _day()
    adviser_id = chosen_adviser_id(current_user, request.args.get("adviser_id"), centre_id)
    today = today_at_centre()
    return render_template(
        "visits/agenda.html", day=day,
        entries=agenda_day(current_user, day, adviser_id, centre_id=centre_id),
        adviser_id=adviser_id, advisers=advisers_for_picker(current_user, centre_id),
        today=today,
        days={"previous": day - timedelta(days=1) if day > MIN_DATE else None,
              "today": today, "next": day + timedelta(days=1) if day < MAX_DATE else None})


@bp.errorhandler(AppointmentNotFound)
def unknown_appointment(error: AppointmentNotFound):
    return error_response(404)


@bp.errorhandler(OtherAdviser)
def unknown_adviser(error: OtherAdviser):
    return error_response(404)


@bp.errorhandler(NotYours)
def not_yours(error: NotYours):
    return error_response(403, error.message)


def _act(action, appointment_id: int, done: str):
    centre_id = my_centre()
    back = safe_local_path(request.form.get("back"))
    try:
        appointment = action(current_user, appointment_id, centre_id=centre_id)
    except (AppointmentNotFound, NotYours):
        raise
    except VisitError as error:
        flash(error.message, "error")
        return redirect(back or url_for("visits.agenda"), code=303)
    flash(done, "success")
    day = to_local(appointment.starts_at).date().isoformat()
    return redirect(back or url_for("visits.agenda", date=day), code=303)


@bp.post("/appointments/<int:appointment_id>/check-in")
@staff_required()
def do_check_in(appointment_id: int):
    return _act(check_in, appointment_id, _("Checked in."))


@bp.post("/appointments/<int:appointment_id>/no-show")
@staff_required()
def do_no_show(appointment_id: int):
    return _act(mark_no_show, appointment_id, _("Marked as a no-show."))


@bp.route("/appointments/<int:appointment_id>/outcome", methods=["GET", "POST"])
@staff_required()
def outcome(appointment_id: int):
    centre_id = my_centre()
    try:
        appointment = appointment_for_staff(current_user, appointment_id, centre_id)
    except (AppointmentNotFound, NotYours):
        raise
    except VisitError as error:
        flash(error.message, "error")
        return redirect(url_for("visits.agenda"), code=303)
    existing = outcome_of(appointment.id, centre_id)
    form = OutcomeForm(obj=existing).for_zone(zone_figures(appointment.zone.code))
    if form.validate_on_submit():
        try:
            record_outcome(current_user, appointment.id, form.values(), centre_id=centre_id)
        except VisitError as error:
            flash(error.message, "error")
        else:
            flash(_("Outcome saved."), "success")
            return redirect(url_for("visits.agenda",
                                    date=to_local(appointment.starts_at).date().isoformat()),
                            code=303)
    status = 422 if form.is_submitted() else 200
    entry = briefed(current_user, [appointment], to_local(appointment.starts_at).date(),
                    utcnow(), centre_id)[0]
    return render_template("visits/outcome.html", form=form, appointment=appointment,
                           entry=entry), status


@bp.get("/companies")
@staff_required()
def companies():
    centre_id = my_centre()
    query = request.args.get("q", "").strip()
    firms = find_firms(current_user, query, centre_id=centre_id) if len(query) >= 2 else []
    return render_template("visits/companies.html", query=query, firms=firms)


@bp.get("/company/<number>")
@staff_required()
def company(number: str):
    centre_id = my_centre()
    digits = business_number_digits(number)
    if digits is None:
        abort(404)
    record = case_file(current_user, digits, centre_id)
    if not record["intakes"]:  # none, or none this user may see: the same 404
        abort(404)
    return render_template("visits/case.html", number=digits, **record)
