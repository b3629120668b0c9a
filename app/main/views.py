"""The home page (what the one-stop service is, the way into the pre-screen; in a network,
the centre finder first) and the privacy policy."""

from collections import defaultdict
from datetime import date

from flask import Blueprint, current_app, render_template, request

from app.centres.services import CentreFacts, is_network, list_centres, request_centre
from app.intake.services import list_needs, list_zones
from app.main.privacy import retention_periods
from app.main.regions import REGIONS, by_region, nearest, region_of

bp = Blueprint("main", __name__)

# Tags on a zone's card on the home page; the pre-screen lists them all.
CARD_NEEDS = 4


@bp.get("/")
def index():
    """A network's home without `?centre=` is the centre finder; a centre's home (the only
    centre's, or the one `?centre=CODE` names) shows its zones and the way into its
    pre-screen, as a one-centre deployment always did."""
    named = request.args.get("centre") or None
    if named is None:
        centres = list_centres()
        if len(centres) > 1:
            return _finder(centres)
    centre = request_centre()  # an unknown or inactive code: 404
    needs = defaultdict(list)
    for need in list_needs(centre.id):
        needs[need.zone_id].append(need)
    return render_template("main/index.html", zones=list_zones(centre.id), needs=needs,
                           card_needs=CARD_NEEDS, centre=centre if named else None,
                           named=named, network=named is not None and is_network())


def _suggestion(chosen, centres: list[CentreFacts]) -> dict | None:
    """The centre suggested for the chosen region: its own, else the nearest region's."""
    if chosen is None:
        return None
    of_region: dict[str, list[CentreFacts]] = defaultdict(list)
    for centre in centres:
        region = region_of(centre.region)
        if region is not None:
            of_region[region.code].append(centre)
    found = nearest(chosen, set(of_region))
    if found is None:  # no centre names a region we know: the first centre, plainly
        return {"centre": centres[0], "region": None, "own": False}
    region, steps = found
    return {"centre": of_region[region.code][0], "region": region, "own": steps == 0}


def _finder(centres: list[CentreFacts]):
    """The centres by region, and the one suggested for the region chosen (`?region=`)."""
    asked = request.args.get("region", "").strip()
    chosen = region_of(asked) if asked else None
    status = 400 if asked and chosen is None else 200
    return render_template("main/finder.html", groups=by_region(centres, lambda c: c.region),
                           regions=REGIONS, chosen=chosen, unknown_region=status == 400,
                           suggestion=_suggestion(chosen, centres), finder=True), status


@bp.get("/privacy")
def privacy():
    """The privacy policy (개인정보처리방침) of a centre: what is processed, why, for how long,
    who sees it (that centre's institutions), the firm's rights and the person responsible."""
    centre = request_centre()  # ?centre=CODE, else the default; an unknown code is 404
    institutions = [i for zone in list_zones(centre.id) for i in zone.institutions if i.active]
    return render_template("main/privacy.html", retention=retention_periods(),
                           institutions=institutions,
                           effective=date.fromisoformat(current_app.config[
                               "PRIVACY_POLICY_EFFECTIVE"]))
