"""Admin pages for zones, institutions and closures (and the deactivate buttons of lists)."""

from flask import abort, flash, redirect, render_template, request, url_for

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
from app.admin.manage_closures import add_closure, remove_closure, upcoming_closures
from app.admin.views_common import (
    Saved,
    actor,
    flash_kept,
    form_page,
    row_or_404,
    zone_choices,
)
from app.auth.decorators import staff_required
from app.inputs import as_id
from app.main.security import safe_local_path
from app.zones.models import Institution, Zone

SAVED = "저장했습니다. / Saved."
# entity -> the list page its deactivate / reactivate button returns to
LIST_OF = {"zone": "admin.zones", "institution": "admin.institutions", "need": "admin.needs",
           "routing_rule": "admin.routing"}


@bp.get("/zones")
@staff_required("admin")
def zones():
    """Every zone with its booking rules."""
    return render_template("admin/zones.html", zones=list_all_zones(), form=None)


@bp.route("/zones/new", methods=["GET", "POST"])
@staff_required("admin")
def zone_new():
    """Create a zone."""
    return form_page(ZoneForm(), lambda f: create_zone(actor(), f.values()), lambda zone: Saved(
        url_for("admin.zones"), f"상담존 '{zone.name}'을(를) 만들었습니다. / Zone created."),
        "admin/zones.html", zone=None)


@bp.route("/zones/<int:zone_id>", methods=["GET", "POST"])
@staff_required("admin")
def zone_edit(zone_id: int):
    """Change a zone's names, rules, hours or state."""
    zone = row_or_404(Zone, zone_id)
    return form_page(ZoneForm(obj=zone), lambda f: update_zone(actor(), zone_id, f.values()),
                     lambda kept: Saved(url_for("admin.zones"), SAVED, kept, zone.name),
                     "admin/zones.html", zone=zone)


@bp.route("/institutions", methods=["GET", "POST"])
@staff_required("admin")
def institutions():
    """The institutions (of one zone, if asked) and a form to add one."""
    zone_id = request.args.get("zone", type=as_id)
    form = InstitutionForm(zones=zone_choices(active_only=True))
    if request.method == "GET" and zone_id:
        form.zone_id.data = zone_id
    return form_page(form, lambda f: create_institution(actor(), f.values()), lambda done: Saved(
        url_for("admin.institutions", zone=done.zone_id),
        f"기관 '{done.name}'을(를) 추가했습니다. / Institution added."),
        "admin/institutions.html", institution=None, institutions=list_institutions(zone_id),
        zones=list_all_zones(), zone_id=zone_id)


@bp.route("/institutions/<int:institution_id>", methods=["GET", "POST"])
@staff_required("admin")
def institution_edit(institution_id: int):
    """Change an institution."""
    institution = row_or_404(Institution, institution_id)
    return form_page(
        InstitutionForm(obj=institution, zones=zone_choices()),
        lambda f: update_institution(actor(), institution_id, f.values()),
        lambda kept: Saved(url_for("admin.institutions", zone=institution.zone_id), SAVED, kept,
                           institution.name),
        "admin/institutions.html", institution=institution, institutions=None)


@bp.route("/closures", methods=["GET", "POST"])
@staff_required("admin")
def closures():
    """Upcoming closures and a form to add one."""

    def saved(done) -> Saved:
        closure, on_day = done
        return Saved(url_for("admin.closures"),
                     f"{closure.day:%Y-%m-%d}을(를) 휴무로 지정했습니다. / Closure added.", on_day,
                     f"{closure.day:%Y-%m-%d}")

    return form_page(ClosureForm(zones=zone_choices()), lambda f: add_closure(
        actor(), f.day.data, f.zone_id.data, f.reason.data or ""), saved,
        "admin/closures.html", closures=upcoming_closures(),
        zones={z.id: z for z in list_all_zones()})


@bp.post("/closures/<int:closure_id>/delete")
@staff_required("admin")
def closure_delete(closure_id: int):
    """Open a closed day again."""
    try:
        remove_closure(actor(), closure_id)
    except ManageError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.closures"), code=303)
    flash("휴무를 지웠습니다. / Closure removed.", "success")
    return redirect(url_for("admin.closures"), code=303)


@bp.post("/<entity>/<int:row_id>/active")
@staff_required("admin")
def switch_active(entity: str, row_id: int):
    """The lists' deactivate / reactivate button."""
    if entity not in LIST_OF:  # checked here, after the guard, so strangers learn nothing
        abort(404)
    active = request.form.get("active") == "1"
    try:
        kept = set_active(actor(), entity, row_id, active)
    except ManageError:
        abort(404)
    flash("다시 사용합니다. / Reactivated." if active else "비활성화했습니다. / Deactivated.",
          "success")
    flash_kept(kept, "비활성화 Deactivated")
    back = safe_local_path(request.form.get("back"))
    if not back or not back.startswith("/admin/"):
        back = url_for(LIST_OF[entity])
    return redirect(back, code=303)
