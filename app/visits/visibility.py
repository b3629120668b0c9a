"""Who sees which firm: the one rule behind the case file, the company search and its links.

- Staff see their own centre's firms only: a pre-screen is for one centre
  (`intakes.centre_id`) and an admin or adviser never sees another centre's, even under a
  business number both centres know (a firm is its business number inside a centre). The
  national role sees no firm at all.
- An admin sees every firm of their centre.
- An adviser sees a firm that has, or had, an appointment in their own zone or with them
  (an adviser who moved to another zone keeps the firms they advised). Every status counts:
  booked, checked in, completed, no-show and cancelled. A cancelled appointment counts because
  it stays on that zone's agenda with its briefing (the adviser has already seen the firm),
  and a firm that cancelled and calls back must be recognised; a no-show likewise.
- A firm is its business number: once one pre-screen under the number qualifies, the
  adviser sees all of the firm's pre-screens and appointments, so a returning firm is
  recognised. A pre-founder has no number: its pre-screen stands alone.
- A firm with no appointment at all (only a pre-screen, or only a waitlist entry) is for
  admins only.
- Another zone's outcome notes (summary, follow-up) stay with that zone: an adviser sees the
  appointment, its zone and its figures, not the text. Admins see everything.

A firm the user may not see is treated as one that does not exist (404, never 403, which
would confirm that a business number is known here).
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.booking.models import Appointment
from app.extensions import db
from app.intake.models import Intake
from app.visits.models import Outcome


def _in_reach(user: User) -> ColumnElement[bool]:
    """Appointments that bring their firm into an adviser's sight."""
    adviser = user.adviser
    return or_(Appointment.zone_id == adviser.zone_id, Appointment.adviser_id == adviser.id)


def scope_centre(user: User, centre_id: int | None = None) -> int | None:
    """The centre whose firms a staff user may see: the one their view resolved
    (app/centres/scope.py), which is always their own; None (nothing) for the national
    role, or for a centre that is not theirs."""
    if user.centre_id is None or (centre_id is not None and centre_id != user.centre_id):
        return None
    return user.centre_id


def visible_intakes(user: User, centre_id: int | None = None) -> ColumnElement[bool]:
    """The SQL condition on `Intake`: the pre-screens this staff user may see, of their
    centre (`centre_id`, as the view resolved it; the user's own when not given)."""
    centre_id = scope_centre(user, centre_id)
    if centre_id is None or (not user.is_admin and user.adviser is None):
        return false()
    own = Intake.centre_id == centre_id
    if user.is_admin:
        return own
    reached = select(Appointment.intake_id).where(_in_reach(user))
    same_firm = aliased(Intake)
    firms = select(same_firm.business_number).where(
        same_firm.id.in_(reached), same_firm.business_number.is_not(None),
        same_firm.centre_id == centre_id)
    return and_(own, or_(Intake.id.in_(reached), Intake.business_number.in_(firms)))


def sees_firm(user: User, business_number: str, centre_id: int | None = None) -> bool:
    """Whether the user may see the firm under this business number (its case file)."""
    return db.session.scalar(select(Intake.id).where(
        Intake.business_number == business_number,
        visible_intakes(user, centre_id)).limit(1)) is not None


def sees_notes(user: User, appointment: Appointment) -> bool:
    """Whether the user may read an appointment's outcome text (its zone's, or their own)."""
    if user.is_admin:
        return True
    adviser = user.adviser
    return adviser is not None and (appointment.zone_id == adviser.zone_id
                                    or appointment.adviser_id == adviser.id)


@dataclass(frozen=True)
class OutcomeShown:
    """An outcome as one reader may see it: the figures always, the text only if allowed."""

    finance_amount_krw: int
    patent_transfers: int
    ip_applications: int
    summary: str | None  # None: withheld (another zone's notes)
    follow_up: str | None

    @property
    def withheld(self) -> bool:
        return self.summary is None


def outcome_for(user: User, appointment: Appointment, outcome: Outcome) -> OutcomeShown:
    """The outcome with its text left out when it belongs to another zone."""
    shown = sees_notes(user, appointment)
    return OutcomeShown(outcome.finance_amount_krw, outcome.patent_transfers,
                        outcome.ip_applications,
                        outcome.summary if shown else None,
                        outcome.follow_up if shown else None)
