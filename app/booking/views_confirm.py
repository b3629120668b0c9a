"""The reminder's "still coming?" page: the applicant confirms the visit or cancels it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.booking.confirm import booking_for_reminder, cancel_from_reminder, confirm_attendance
from app.booking.errors import BookingError, BookingNotFound
from app.booking.services import live_appointments
from app.booking.views import bp
from app.inputs import parse_text


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_visit(token: str):
    """GET shows the visit and two answers; POST records one (a GET never changes anything)."""
    if request.method == "POST":
        answer = request.form.get("answer")
        try:
            if answer == "confirm":
                confirm_attendance(token)
                flash(_("Thank you: we look forward to seeing you."), "success")
            elif answer == "cancel":
                cancel_from_reminder(token, parse_text(request.form.get("reason"), "reason",
                                                       max_length=1000) or None)
                flash(_("Your booking is cancelled."), "success")
            else:
                abort(400)
        except BookingNotFound:
            abort(404)
        except BookingError as error:
            flash(error.message, "error")
        return redirect(url_for("booking.confirm_visit", token=token), code=303)
    try:
        booking = booking_for_reminder(token)
    except BookingNotFound:
        abort(404)
    return render_template("booking/confirm.html", booking=booking, token=token,
                           appointments=live_appointments(booking))
