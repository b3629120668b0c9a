"""Pre-screen pages: the form, and the recommended zones after it."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from app.centres.services import centre_by_id, is_network, request_centre
from app.extensions import limiter, public_write_limit
from app.intake.errors import IntakeNotFound
from app.intake.forms import DESCRIPTION_MAX, IntakeForm
from app.intake.presentation import presented
from app.intake.rules import format_business_number, stage_label
from app.intake.services import get_intake, list_needs, list_zones, need_choices, submit_intake
from app.main.i18n import current_language
from app.notify.addresses import masked_address

bp = Blueprint("intake", __name__)
# The firm's standing booking, asked of the booking domain (which the pre-screen may not
# import): booking registers `intake id -> Booking | None` under this name in app.extensions.
STANDING_BOOKING = "onestop.standing_booking"


def _standing_booking(intake):
    lookup = current_app.extensions.get(STANDING_BOOKING)
    return lookup(intake.id) if lookup else None


def _need_groups(needs) -> list:
    """[(zone, [(code, label, label_en), ...]), ...] in display order (the labels are data
    kept in two columns, shown with `localized`)."""
    groups: dict = {}
    for need in needs:
        groups.setdefault(need.zone, []).append((need.code, need.label, need.label_en))
    return list(groups.items())


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(public_write_limit, methods=["POST"])
def start():
    # `?centre=CODE` names the centre the pre-screen is for (an unknown one is a 404 page);
    # without it, the default centre's. The page says which when it is named or when the
    # deployment has several centres.
    centre = request_centre()
    named = request.args.get("centre") or None
    needs = list_needs(centre.id)
    form = IntakeForm(need_choices=need_choices(needs))
    if form.validate_on_submit():
        # The firm's e-mails will speak the language this page was read in.
        _, token = submit_intake({**form.values(), "language": current_language(),
                                  "centre_id": centre.id})
        return redirect(url_for("intake.result", token=token), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "intake/form.html", form=form, need_groups=_need_groups(needs),
        description_max=DESCRIPTION_MAX, centre=centre if named or is_network() else None,
        action=url_for("intake.start", centre=named)
    ), status


@bp.get("/<token>")
def result(token: str):
    try:
        intake = get_intake(token)
    except IntakeNotFound:
        abort(404)
    zones = {zone.code: zone for zone in list_zones(intake.centre_id)}
    institutions = {i.id: i for zone in zones.values() for i in zone.institutions}
    return render_template(
        "intake/result.html",
        intake=intake,
        token=token,
        centre=centre_by_id(intake.centre_id) if is_network() else None,
        recommendation=presented(intake.recommendation, html=True),
        booking=_standing_booking(intake),
        sent_to=masked_address(intake.email),
        stage=stage_label(intake.stage),
        zones=zones,
        institutions=institutions,
        business_number=(format_business_number(intake.business_number)
                         if intake.business_number else None),
    )
