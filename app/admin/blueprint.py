"""The admin blueprint; its views live in views_*.py modules of this package."""

from flask import Blueprint, current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user

from app.centres.scope import own_centre
from app.main.i18n import localized

bp = Blueprint("admin", __name__)

# (endpoint, label) of the admin sections, in menu order; the menu shows the ones whose view
# exists.
SECTIONS = [
    ("stats.dashboard", _l("Statistics")),
    ("visits.agenda", _l("Advisers' agenda")),
    ("admin.centre", _l("Centre")),
    ("admin.zones", _l("Zones")),
    ("admin.institutions", _l("Institutions")),
    ("admin.advisers", _l("Advisers")),
    ("admin.closures", _l("Closures")),
    ("admin.needs", _l("Needs")),
    ("admin.routing", _l("Routing rules")),
    ("stats.imports", lazy_pgettext("the admin menu's section", "Import")),
    ("admin.outbox", _l("Outbox")),
    ("admin.audit", _l("Audit log")),
]

# The national office's sections: the network's centres, the national needs and base rules,
# the statistics; no page that shows a firm.
NATIONAL_SECTIONS = [
    ("stats.dashboard", _l("Statistics")),
    ("admin.centres", _l("Centres of the network")),
    ("admin.needs", _l("Needs")),
    ("admin.routing", _l("Routing rules")),
]


def staff_sections() -> list[tuple[str, str]]:
    """The signed-in staff member's menu: (endpoint, label) of the sections whose view exists
    and lets their role in (the national office's own list for the national role)."""
    if not current_user.is_authenticated:
        return []
    sections = NATIONAL_SECTIONS if current_user.is_national else SECTIONS
    views = current_app.view_functions
    return [(endpoint, label) for endpoint, label in sections if endpoint in views
            and current_user.role in getattr(views[endpoint], "staff_roles", (current_user.role,))]


def staff_centre_name() -> str:
    """The name of the signed-in admin's or adviser's centre ('' for the national office)."""
    if not current_user.is_authenticated or current_user.centre_id is None:
        return ""
    centre = own_centre(current_user, "")  # "": not the query's ?centre=, never refused
    return localized(centre.name, centre.name_en)


# The staff menus' helpers, for every template (the header and the admin pages' frame).
bp.add_app_template_global(staff_sections)
bp.add_app_template_global(staff_centre_name)
