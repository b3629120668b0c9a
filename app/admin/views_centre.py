"""The admin page of their centre's own facts (footer, privacy policy, messages)."""

from flask import url_for

from app.admin.blueprint import bp
from app.admin.forms_centre import CentreForm
from app.admin.manage import get_row
from app.admin.manage_centre import update_centre
from app.admin.views_common import SAVED, Saved, actor, form_page, my_centre
from app.auth.decorators import staff_required
from app.centres.models import Centre


@bp.route("/centre", methods=["GET", "POST"])
@staff_required("admin")
def centre():
    """Change the centre's names, address, phone, hours, directions and privacy officer."""
    row = get_row(Centre, my_centre())
    return form_page(CentreForm(obj=row), lambda f: update_centre(actor(), row.id, f.values()),
                     lambda _done: Saved(url_for("admin.centre"), SAVED),
                     "admin/centre.html", centre=row)
