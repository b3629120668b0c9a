"""The home page (what the one-stop service is, the way into the pre-screen) and the
privacy policy."""

from collections import defaultdict
from datetime import date

from flask import Blueprint, current_app, render_template

from app.intake.services import list_needs, list_zones
from app.main.privacy import retention_periods

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


@bp.get("/privacy")
def privacy():
    """The privacy policy (개인정보처리방침): what is processed, why, for how long, who sees
    it, the firm's rights and the person responsible."""
    institutions = [i for zone in list_zones() for i in zone.institutions if i.active]
    return render_template("main/privacy.html", retention=retention_periods(),
                           institutions=institutions,
                           effective=date.fromisoformat(current_app.config[
                               "PRIVACY_POLICY_EFFECTIVE"]))
