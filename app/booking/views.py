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
from app.booking.journey import visit_step
from app.booking.month import institution_day, weekday_names
from app.booking.notifications import booking_centre, calendar_events, visit_title
from app.booking.planner import day_plan, visit_calendar_for
from app.booking.services import (
    Request,
    book_visit,
    cancel_booking,
    get_booking,
    live_appointments,
    open_booking,
    reschedule_booking,
)
from app.booking.waitlist import join_waitlist, queue_position, waitlist_places
from app.extensions import limiter, public_write_limit
from app.inputs import InputError, parse_date, parse_id, parse_moment, parse_text
from app.intake.errors import IntakeNotFound
from app.intake.services import get_intake, list_zones
from app.intake.views import STANDING_BOOKING
from app.main.i18n import current_language
from app.notify.addresses import masked_address
from app.notify.ics import NAVER_CALENDAR, google_calendar_url
from app.states import BookingStatus
from app.types import local_today

bp = Blueprint("booking", __name__)
bp.add_app_template_global(institution_day)


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


def _picker_args(default_zones: list[str],
                 centre_id: int | None = None) -> tuple[list[str], date | None]:
    known = {zone.code for zone in list_zones(centre_id)}
    zones = [z for z in request.values.getlist("zones") if z in known] or default_zones
    try:
        day = parse_date(request.values.get("day"), "day")
    except InputError:
        day = None
    return zones, day


def _institution_args(zones: list[str], defaults: dict[str, int | None]) -> dict[str, int | None]:
    """The institution wanted in each zone: `institution_<zone>` (an id, or 'any' for none),
    else the default (the pre-screen's recommendation, or the booked one's)."""
    wanted = {}
    for code in zones:
        raw = request.values.get(f"institution_{code}", "")
        if raw == "any":
            wanted[code] = None
            continue
        try:
            wanted[code] = parse_id(raw, "institution") if raw else defaults.get(code)
        except InputError:
            wanted[code] = defaults.get(code)
    return wanted


def _month_arg() -> date | None:
    try:
        return date.fromisoformat(f"{request.args.get('month', '')}-01")
    except ValueError:
        return None


def _render_picker(template_args: dict, zones: list[str], day: date | None, status: int = 200,
                   *, defaults: dict[str, int | None], ignore=(), chosen=()):
    plan = day_plan(zones, day, institutions=_institution_args(zones, defaults), ignore=ignore,
                    suggest=request.method == "GET",
                    centre_id=template_args["intake"].centre_id)
    choices = {f"institution_{zone.code}": plan.preferred[zone.code].id
               if zone.code in plan.preferred else "any" for zone in plan.choosable}

    def picker_url(**values) -> str:
        """This page for other values (a day, a month), keeping the zones and institutions."""
        return url_for(request.endpoint, **request.view_args, zones=[z.code for z in plan.zones],
                       **choices, **values)

    return render_template("booking/new.html", plan=plan, month=plan.month(_month_arg()),
                           defaults=defaults, weekdays=weekday_names(), choices=choices,
                           picker_url=picker_url,
                           chosen={(r.zone, r.adviser_id, r.start) for r in chosen},
                           places=waitlist_places(template_args["intake"].id, plan.day)
                           if plan.full_zones else {},
                           **template_args), status


def _error_status(error: BookingError) -> int:
    return 409 if isinstance(error, SlotTaken | BookingConflict) else 422


@bp.route("/new/<intake_token>", methods=["GET", "POST"])
@limiter.limit(public_write_limit, methods=["POST"])
def new(intake_token: str):
    try:
        intake = get_intake(intake_token)
    except IntakeNotFound:
        abort(404)
    held = open_booking(intake.id)
    booked = {a.zone.code for a in held.appointments if a.is_live} if held else set()
    recommended = [rec["code"] for rec in intake.recommendation]
    defaults = {rec["code"]: rec.get("institution_id") for rec in intake.recommendation}
    # A firm that holds a visit is offered the zones it does not cover yet.
    zones, day = _picker_args([c for c in recommended if c not in booked] or recommended,
                              intake.centre_id)
    args = {"intake": intake, "intake_token": intake_token, "mode": "new",
            "open_booking": held, "action": url_for("booking.new", intake_token=intake_token)}
    if request.method == "POST":
        chosen = _chosen_requests(zones)
        try:
            _booking, token = book_visit(intake_token, chosen)
        except BookingError as error:
            flash(error.message, "error")
            return _render_picker(args, zones, day, _error_status(error), defaults=defaults,
                                  chosen=chosen)
        flash(_("Booked. Keep this page's address: it is your private link."), "success")
        return redirect(url_for("booking.manage", token=token), code=303)
    return _render_picker(args, zones, day, defaults=defaults)


@bp.post("/new/<intake_token>/waitlist")
def waitlist(intake_token: str):
    zones, day = _picker_args([])
    zone = request.form.get("zone", "")
    if day is None:
        abort(400)
    try:
        entry = join_waitlist(intake_token, zone, day)
    except IntakeNotFound:
        abort(404)
    except BookingError as error:
        flash(error.message, "error")
    else:
        flash(_("You are on the waitlist; we e-mail you in turn when a slot frees.") + " "
              + _("You are number %(position)s in the queue.",
                  position=queue_position(entry)), "success")
    return redirect(url_for("booking.new", intake_token=intake_token, day=day.isoformat(),
                            zones=zones, _anchor="times"), code=303)


def _booking_or_404(token: str):
    try:
        return get_booking(token)
    except BookingNotFound:
        abort(404)


def _private_page_values(booking, token: str) -> dict:
    """What the private page and its cancel step show beside the visit itself."""
    appointments = live_appointments(booking)
    language = current_language()
    links = {}
    if booking.status == BookingStatus.BOOKED and appointments:
        links = {"google": google_calendar_url(calendar_events(appointments, language),
                                               visit_title(language, booking_centre(booking))),
                 "naver": NAVER_CALENDAR}
    return {"booking": booking, "token": token, "appointments": appointments,
            "calendar_links": links,
            # Online bookings are confirmed by e-mail; a walk-in is told at the desk.
            "sent_to": (masked_address(booking.intake.email)
                        if booking.intake.email and booking.created_by_id is None else None),
            "step": visit_step(booking, local_today())}


@bp.get("/<token>")
def manage(token: str):
    booking = _booking_or_404(token)
    return render_template("booking/manage.html", **_private_page_values(booking, token))


@bp.get("/<token>/calendar.ics")
def calendar(token: str):
    booking = _booking_or_404(token)
    return Response(visit_calendar_for(booking), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="onestop-visit.ics"'})


@bp.route("/<token>/cancel", methods=["GET", "POST"])
@limiter.limit(public_write_limit, methods=["POST"])
def cancel(token: str):
    """Cancelling takes two steps: this page asks "really?", its form (with `confirm`) does
    it; a post without `confirm` changes nothing and asks again."""
    booking = _booking_or_404(token)
    if booking.status != BookingStatus.BOOKED:
        return redirect(url_for("booking.manage", token=token), code=303)
    reason, status = request.form.get("reason", ""), 200
    if request.method == "POST" and request.form.get("confirm") == "yes":
        try:
            cancel_booking(token, parse_text(reason, "reason", max_length=1000) or None)
        except InputError as error:
            flash(error.message, "error")
            status = 422
        except BookingNotFound:
            abort(404)
        except BookingError as error:
            flash(error.message, "error")
            return redirect(url_for("booking.manage", token=token), code=303)
        else:
            flash(_("Your booking is cancelled."), "success")
            return redirect(url_for("booking.manage", token=token), code=303)
    return render_template("booking/cancel.html", reason=reason,
                           **_private_page_values(booking, token)), status


@bp.get("/for/<intake_token>")
def of_prescreen(intake_token: str):
    """The firm's standing booking, reached from its pre-screen: the visit and where its
    private link went (the link itself is only ever in the e-mail: we keep its hash)."""
    try:
        intake = get_intake(intake_token)
    except IntakeNotFound:
        abort(404)
    booking = open_booking(intake.id)
    if booking is None:
        return redirect(url_for("intake.result", token=intake_token), code=303)
    return render_template("booking/of_prescreen.html", booking=booking,
                           intake_token=intake_token, appointments=live_appointments(booking),
                           sent_to=masked_address(intake.email),
                           step=visit_step(booking, local_today()))


@bp.record_once
def _answer_the_prescreen(state) -> None:
    """Let the pre-screen's result page ask for the firm's standing booking (intake may not
    import booking, so booking hands it the question's answer)."""
    state.app.extensions[STANDING_BOOKING] = open_booking


@bp.route("/<token>/reschedule", methods=["GET", "POST"])
def reschedule(token: str):
    booking = _booking_or_404(token)
    live = live_appointments(booking)
    current = [a.zone.code for a in live]
    defaults = {a.zone.code: a.institution_id for a in live}
    zones, day = _picker_args(current, booking.intake.centre_id)
    args = {"intake": booking.intake, "booking": booking, "mode": "reschedule",
            "current": live, "action": url_for("booking.reschedule", token=token)}
    ignore = [a.id for a in live] if booking.status != BookingStatus.CANCELLED else []
    if request.method == "POST":
        chosen = _chosen_requests(zones)
        try:
            reschedule_booking(token, chosen)
        except BookingError as error:
            flash(error.message, "error")
            return _render_picker(args, zones, day, _error_status(error), defaults=defaults,
                                  ignore=ignore, chosen=chosen)
        flash(_("Your booking has been moved."), "success")
        return redirect(url_for("booking.manage", token=token), code=303)
    return _render_picker(args, zones, day, defaults=defaults, ignore=ignore)
