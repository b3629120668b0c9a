"""The home page: what the one-stop service is and the way into the pre-screen."""

from collections import defaultdict

from flask import Blueprint, render_template

from app.intake.services import list_needs, list_zones

bp = Blueprint("main", __name__)

# Tags on a zone's card on the home page; the pre-screen lists them all.
CARD_NEEDS = 4


@bp.get("/")
def index():
    """The service, and a card for each active zone from what the centre wrote about it."""
    needs = defaultdict(list)
    for need in list_needs():
        needs[need.zone_id].append(need)
    return render_template("main/index.html", zones=list_zones(), needs=needs,
                           card_needs=CARD_NEEDS)
