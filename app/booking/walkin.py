"""Walk-ins: a firm that arrives without a booking, registered by staff into a slot today."""

import re
import unicodedata
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.booking.errors import InvalidBooking
from app.booking.models import Appointment, Booking
from app.booking.services import flush_or_explain
from app.centres.services import centre_or_default
from app.extensions import db
from app.intake.models import Intake
from app.intake.services import add_intake
from app.states import AppointmentStatus
from app.tokens import new_token
from app.transactions import write_transaction
from app.types import to_local, utcnow
from app.zones.availability import free_slots, is_free


def walk_in_slots(zone_code: str, now: datetime | None = None, *,
                  centre_id: int | None = None):
    """Today's slots of a centre's zone (the staff member's centre, as their view resolved
    it) that have not ended yet, minimum notice waived."""
    now = now or utcnow()
    today = to_local(now).date()
    horizon_now = now - timedelta(days=2)  # far enough back that notice does not apply
    return [s for s in free_slots(zone_code, today, today, now=horizon_now, centre_id=centre_id)
            if s.end > now]


# Spellings of the company form that do not make another firm: (주)가나 is 가나 주식회사.
_COMPANY_FORM = re.compile(r"\(주\)|㈜|주식회사|\(유\)|유한회사|\b(?:co\.?,?\s*ltd|inc|corp)\b\.?")


class NumberHeldByAnotherFirm(InvalidBooking):
    """The business number typed belongs to a firm of another name; `holder` is its latest
    pre-screen, for the page to name it only to staff who may see that firm."""

    field = "business_number"

    def __init__(self, holder: Intake):
        message = _("Another firm holds this business number.")
        super().__init__(message, {"business_number": [message]})
        self.holder = holder


def same_company_name(one: str, other: str) -> bool:
    """Whether two company names are one firm's, spacing, case and (주)/주식회사 aside."""
    def key(name: str) -> str:
        folded = unicodedata.normalize("NFKC", name or "").casefold()
        return re.sub(r"[\s.,·]", "", _COMPANY_FORM.sub("", folded))
    return key(one) == key(other)


def number_holder(business_number: str | None, company_name: str,
                  centre_id: int | None = None) -> Intake | None:
    """The latest pre-screen under this business number at the centre (the default one
    unless `centre_id` names another) when none of them bears this name (a typo in the
    number, or another firm's); None when the number is new or the same firm's. Another
    centre's firms are not this centre's to name."""
    if not business_number:
        return None
    held = list(db.session.scalars(
        select(Intake).where(Intake.business_number == business_number,
                             Intake.centre_id == centre_or_default(centre_id),
                             Intake.purged_at.is_(None), Intake.company_name.is_not(None))
        .order_by(Intake.created_at.desc(), Intake.id.desc())))
    if not held or any(same_company_name(i.company_name, company_name) for i in held):
        return None
    return held[0]


def register_walk_in(staff_id: int, values: dict, zone_code: str, adviser_id: int,
                     start: datetime, now: datetime | None = None,
                     number_confirmed: bool = False, centre_id: int | None = None) -> Booking:
    """Pre-screen, booking and check-in of a walk-in in one transaction, at the staff
    member's centre (`centre_id`, as their view resolved it; else the default centre).

    A business number already held under another company name is refused
    (NumberHeldByAnotherFirm) unless staff confirmed it: the new pre-screen then joins that
    firm's case file, since a firm is its business number."""
    now = now or utcnow()
    with write_transaction():
        if not number_confirmed:
            holder = number_holder(values.get("business_number"), values["company_name"],
                                   centre_id)
            if holder is not None:
                raise NumberHeldByAnotherFirm(holder)
        slot = is_free(zone_code, adviser_id, start, now=now - timedelta(days=2),
                       centre_id=centre_id)
        if slot is None or slot.end <= now or to_local(start).date() != to_local(now).date():
            message = _("Not a free slot today.")
            raise InvalidBooking(message, {"slot": [message]})
        intake, _token = add_intake(
            {**values, **({"centre_id": centre_id} if centre_id is not None else {})}, now,
            source="walk_in")
        booking = Booking(token_hash=new_token()[1], intake_id=intake.id, created_at=now,
                          visit_date=to_local(start).date(), created_by_id=staff_id)
        db.session.add(booking)
        booking.appointments.append(Appointment(
            intake_id=intake.id, zone_id=slot.zone_id, adviser_id=slot.adviser_id,
            institution_id=slot.institution_id, starts_at=slot.start, ends_at=slot.end,
            status=AppointmentStatus.CHECKED_IN, checked_in_at=now))
        flush_or_explain()
        db.session.commit()
    return booking
