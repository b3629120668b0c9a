"""Firms for the visibility tests: a pre-screen under a business number and appointments with
chosen demo advisers in chosen statuses, written straight to the database."""

import itertools
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.booking.models import Appointment, Booking
from app.extensions import db
from app.intake.models import Intake
from app.intake.rules import business_number_check_digit
from app.visits.models import Outcome

FIRST = datetime(2031, 1, 6, 1, tzinfo=UTC)
_HOURS = itertools.count()


def business_number(first_nine: str) -> str:
    """A valid business number from its first nine digits."""
    return first_nine + str(business_number_check_digit(first_nine))


def make_firm(name: str, number: str | None, visits=(), *, contact: str = "담당자") -> int:
    """A pre-screen and one booking holding `visits`: (adviser e-mail, status, outcome or
    None) each. Returns the pre-screen's id."""
    now = datetime.now(UTC)
    intake = Intake(token_hash=secrets.token_hex(32), stage="bi", company_name=name,
                    business_number=number, contact_name=contact,
                    email=f"{secrets.token_hex(4)}@firm.example", phone="01012345678",
                    description=f"{name}의 상담 요청", consent_personal_info_at=now,
                    consent_notice_version="test", retention_until=now + timedelta(days=30))
    db.session.add(intake)
    db.session.flush()
    if visits:
        booking = Booking(token_hash=secrets.token_hex(32), intake_id=intake.id,
                          visit_date=FIRST.date())
        db.session.add(booking)
        for email, status, outcome in visits:
            adviser = db.session.scalar(select(User).where(User.email == email)).adviser
            start = FIRST + timedelta(hours=next(_HOURS))  # never one adviser's slot twice
            appointment = Appointment(
                booking=booking, intake_id=intake.id, zone_id=adviser.zone_id,
                adviser_id=adviser.id, institution_id=adviser.institution_id,
                starts_at=start, ends_at=start + timedelta(minutes=30), status=status)
            db.session.add(appointment)
            db.session.flush()
            if outcome:
                db.session.add(Outcome(appointment_id=appointment.id, **outcome))
    db.session.commit()
    return intake.id
