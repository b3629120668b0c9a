"""Who a staff page is about: an adviser sees their own, an admin may pick any adviser."""

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.extensions import db
from app.inputs import InputError, parse_id
from app.intake.models import Intake
from app.visits.errors import OtherAdviser
from app.visits.visibility import scope_centre, sees_firm
from app.zones.models import Adviser, Zone


def centre_adviser(adviser_id: int, centre_id: int) -> Adviser | None:
    """The adviser by id when they work in one of the centre's zones, else None."""
    return db.session.scalar(select(Adviser).join(Zone, Adviser.zone_id == Zone.id).where(
        Adviser.id == adviser_id, Zone.centre_id == centre_id))


def chosen_adviser_id(user: User, raw: str | None, centre_id: int | None = None) -> int | None:
    """The adviser a page shows: the user's own record, or for admins the one asked for.

    `centre_id` is the centre the view resolved (app/centres/scope.py): an admin asking for
    an adviser who is not of that centre gets OtherAdviser (404). A malformed id is ignored.
    """
    if not user.is_admin:
        return user.adviser.id if user.adviser else -1
    try:
        adviser_id = parse_id(raw, "adviser_id") if raw else None
    except InputError:
        return None
    if adviser_id is not None and centre_id is not None and centre_adviser(
            adviser_id, centre_id) is None:
        raise OtherAdviser(_("No such adviser."))
    return adviser_id


def advisers_for_picker(user: User, centre_id: int | None = None) -> list[Adviser]:
    """Active advisers of the centre (`centre_id`, the view's; the admin's own when not
    given) an admin can switch between (nobody else gets a picker)."""
    if not user.is_admin:
        return []
    centre_id = scope_centre(user, centre_id) or 0
    return list(db.session.scalars(
        select(Adviser).join(Zone).where(Adviser.active, Zone.centre_id == centre_id)
        .order_by(Zone.sort_order, Adviser.name).options(selectinload(Adviser.institution),
                                                          selectinload(Adviser.zone))))


def held_number_notice(user: User, holder: Intake, centre_id: int | None = None) -> Markup:
    """What a walk-in form says when its business number is another firm's: that firm's
    name only to staff who may see it (app/visits/visibility.py), else just that it is held."""
    if holder.business_number and sees_firm(user, holder.business_number, centre_id):
        sentence = _("This business number belongs to %(company)s in our records. Correct "
                     "the number or the name, or confirm below that the number is right.")
        # the firm's name is data, not the page's language
        return Markup("<span>{}</span>").format(Markup(escape(sentence)) % {
            "company": Markup('<span translate="no">{}</span>').format(holder.company_name)})
    return Markup(escape(_("Another firm holds this business number in our records. Correct "
                           "the number or the name, or confirm below that the number is "
                           "right.")))
