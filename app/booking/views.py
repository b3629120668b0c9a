"""Booking pages: pick a day and slots, the private booking page, calendar, cancel, reschedule."""

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from app.booking.errors import BookingConflict, BookingError, BookingNotFound, SlotTaken
from app.booking.planner import day_plan, visit_calendar_for
from app.booking.services import (
    Request,
    book_visit,
    cancel_booking,
    get_booking,
    live_appointments,
    reschedule_booking,
)
from app.booking.waitlist import join_waitlist
from app.extensions import limiter, public_write_limit
from app.inputs import InputError, parse_date, parse_id, parse_moment, parse_text
from app.intake.errors import IntakeNotFound
from app.intake.services import get_intake, list_zones

bp = Blueprint("booking", __name__)


def _chosen_requests(zone_codes: list[str]) -> list[Request]:
    """The slot picked for each zone in the posted form ('<adviser id>|<ISO start>')."""
    requests = []
    for code in zone_codes:
        adviser_id, _bar, start = request.form.get(f"slot_{code}", "").partition("|")
        try:
            requests.append(Request(code, parse_id(adviser_id, "adviser_id"),
                                    parse_moment(start, "start")))
        except InputError:
            continue  # not a slot this page offered: the zone counts as not chosen
    return requests


def _picker_args(default_zones: list[str]) -> tuple[list[str], date | None]:
    known = {zone.code for zone in list_zones()}
    zones = [z for z in request.values.getlist("zones") if z in known] or default_zones
    try:
        day = parse_date(request.values.get("day"), "day")
    except InputError:
        day = None
    return zones, day


def _render_picker(template_args: dict, zones: list[str], day: date | None, status: int = 200):
    plan = day_plan(zones, day)
    return render_template("booking/new.html", plan=plan, **template_args), status


@bp.route("/new/<intake_token>", methods=["GET", "POST"])
@limiter.limit(public_write_limit, methods=["POST"])
def new(intake_token: str):
    try:
        intake = get_intake(intake_token)
    except IntakeNotFound:
        abort(404)
    recommended = [rec["code"] for rec in intake.recommendation]
    zones, day = _picker_args(recommended)
    args = {"intake": intake, "intake_token": intake_token, "mode": "new",
            "action": url_for("booking.new", intake_token=intake_token)}
    if request.method == "POST":
        try:
            _booking, token = book_visit(intake_token, _chosen_requests(zones) or [])
        except BookingError as error:
            flash(error.message, "error")
            status = 409 if isinstance(error, SlotTaken | BookingConflict) else 422
            return _render_picker(args, zones, day, status)
        flash(_("Booked. Keep this page's address: it is your private link."), "success")
        return redirect(url_for("booking.manage", token=token), code=303)
    return _render_picker(args, zones, day)


@bp.post("/new/<intake_token>/waitlist")
def waitlist(intake_token: str):
    zones, day = _picker_args([])
    zone = request.form.get("zone", "")
    if day is None:
        abort(400)
    try:
        join_waitlist(intake_token, zone, day)
    except IntakeNotFound:
        abort(404)
    except BookingError as error:
        flash(error.message, "error")
    else:
        flash(_("You are on the waitlist; we e-mail you in turn when a slot frees."), "success")
    return redirect(url_for("booking.new", intake_token=intake_token, day=day.isoformat(),
                            zones=zones), code=303)


def _booking_or_404(token: str):
    try:
        return get_booking(token)
    except BookingNotFound:
        abort(404)


@bp.get("/<token>")
def manage(token: str):
    booking = _booking_or_404(token)
    return render_template("booking/manage.html", booking=booking, token=token,
                           appointments=live_appointments(booking))


@bp.get("/<token>/calendar.ics")
def calendar(token: str):
    booking = _booking_or_404(token)
    return Response(visit_calendar_for(booking), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="onestop-visit.ics"'})


@bp.post("/<token>/cancel")
def cancel(token: str):
    try:
        cancel_booking(token, parse_text(request.form.get("reason"), "reason",
                                         max_length=1000) or None)
    except BookingNotFound:
        abort(404)
    except BookingError as error:
        flash(error.message, "error")
    else:
        flash(_("Your booking is cancelled."), "success")
    return redirect(url_for("booking.manage", token=token), code=303)


@bp.route("/<token>/reschedule", methods=["GET", "POST"])
def reschedule(token: str):
    booking = _booking_or_404(token)
    current = [a.zone.code for a in live_appointments(booking)]
    zones, day = _picker_args(current)
    args = {"intake": booking.intake, "booking": booking, "mode": "reschedule",
            "action": url_for("booking.reschedule", token=token)}
    if request.method == "POST":
        try:
            reschedule_booking(token, _chosen_requests(zones))
        except BookingError as error:
            flash(error.message, "error")
            status = 409 if isinstance(error, SlotTaken | BookingConflict) else 422
            return _render_picker(args, zones, day, status)
        flash(_("Your booking has been moved."), "success")
        return redirect(url_for("booking.manage", token=token), code=303)
    return _render_picker(args, zones, day)
