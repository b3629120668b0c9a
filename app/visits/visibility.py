"""Who sees which firm: the one rule behind the case file, the company search and its links.

- An admin sees every firm (the deployment is one centre today; with several centres, an
  admin will see their own centre's firms here and nowhere else).
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

from sqlalchemy import ColumnElement, false, or_, select, true
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


def visible_intakes(user: User) -> ColumnElement[bool]:
    """The SQL condition on `Intake`: the pre-screens this staff user may see."""
    if user.is_admin:
        return true()
    if user.adviser is None:
        return false()
    reached = select(Appointment.intake_id).where(_in_reach(user))
    same_firm = aliased(Intake)
    firms = select(same_firm.business_number).where(
        same_firm.id.in_(reached), same_firm.business_number.is_not(None))
    return or_(Intake.id.in_(reached), Intake.business_number.in_(firms))


def sees_firm(user: User, business_number: str) -> bool:
    """Whether the user may see the firm under this business number (its case file)."""
    return db.session.scalar(select(Intake.id).where(
        Intake.business_number == business_number, visible_intakes(user)).limit(1)) is not None


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
