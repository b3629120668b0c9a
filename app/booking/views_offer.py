"""The waitlist offer page: see the slot held for you and take it, or learn it has closed."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.booking.errors import BookingError
from app.booking.services import accept_offer
from app.booking.views import bp
from app.booking.waitlist import OfferNotFound, get_offer


def _closed():
    return render_template("booking/offer.html", entry=None), 410


@bp.route("/offer/<token>", methods=["GET", "POST"])
def offer(token: str):
    """GET shows the held slot; POST books it; an offer that expired or was used is explained."""
    try:
        entry = get_offer(token)
    except OfferNotFound:
        return _closed()
    if request.method == "POST":
        try:
            _booking, booking_token = accept_offer(token)
        except OfferNotFound:
            return _closed()
        except BookingError as error:
            flash(error.message, "error")
            return render_template("booking/offer.html", entry=entry, token=token), 409
        flash(_("Booked. Keep this page's address: it is your private link."), "success")
        return redirect(url_for("booking.manage", token=booking_token), code=303)
    return render_template("booking/offer.html", entry=entry, token=token)
