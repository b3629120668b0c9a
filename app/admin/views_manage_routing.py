"""Admin pages for needs, routing rules (with the "try it" box) and the audit log."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.audit_log import audit_filter_choices, changes, read_audit_log
from app.admin.blueprint import bp
from app.admin.forms import AuditFilterForm, NeedForm, RoutingRuleForm, TryRoutingForm
from app.admin.manage import list_all_zones, list_institutions
from app.admin.manage_routing import (
    create_need,
    create_rule,
    list_all_needs,
    search_rules,
    update_need,
    update_rule,
)
from app.admin.views_common import (
    SAVED,
    Saved,
    actor,
    form_page,
    institution_choices,
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


def _need_form(**kwargs) -> NeedForm:
    return NeedForm(zones=zone_choices(), institutions=institution_choices(), **kwargs)


@bp.get("/needs")
@staff_required("admin")
def needs():
    """Every need the pre-screen offers (or once offered)."""
    return render_template("admin/needs.html", needs=list_all_needs(), form=None)


@bp.route("/needs/new", methods=["GET", "POST"])
@staff_required("admin")
def need_new():
    """Create a need."""
    def saved(need: Need) -> Saved:
        name = localized(need.label, need.label_en)
        return Saved(url_for("admin.needs"), _("Need ‘%(name)s’ created.", name=name))

    return form_page(_need_form(), lambda f: create_need(actor(), f.values()), saved,
                     "admin/needs.html", need=None)


@bp.route("/needs/<int:need_id>", methods=["GET", "POST"])
@staff_required("admin")
def need_edit(need_id: int):
    """Change a need (its code stays)."""
    need = row_or_404(Need, need_id)
    return form_page(_need_form(obj=need), lambda f: update_need(actor(), need_id, f.values()),
                     lambda _: Saved(url_for("admin.needs"), SAVED), "admin/needs.html",
                     need=need)


def _rule_saved(done: tuple[RoutingRule, list[str]]) -> Saved:
    """Back to the rule's zone; a duplicate phrase is said, too."""
    rule, warnings = done
    return Saved(url_for("admin.routing", zone=rule.zone_id), SAVED, notes=warnings)


RULES_PER_PAGE = 50


def _trial(zone_id: int | None) -> dict:
    """The routing page's list (searched, a page at a time) and its "try it" box: its form,
    choices and (when asked) result."""
    trial = TryRoutingForm(formdata=request.args if "sample" in request.args else None)
    trial_choices = [(n.code, n.label, n.label_en) for n in list_all_needs() if n.active]
    trial.needs.choices = [(code, label) for code, label, _ in trial_choices]
    result = None
    if "sample" in request.args and trial.validate():
        result = explained(recommend((trial.sample.data or "").strip(),
                                     list(trial.needs.data or [])), html=True)
    zones = list_all_zones()
    q = (request.args.get("q") or "").strip()[:100]
    found = search_rules(q, zone_id, request.args.get("page", 1, type=as_id), RULES_PER_PAGE)
    return {"rules": found.rules, "found": found, "q": q, "zone_id": zone_id, "zones": zones,
            "zones_by_code": {z.code: z for z in zones},
            "institutions": {i.id: i for i in list_institutions()}, "trial": trial,
            "trial_choices": trial_choices, "result": result}


@bp.route("/routing", methods=["GET", "POST"])
@staff_required("admin")
def routing():
    """Routing rules by zone, a form to add one, and the "try it" box."""
    zone_id = request.args.get("zone", type=as_id)
    form = RoutingRuleForm(zones=zone_choices(), institutions=institution_choices(True))
    if request.method == "GET" and zone_id:
        form.zone_id.data = zone_id
    return form_page(form, lambda f: create_rule(actor(), f.values()), _rule_saved,
                     "admin/routing.html", rule=None, **_trial(zone_id))


@bp.route("/routing/<int:rule_id>", methods=["GET", "POST"])
@staff_required("admin")
def routing_edit(rule_id: int):
    """Change a routing rule."""
    rule = row_or_404(RoutingRule, rule_id)
    form = RoutingRuleForm(obj=rule, zones=zone_choices(), institutions=institution_choices())
    return form_page(form, lambda f: update_rule(actor(), rule_id, f.values()), _rule_saved,
                     "admin/routing.html", rule=rule, rules=None)


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
