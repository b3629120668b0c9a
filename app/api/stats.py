"""Staff API for the statistics and the historical import (admins and the national office)."""

from flask import g, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from app.api.auth import api_staff
from app.api.errors import ApiError, bad_request, invalid
from app.api.views import bp
from app.centres.scope import stats_scope
from app.states import Role
from app.stats.figures import StatsError, parse_period
from app.stats.flow import Funnel, funnels
from app.stats.imports import ImportRejected, import_consultations, import_limit
from app.stats.imports import too_large as import_too_large
from app.stats.tables import has_breakdown, published_blocks
from app.types import local_today


@bp.get("/stats")
@api_staff(Role.ADMIN, Role.NATIONAL)
def stats():
    """Consultations per zone, the funnel and the no-show rate of a period over the user's
    centres; with more than one centre, each centre's own beside the totals (API.md)."""
    blank = [name for name in ("from", "to") if name in request.args
             and not request.args[name].strip()]
    if blank:  # leave a parameter out to mean "from the start" or "to today"; empty is a slip
        raise bad_request(_("%(name)s is empty; leave it out instead.", name=blank[0]))
    try:
        period = parse_period(request.args.get("from"), request.args.get("to"), local_today())
    except StatsError as error:
        raise bad_request(str(error)) from error
    scope = stats_scope(g.api_user, request.args.get("centre"))
    zones, centres = published_blocks(period, scope)
    cohorts = funnels(period, scope)
    flow = sum(cohorts.values(), Funnel())
    body = {
        "from": period.first.isoformat() if period.first else None,
        "to": period.last.isoformat(),
        "zones": {code: figures.as_dict() for code, figures in zones.items()},
        "funnel": flow.as_dict(),
        "no_show_rate": flow.no_show_rate,
    }
    if has_breakdown(scope):
        body["centres"] = {centre.code: {
            "zones": {code: figures.as_dict() for code, figures in centres[centre.code].items()},
            "funnel": cohorts.get(centre.id, Funnel()).as_dict(),
            "no_show_rate": cohorts.get(centre.id, Funnel()).no_show_rate,
        } for centre in scope.centres}
    return jsonify(body)


def too_large(limit: int) -> ApiError:
    """413 naming the import's own size limit."""
    return ApiError(413, "too_large", import_too_large(limit))


@bp.post("/import/consultations")
@api_staff(Role.ADMIN, Role.NATIONAL)
def import_file():
    """Import a CSV body of past consultations: all or nothing, a repeat changes nothing."""
    limit = import_limit()
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)  # refused before a byte of it is read
    request.max_content_length = limit  # this route only; the app-wide limit is 1 MB
    try:
        raw = request.get_data(cache=False)
    except RequestEntityTooLarge as error:  # a body sent without its length
        raise too_large(limit) from error
    try:
        result = import_consultations(raw, filename="API", actor=g.api_user)
    except ImportRejected as error:
        raise invalid(error.fields) from error
    return jsonify({"imported": result.imported})
