"""The database itself refuses double booking, whatever the code above it does."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.booking.models import Appointment, Booking
from app.extensions import db
from app.intake.services import submit_intake
from app.tokens import new_token
from app.types import utcnow
from app.zones.models import Adviser


def raw_booking(intake_id: int, adviser: Adviser, start, status="booked") -> Booking:
    booking = Booking(token_hash=new_token()[1], intake_id=intake_id, visit_date=start.date())
    booking.appointments.append(Appointment(
        intake_id=intake_id, zone_id=adviser.zone_id, adviser_id=adviser.id,
        starts_at=start, ends_at=start + timedelta(hours=1), status=status))
    db.session.add(booking)
    return booking


def intake_id(n: int) -> int:
    intake, _ = submit_intake({
        "company_name": f"기업 {n}", "business_number": None, "representative_name": None,
        "contact_name": "담당", "email": f"c{n}@example.com", "phone": "010-1111-2222",
        "founded_on": None, "industry": None, "employees": None, "region": None,
        "need_codes": ["contract_review"], "description": "", "consent_marketing": False})
    return intake.id


def test_two_live_appointments_for_one_adviser_slot_are_refused(ctx):
    adviser = db.session.scalars(select(Adviser)).first()
    start = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    first, second = intake_id(1), intake_id(2)
    raw_booking(first, adviser, start)
    db.session.commit()
    raw_booking(second, adviser, start)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_cancelled_appointment_does_not_hold_the_slot(ctx):
    adviser = db.session.scalars(select(Adviser)).first()
    start = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    raw_booking(intake_id(1), adviser, start, status="cancelled")
    raw_booking(intake_id(2), adviser, start)
    db.session.commit()
    assert len(db.session.scalars(select(Appointment)).all()) == 2


def test_an_intake_holds_one_open_appointment_per_zone(ctx):
    advisers = db.session.scalars(select(Adviser).where(Adviser.zone.has(code="finance"))).all()
    start = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    firm = intake_id(1)
    raw_booking(firm, advisers[0], start)
    db.session.commit()
    raw_booking(firm, advisers[1], start + timedelta(days=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
