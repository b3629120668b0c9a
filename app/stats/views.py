"""The statistics pages (under /admin/): the dashboard, its exports, and the historical import."""

from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.decorators import staff_required
from app.centres.errors import UnknownCentre
from app.centres.scope import OtherCentre, StatsScope, stats_scope
from app.centres.services import list_centres
from app.main.filters import thousands
from app.states import Role
from app.stats.exports import FORMATS, table_csv, tables_xlsx
from app.stats.figures import Period, StatsError, parse_date, parse_period
from app.stats.imports import (
    HEADER,
    ImportRejected,
    import_consultations,
    import_limit,
    recent_batches,
    too_large,
)
from app.stats.tables import build_dashboard, imported_note
from app.types import local_today

bp = Blueprint("stats", __name__)

MAX_AS_OF = 6


def _default_as_of(today: date) -> list[date]:
    """The end of last month and today, as the centre's published tables usually are."""
    return sorted({today.replace(day=1) - timedelta(days=1), today})


def _choices(today: date) -> tuple[Period, list[date]]:
    """The period and "as of" dates asked for (this year and the defaults when not given)."""
    args = request.args
    first = args.get("from") if "from" in args else today.replace(month=1, day=1).isoformat()
    period = parse_period(first, args.get("to"), today)
    given = [parse_date(value, "asof") for value in args.getlist("asof")]
    as_of = sorted({day for day in given if day is not None})
    if len(as_of) > MAX_AS_OF:
        raise StatsError(_("At most %(count)s as-of dates.", count=MAX_AS_OF))
    return period, as_of or _default_as_of(today)


def _scope() -> StatsScope:
    """The centres the signed-in user's page reads (`?centre=CODE`, `a,b` or `all`, or the
    selector's several `centre` values): an admin their own centre only (another is 403,
    an unknown code 404), the national office any (app/centres/scope.py)."""
    named = ",".join(value.strip() for value in request.args.getlist("centre") if value.strip())
    if "all" in named.split(","):
        named = "all"
    return stats_scope(current_user, named or None)


def _query(period: Period, as_of: list[date], scope: StatsScope | None = None) -> dict:
    """The query string that reproduces a dashboard (for exports and quick links)."""
    found = {"from": period.first.isoformat() if period.first else "",
             "to": period.last.isoformat(), "asof": [day.isoformat() for day in as_of]}
    if scope is not None and current_user.is_national:
        found["centre"] = scope.key
    return found


def _quick_periods(today: date) -> list[tuple[str, str, str]]:
    """(name, from, to) of the usual periods."""
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    year = today.replace(month=1, day=1)
    return [(_("This month"), month.isoformat(), today.isoformat()),
            (_("Last month"), last_month_end.replace(day=1).isoformat(),
             last_month_end.isoformat()),
            (_("This year"), year.isoformat(), today.isoformat()),
            (_("Last year"), year.replace(year=year.year - 1).isoformat(),
             (year - timedelta(days=1)).isoformat()),
            (_("Since the start"), "", today.isoformat())]


def _resolve():
    """(period, as of, error message or None) of the request."""
    today = local_today()
    try:
        period, as_of = _choices(today)
        return period, as_of, None
    except StatsError as error:
        return (Period(today.replace(month=1, day=1), today), _default_as_of(today),
                str(error))


@bp.get("/")
@staff_required(Role.ADMIN, Role.NATIONAL)
def dashboard():
    """The statistics of a period and of the user's centres (the national office: one, a
    set or the network, each centre beside the total), the published table, charts, exports."""
    scope = _scope()
    period, as_of, error = _resolve()
    board = build_dashboard(period, as_of, scope, personal=not current_user.is_national)
    page = render_template("stats/dashboard.html", board=board, error=error,
                           query=_query(period, as_of, scope),
                           quick=_quick_periods(local_today()), formats=FORMATS,
                           centres=list_centres() if current_user.is_national else [],
                           imported_note=imported_note())
    return page, 400 if error else 200


@bp.get("/stats/<name>.<fmt>")
@staff_required(Role.ADMIN, Role.NATIONAL)
def export(name: str, fmt: str):
    """One dashboard table as CSV or XLSX, or every table (`all`) as one workbook, of the
    same centres as the page."""
    scope = _scope()
    period, as_of, error = _resolve()
    if error or fmt not in FORMATS or (name == "all" and fmt != "xlsx"):
        abort(400 if error else 404)
    tables = build_dashboard(period, as_of, scope,
                             personal=not current_user.is_national).tables
    if name != "all":
        tables = [table for table in tables if table.name == name]
        if not tables:
            abort(404)
    first = period.first.isoformat() if period.first else "start"
    where = "" if scope.single and not current_user.is_national else (
        f"{scope.key.replace(',', '+')}-" if len(scope.key) <= 60 else "centres-")
    filename = f"onestop-{name}-{where}{first}-{period.last.isoformat()}.{fmt}"
    if fmt == "csv":
        body, mimetype = table_csv(tables[0]), "text/csv"  # werkzeug adds "; charset=utf-8"
    else:
        body = tables_xlsx(tables, title=f"Onestop {first} ~ {period.last.isoformat()}")
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _imports_page(errors: dict | None = None, status: int = 200):
    page = render_template("stats/imports.html", errors=errors or {}, header=HEADER,
                           batches=recent_batches(centre_id=current_user.centre_id),
                           limit_mb=import_limit() // (1024 * 1024),
                           national=current_user.is_national)
    return page, status


@bp.url_value_preprocessor
def _import_size_limit(endpoint: str | None, values: dict | None) -> None:
    """Let the upload be larger than the app's 1 MB before CSRF protection reads the form."""
    if endpoint != "stats.imports" or request.method != "POST":
        return
    limit = import_limit()
    if request.content_length is not None and request.content_length > limit:
        if not (current_user.is_authenticated
                and current_user.role in (Role.ADMIN, Role.NATIONAL)):
            abort(413)
        abort(make_response(_imports_page({"file": [too_large(limit)]}, 413)))
    request.max_content_length = limit


@bp.route("/imports", methods=["GET", "POST"])
@staff_required(Role.ADMIN, Role.NATIONAL)
def imports():
    """Upload a CSV of past consultations; the result, or every error, on the same page."""
    if request.method == "GET":
        return _imports_page()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _imports_page({"file": [_("Choose a CSV file.")]}, 422)
    try:
        result = import_consultations(upload.read(), filename=upload.filename,
                                      actor=current_user._get_current_object())
    except ImportRejected as rejected:
        return _imports_page(rejected.fields, 422)
    except (UnknownCentre, OtherCentre) as refused:  # a row names a centre it may not
        return _imports_page({"file": [refused.message]}, refused.status)
    if result.duplicate:
        flash(_("This file was imported before; nothing changed."), "info")
    else:
        flash(ngettext("Imported %(count)s consultation.", "Imported %(count)s consultations.",
                       result.imported, count=thousands(result.imported)), "success")
    return redirect(url_for("stats.imports"))
