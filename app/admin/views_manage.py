"""Admin pages for a centre's zones, institutions and closures (and the deactivate buttons
of lists). Each view resolves the admin's centre once (`my_centre()`) and passes it down;
another centre's ids are 404."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.blueprint import bp
from app.admin.errors import ManageError
from app.admin.forms import ClosureForm, InstitutionForm, ZoneForm
from app.admin.manage import (
    create_institution,
    create_zone,
    list_all_zones,
    list_institutions,
    set_active,
    update_institution,
    update_zone,
)
from app.admin.manage_closures import (
    add_closure,
    closure_bookings_of,
    remove_closure,
    upcoming_closures,
)
from app.admin.scoping import zone_types
from app.admin.views_common import (
    SAVED,
    Saved,
    actor,
    flash_kept,
    form_page,
    my_centre,
    row_or_404,
    zone_choices,
)
from app.auth.decorators import staff_required
from app.booking import handover
from app.booking.errors import BookingError
from app.booking.handover import affected, read_decisions, settle_affected
from app.inputs import as_id
from app.main.filters import local_date
from app.main.i18n import localized
from app.main.security import safe_local_path
from app.states import Role
from app.visits.settle import flash_settled
from app.zones.models import Closure, Institution, Zone

# entity -> the list page its deactivate / reactivate button returns to
LIST_OF = {"zone": "admin.zones", "institution": "admin.institutions", "need": "admin.needs",
           "routing_rule": "admin.routing"}


@bp.get("/zones")
@staff_required("admin")
def zones():
    """Every zone with its booking rules."""
    return render_template("admin/zones.html", zones=list_all_zones(my_centre()), form=None)


@bp.route("/zones/new", methods=["GET", "POST"])
@staff_required("admin")
def zone_new():
    """Create a zone."""
    centre_id = my_centre()

    def saved(zone: Zone) -> Saved:
        name = localized(zone.name, zone.name_en)
        return Saved(url_for("admin.zones"), _("Zone ‘%(name)s’ created.", name=name))

    return form_page(ZoneForm(), lambda f: create_zone(actor(), f.values(), centre_id), saved,
                     "admin/zones.html", zone=None, zone_types=zone_types(centre_id))


@bp.route("/zones/<int:zone_id>", methods=["GET", "POST"])
@staff_required("admin")
def zone_edit(zone_id: int):
    """Change a zone's names, rules, hours or state."""
    centre_id = my_centre()
    zone = row_or_404(Zone, zone_id, centre_id)
    return form_page(ZoneForm(obj=zone),
                     lambda f: update_zone(actor(), zone_id, f.values(), centre_id),
                     lambda kept: Saved(url_for("admin.zones"), SAVED, kept,
                                        localized(zone.name, zone.name_en)),
                     "admin/zones.html", zone=zone)


@bp.route("/institutions", methods=["GET", "POST"])
@staff_required("admin")
def institutions():
    """The institutions (of one zone, if asked) and a form to add one."""
    centre_id = my_centre()
    zone_id = request.args.get("zone", type=as_id)
    form = InstitutionForm(zones=zone_choices(active_only=True, centre_id=centre_id))
    if request.method == "GET" and zone_id:
        form.zone_id.data = zone_id
    return form_page(form, lambda f: create_institution(actor(), f.values(), centre_id),
                     lambda done: Saved(url_for("admin.institutions", zone=done.zone_id),
                                        _("Institution ‘%(name)s’ added.",
                                          name=localized(done.name, done.name_en))),
                     "admin/institutions.html", institution=None,
                     institutions=list_institutions(zone_id, centre_id),
                     zones=list_all_zones(centre_id), zone_id=zone_id)


@bp.route("/institutions/<int:institution_id>", methods=["GET", "POST"])
@staff_required("admin")
def institution_edit(institution_id: int):
    """Change an institution."""
    centre_id = my_centre()
    institution = row_or_404(Institution, institution_id, centre_id)
    return form_page(
        InstitutionForm(obj=institution, zones=zone_choices(centre_id=centre_id)),
        lambda f: update_institution(actor(), institution_id, f.values(), centre_id),
        lambda kept: Saved(url_for("admin.institutions", zone=institution.zone_id), SAVED, kept,
                           localized(institution.name, institution.name_en)),
        "admin/institutions.html", institution=institution, institutions=None)


@bp.route("/closures", methods=["GET", "POST"])
@staff_required("admin")
def closures():
    """Upcoming closures and a form to add one."""
    centre_id = my_centre()

    def saved(done) -> Saved:
        closure, on_day = done
        day = local_date(closure.day)
        if on_day:  # the bookings of that day, listed, to tell the firms in one step
            return Saved(url_for("admin.closure_bookings", closure_id=closure.id),
                         _("%(day)s is closed now.", day=day))
        return Saved(url_for("admin.closures"), _("%(day)s is closed now.", day=day))

    return form_page(ClosureForm(zones=zone_choices(centre_id=centre_id)), lambda f: add_closure(
        actor(), f.day.data, f.zone_id.data, f.reason.data or "", centre_id=centre_id), saved,
        "admin/closures.html", closures=[(c, closure_bookings_of(c)) for c in
                                         upcoming_closures(centre_id=centre_id)],
        zones={z.id: z for z in list_all_zones(centre_id)})


@bp.route("/closures/<int:closure_id>/bookings", methods=["GET", "POST"])
@staff_required("admin")
def closure_bookings(closure_id: int):
    """The bookings a closed day still holds; tell each firm, in one step (or leave it)."""
    centre_id = my_centre()
    closure = row_or_404(Closure, closure_id, centre_id)
    booked = closure_bookings_of(closure)
    status = 200
    if request.method == "POST":
        try:
            settled = settle_affected(actor(), read_decisions(request.form, booked),
                                      handover.CLOSURE, booked)
        except BookingError as error:
            flash(error.message, "error")
            status = 409 if error.status == 409 else 422
        else:
            flash_settled(settled)
            return redirect(url_for("admin.closure_bookings", closure_id=closure_id), code=303)
    return render_template("admin/closures.html", closure=closure, affected=affected(booked),
                           zones={z.id: z for z in list_all_zones(centre_id)}), status


@bp.post("/closures/<int:closure_id>/delete")
@staff_required("admin")
def closure_delete(closure_id: int):
    """Open a closed day again."""
    centre_id = my_centre()
    row_or_404(Closure, closure_id, centre_id)
    try:
        remove_closure(actor(), closure_id, centre_id=centre_id)
    except ManageError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.closures"), code=303)
    flash(_("Closure removed."), "success")
    return redirect(url_for("admin.closures"), code=303)


@bp.post("/<entity>/<int:row_id>/active")
@staff_required(Role.ADMIN, Role.NATIONAL)
def switch_active(entity: str, row_id: int):
    """The lists' deactivate / reactivate button (the national office's: needs and base
    rules only)."""
    if entity not in LIST_OF:  # checked here, after the guard, so strangers learn nothing
        abort(404)
    centre_id = my_centre() if current_user.centre_id is not None else None
    active = request.form.get("active") == "1"
    try:
        kept = set_active(actor(), entity, row_id, active, centre_id)
    except ManageError:
        abort(404)
    flash(_("Reactivated.") if active else _("Deactivated."), "success")
    flash_kept(kept, _("Deactivated"))
    back = safe_local_path(request.form.get("back"))
    if not back or not back.startswith("/admin/"):
        back = url_for(LIST_OF[entity])
    return redirect(back, code=303)
