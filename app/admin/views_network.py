"""The national office's pages of the network: the centres, made, edited, deactivated and
reactivated. No firm appears here: a centre's bookings are a count."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.admin.blueprint import bp
from app.admin.errors import ManageError
from app.admin.forms_centre import NetworkCentreForm
from app.admin.manage_centre import (
    bookings_to_come,
    centre_row,
    create_centre,
    list_network,
    set_centre_active,
    update_centre,
)
from app.admin.views_common import SAVED, Saved, actor, form_page
from app.auth.decorators import staff_required
from app.centres.models import Centre
from app.centres.services import default_centre
from app.main.i18n import localized
from app.states import Role


def _centre_or_404(code: str) -> Centre:
    try:
        return centre_row(code)
    except ManageError:
        abort(404)


def _default_id() -> int | None:
    centre = default_centre()
    return centre.id if centre else None


@bp.get("/centres")
@staff_required(Role.NATIONAL)
def centres():
    """Every centre of the network with its zones and bookings to come."""
    return render_template("admin/centres.html", network=list_network(), form=None,
                           default_id=_default_id())


@bp.route("/centres/new", methods=["GET", "POST"])
@staff_required(Role.NATIONAL)
def centre_new():
    """Make a centre of the network (its admin then adds its zones)."""
    return form_page(NetworkCentreForm(), lambda f: create_centre(actor(), f.values()),
                     lambda done: Saved(url_for("admin.centres"), _(
                         "Centre ‘%(name)s’ created.", name=localized(done.name, done.name_en))),
                     "admin/centres.html", centre=None)


@bp.route("/centres/<code>", methods=["GET", "POST"])
@staff_required(Role.NATIONAL)
def centre_edit(code: str):
    """Change a centre's code, names, region, address, phone, hours, directions, privacy
    officer; and deactivate or reactivate it."""
    row = _centre_or_404(code)
    return form_page(NetworkCentreForm(obj=row),
                     lambda f: update_centre(actor(), row.id, f.values()),
                     lambda done: Saved(url_for("admin.centre_edit", code=done.code), SAVED),
                     "admin/centres.html", centre=row, booked=bookings_to_come(row.id),
                     default_id=_default_id())


@bp.post("/centres/<code>/active")
@staff_required(Role.NATIONAL)
def centre_active(code: str):
    """Deactivate (no new bookings; those to come stand) or reactivate a centre."""
    row = _centre_or_404(code)
    active = request.form.get("active") == "1"
    try:
        kept = set_centre_active(actor(), row.id, active)
    except ManageError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.centre_edit", code=row.code), code=303)
    name = localized(row.name, row.name_en)
    if active:
        flash(_("%(name)s takes bookings again.", name=name), "success")
    else:
        flash(_("%(name)s is deactivated: it takes no new pre-screens or bookings.", name=name),
              "success")
        flash(ngettext("%(num)s booking still to come stands; none was cancelled. The "
                       "centre's admin can tell the firm if needed.",
                       "%(num)s bookings still to come stand; none was cancelled. The "
                       "centre's admin can tell the firms if needed.", kept), "info")
    return redirect(url_for("admin.centre_edit", code=row.code), code=303)
