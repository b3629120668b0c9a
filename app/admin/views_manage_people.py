"""Admin pages for a centre's advisers: logins, edits, reassignment before deactivation
(another centre's adviser or appointment is 404)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin.blueprint import bp
from app.admin.errors import ManageError
from app.admin.forms import AdviserForm
from app.admin.manage_people import (
    create_adviser,
    deactivation_plan,
    list_advisers,
    reassign_appointment,
    set_adviser_active,
    update_adviser,
)
from app.admin.views_common import (
    SAVED,
    Saved,
    actor,
    form_page,
    institution_choices,
    my_centre,
    row_or_404,
    submitted,
    zone_choices,
)
from app.auth.decorators import staff_required
from app.inputs import as_id
from app.zones.models import Adviser


def _adviser_or_404(adviser_id: int, centre_id: int) -> Adviser:
    return row_or_404(Adviser, adviser_id, centre_id)


def _adviser_form(centre_id: int, **kwargs) -> AdviserForm:
    return AdviserForm(zones=zone_choices(active_only=True, centre_id=centre_id),
                       institutions=institution_choices(active_only=True, centre_id=centre_id),
                       **kwargs)


@bp.get("/advisers")
@staff_required("admin")
def advisers():
    """Every adviser with zone, institution, e-mail and state."""
    return render_template("admin/advisers.html", advisers=list_advisers(my_centre()),
                           form=None)


@bp.route("/advisers/new", methods=["GET", "POST"])
@staff_required("admin")
def adviser_new():
    """Create an adviser and their login; the first password is shown once."""
    centre_id = my_centre()
    form = _adviser_form(centre_id)
    done, status = submitted(form, lambda f: create_adviser(actor(), f.values(), centre_id))
    if status is None:
        adviser, password = done
        page = render_template("admin/advisers.html", created=adviser, password=password,
                               form=None, advisers=None)
        return page, 201, {"Cache-Control": "no-store"}
    return render_template("admin/advisers.html", form=form, adviser=None), status


@bp.route("/advisers/<int:adviser_id>", methods=["GET", "POST"])
@staff_required("admin")
def adviser_edit(adviser_id: int):
    """Change an adviser's name, title, zone or institution."""
    centre_id = my_centre()
    adviser = _adviser_or_404(adviser_id, centre_id)
    form = AdviserForm(obj=adviser, zones=zone_choices(centre_id=centre_id),
                       institutions=institution_choices(centre_id=centre_id))
    return form_page(form, lambda f: update_adviser(actor(), adviser_id, f.values(), centre_id),
                     lambda _: Saved(url_for("admin.advisers"), SAVED),
                     "admin/advisers.html", adviser=adviser)


def _deactivation_page(adviser_id: int, centre_id: int, error: str | None = None):
    adviser = _adviser_or_404(adviser_id, centre_id)
    page = render_template("admin/advisers.html", leaving=adviser, error=error,
                           plan=deactivation_plan(adviser_id, centre_id), form=None,
                           advisers=None)
    return page, 422 if error else 200


@bp.route("/advisers/<int:adviser_id>/deactivate", methods=["GET", "POST"])
@staff_required("admin")
def adviser_deactivate(adviser_id: int):
    """List the adviser's bookings for reassignment; deactivate once none are left."""
    centre_id = my_centre()
    if request.method == "GET":
        return _deactivation_page(adviser_id, centre_id)
    _adviser_or_404(adviser_id, centre_id)
    try:
        set_adviser_active(actor(), adviser_id, False, centre_id=centre_id)
    except ManageError as error:
        return _deactivation_page(adviser_id, centre_id, error.message)
    flash(_("Adviser and login deactivated."), "success")
    return redirect(url_for("admin.advisers"), code=303)


@bp.post("/advisers/<int:adviser_id>/reassign")
@staff_required("admin")
def adviser_reassign(adviser_id: int):
    """Give one booked appointment to a free colleague."""
    centre_id = my_centre()
    _adviser_or_404(adviser_id, centre_id)
    try:
        appointment = reassign_appointment(actor(), request.form.get("appointment_id", type=as_id),
                                           request.form.get("adviser_id", type=as_id),
                                           centre_id=centre_id)
    except ManageError as error:
        return _deactivation_page(adviser_id, centre_id, error.message)
    flash(_("Appointment reassigned to %(name)s.", name=appointment.adviser.name), "success")
    return redirect(url_for("admin.adviser_deactivate", adviser_id=adviser_id), code=303)


@bp.post("/advisers/<int:adviser_id>/reactivate")
@staff_required("admin")
def adviser_reactivate(adviser_id: int):
    """Let an adviser (and their login) back in."""
    centre_id = my_centre()
    _adviser_or_404(adviser_id, centre_id)
    set_adviser_active(actor(), adviser_id, True, centre_id=centre_id)
    flash(_("Adviser and login reactivated."), "success")
    return redirect(url_for("admin.advisers"), code=303)


@bp.get("/advisers/<int:adviser_id>/rules")
@staff_required("admin")
def adviser_rules(adviser_id: int):
    """Rotation rules and exceptions live on the availability page, which admins share."""
    _adviser_or_404(adviser_id, my_centre())
    return redirect(url_for("visits.availability", adviser_id=adviser_id), code=303)
