"""The admin blueprint; its views live in views_*.py modules of this package."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

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
