"""Admin pages for needs, routing rules (with the "try it" box) and the audit log.

The needs and the base rules are national: the national office keeps them on these pages; a
centre's admin reads them (labelled national) and keeps the centre's own rules (another
centre's rule is 404, a base rule's edit 403). app/admin/manage.py's keeps_national says who
keeps the national rows (in a deployment of one centre, its admin too).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.audit_log import audit_filter_choices, changes, read_audit_log
from app.admin.blueprint import bp
from app.admin.errors import ManageError, NationalRow
from app.admin.forms import AuditFilterForm, NeedForm, RoutingRuleForm, TryRoutingForm
from app.admin.manage import (
    list_institutions,
)
from app.admin.manage_routing import (
    create_need,
    create_rule,
    delete_rule,
    list_all_needs,
    rule_of,
    search_rules,
    update_need,
    update_rule,
)
from app.admin.scoping import keeps_national
from app.admin.views_common import (
    SAVED,
    Saved,
    actor,
    form_page,
    institution_choices,
    menu_zones,
    my_centre,
    row_or_404,
    zone_choices,
)
from app.auth.decorators import staff_required
from app.centres.scope import own_centre
from app.inputs import as_id
from app.intake.models import Need, RoutingRule
from app.intake.routing import explained
from app.intake.services import recommend
from app.main.i18n import localized
from app.states import Role

KEEPERS = (Role.ADMIN, Role.NATIONAL)  # the national office keeps; an admin reads (see above)


def _scope() -> int | None:
    """The signed-in user's centre (resolved once), or None for the national office."""
    return my_centre() if current_user.centre_id is not None else None


def _keeper_or_403() -> None:
    if not keeps_national(actor()):
        abort(403)


def _need_form(**kwargs) -> NeedForm:
    return NeedForm(zones=zone_choices(), institutions=institution_choices(), **kwargs)


@bp.get("/needs")
@staff_required(*KEEPERS)
def needs():
    """Every need the pre-screen offers (or once offered): national, so read-only to a
    centre's admin of a network."""
    _scope()
    return render_template("admin/needs.html", needs=list_all_needs(), form=None,
                           keeper=keeps_national(actor()))


@bp.route("/needs/new", methods=["GET", "POST"])
@staff_required(*KEEPERS)
def need_new():
    """Create a need (the national office)."""
    _keeper_or_403()

    def saved(need: Need) -> Saved:
        name = localized(need.label, need.label_en)
        return Saved(url_for("admin.needs"), _("Need ‘%(name)s’ created.", name=name))

    return form_page(_need_form(), lambda f: create_need(actor(), f.values()), saved,
                     "admin/needs.html", need=None)


@bp.route("/needs/<int:need_id>", methods=["GET", "POST"])
@staff_required(*KEEPERS)
def need_edit(need_id: int):
    """Change a need (its code stays; the national office)."""
    _keeper_or_403()
    need = row_or_404(Need, need_id)
    return form_page(_need_form(obj=need), lambda f: update_need(actor(), need_id, f.values()),
                     lambda _: Saved(url_for("admin.needs"), SAVED), "admin/needs.html",
                     need=need)


def _rule_saved(done: tuple[RoutingRule, list[str]]) -> Saved:
    """Back to the rule's zone; a duplicate phrase is said, too."""
    rule, warnings = done
    return Saved(url_for("admin.routing", zone=rule.zone_id), SAVED, notes=warnings)


RULES_PER_PAGE = 50


def _trial(zone_id: int | None, centre_id: int | None) -> dict:
    """The routing page's list of the centre's rules (searched, a page at a time) and its
    "try it" box for that centre (the national office: the default centre): its form,
    choices and (when asked) result."""
    trial = TryRoutingForm(formdata=request.args if "sample" in request.args else None)
    trial_choices = [(n.code, n.label, n.label_en) for n in list_all_needs() if n.active]
    trial.needs.choices = [(code, label) for code, label, _ in trial_choices]
    result = None
    if "sample" in request.args and trial.validate():
        result = explained(recommend((trial.sample.data or "").strip(),
                                     list(trial.needs.data or []), centre_id), html=True)
    zones = menu_zones(centre_id)
    q = (request.args.get("q") or "").strip()[:100]
    found = search_rules(q, zone_id, request.args.get("page", 1, type=as_id), RULES_PER_PAGE,
                         centre_id=centre_id)
    return {"rules": found.rules, "found": found, "q": q, "zone_id": zone_id, "zones": zones,
            "zones_by_code": {z.code: z for z in zones},
            "institutions": {i.id: i for i in list_institutions(centre_id=centre_id)},
            "trial": trial, "trial_choices": trial_choices, "result": result,
            "keeper": keeps_national(actor())}


@bp.route("/routing", methods=["GET", "POST"])
@staff_required(*KEEPERS)
def routing():
    """Routing rules by zone (a centre's: the national base rules, read-only, and its own;
    the national office's: the base rules), a form to add one, and the "try it" box."""
    centre_id = _scope()
    zone_id = request.args.get("zone", type=as_id)
    form = RoutingRuleForm(zones=zone_choices(centre_id=centre_id),
                           institutions=institution_choices(True, centre_id=centre_id))
    if request.method == "GET" and zone_id:
        form.zone_id.data = zone_id
    return form_page(form, lambda f: create_rule(actor(), f.values(), centre_id), _rule_saved,
                     "admin/routing.html", rule=None, **_trial(zone_id, centre_id))


def _rule_or_abort(rule_id: int, centre_id: int | None) -> RoutingRule:
    """The rule the user may change: another centre's is 404, a base rule for a centre's
    admin 403."""
    try:
        return rule_of(actor(), rule_id, centre_id)
    except NationalRow:
        abort(403)
    except ManageError:
        abort(404)


@bp.route("/routing/<int:rule_id>", methods=["GET", "POST"])
@staff_required(*KEEPERS)
def routing_edit(rule_id: int):
    """Change a routing rule (the centre's own; a base rule: the national office)."""
    centre_id = _scope()
    rule = _rule_or_abort(rule_id, centre_id)
    menu = centre_id if rule.centre_id is not None else None
    form = RoutingRuleForm(obj=rule, zones=zone_choices(centre_id=menu),
                           institutions=institution_choices(centre_id=menu))
    return form_page(form, lambda f: update_rule(actor(), rule_id, f.values(), centre_id),
                     _rule_saved, "admin/routing.html", rule=rule, rules=None)


@bp.post("/routing/<int:rule_id>/delete")
@staff_required(*KEEPERS)
def routing_delete(rule_id: int):
    """Delete a routing rule (as routing_edit says who may)."""
    centre_id = _scope()
    rule = _rule_or_abort(rule_id, centre_id)
    zone_id = rule.zone_id
    delete_rule(actor(), rule_id, centre_id)
    flash(_("Routing rule deleted."), "success")
    return redirect(url_for("admin.routing", zone=zone_id), code=303)


@bp.get("/audit")
@staff_required("admin")
def audit():
    """The audit log, filtered and paged, newest first."""
    form = AuditFilterForm(formdata=request.args)
    centre_id = own_centre(current_user).id  # the admin's centre's entries only
    actors, entities, actions = audit_filter_choices(centre_id)
    everything = [("", _("All"))]
    form.actor_id.choices = everything + [(u.id, f"{u.name} ({u.email})") for u in actors]
    form.entity.choices = everything + [(e, e) for e in entities]
    form.action.choices = everything + [(a, a) for a in actions]
    if not form.validate():
        return render_template("admin/audit.html", form=form, page=None, rows=[]), 422
    page = read_audit_log(
        actor_id=form.actor_id.data, entity=form.entity.data or None,
        action=form.action.data or None, date_from=form.date_from.data,
        date_to=form.date_to.data, page=request.args.get("page", 1, type=as_id),
        centre_id=centre_id)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    rows = [(entry, changes(entry)) for entry in page.entries]
    return render_template("admin/audit.html", form=form, page=page, rows=rows,
                           filters=filters)
