"""Who a staff page is about: an adviser sees their own, an admin may pick any adviser."""

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.extensions import db
from app.inputs import InputError, parse_id
from app.intake.models import Intake
from app.visits.visibility import sees_firm
from app.zones.models import Adviser, Zone


def chosen_adviser_id(user: User, raw: str | None) -> int | None:
    """The adviser a page shows: the user's own record, or for admins the one asked for."""
    if not user.is_admin:
        return user.adviser.id if user.adviser else -1
    try:
        return parse_id(raw, "adviser_id") if raw else None
    except InputError:
        return None


def advisers_for_picker(user: User) -> list[Adviser]:
    """Active advisers an admin can switch between (nobody else gets a picker)."""
    if not user.is_admin:
        return []
    return list(db.session.scalars(
        select(Adviser).join(Zone).where(Adviser.active)
        .order_by(Zone.sort_order, Adviser.name).options(selectinload(Adviser.institution),
                                                          selectinload(Adviser.zone))))


def held_number_notice(user: User, holder: Intake) -> Markup:
    """What a walk-in form says when its business number is another firm's: that firm's
    name only to staff who may see it (app/visits/visibility.py), else just that it is held."""
    if holder.business_number and sees_firm(user, holder.business_number):
        sentence = _("This business number belongs to %(company)s in our records. Correct "
                     "the number or the name, or confirm below that the number is right.")
        # the firm's name is data, not the page's language
        return Markup("<span>{}</span>").format(Markup(escape(sentence)) % {
            "company": Markup('<span translate="no">{}</span>').format(holder.company_name)})
    return Markup(escape(_("Another firm holds this business number in our records. Correct "
                           "the number or the name, or confirm below that the number is "
                           "right.")))
