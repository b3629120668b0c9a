"""Helpers of the statistics tests: staff and tokens, sign-in, live visits, CSV files."""

import secrets
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.auth.services import create_api_token, create_user
from app.booking.models import Appointment, Booking
from app.extensions import db
from app.intake.models import Intake
from app.visits.models import Outcome
from app.zones.models import Adviser, Zone

HEADER = ("date,zone,company_name,business_number,finance_amount_krw,patent_transfers,"
          "ip_applications,summary")


def staff(app, role: str = "admin", email: str | None = None):
    """A staff user of that role and a Bearer token of theirs: (user id, token)."""
    with app.app_context():
        email = email or f"{role}-{secrets.token_hex(3)}@stats.test"
        user = create_user(email, role, "long-enough-password",
                           zone_code="legal" if role == "adviser" else None)
        return user.id, create_api_token(user)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def sign_in(app, client, user_id: int) -> None:
    """Put a signed-in session for the user into the test client's cookie."""
    from app.auth.models import User

    with app.app_context():
        session_id = db.session.get(User, user_id).get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def make_visit(zone_code: str, start: datetime, status: str = "completed", *,
               booked_at: datetime | None = None, outcome: dict | None = None,
               stage: str = "bi", industry: str | None = None, region: str | None = None,
               intake_at: datetime | None = None, centre_id: int | None = None,
               company_name: str = "테스트 기업") -> int:
    """An intake, a booking and one appointment (with an outcome when given) in the zone of
    that code at the centre (None: the default centre's, the first made); its id."""
    zone = db.session.scalar(select(Zone).where(
        Zone.code == zone_code, *([] if centre_id is None else [Zone.centre_id == centre_id]))
        .order_by(Zone.id))
    adviser = db.session.scalar(select(Adviser).where(Adviser.zone_id == zone.id)
                                .order_by(Adviser.id))
    now = datetime.now(UTC)
    intake = Intake(token_hash=secrets.token_hex(32), stage=stage, industry=industry,
                    region=region, created_at=intake_at or booked_at or start - timedelta(days=3),
                    consent_personal_info_at=now, consent_notice_version="test",
                    retention_until=now + timedelta(days=30), company_name=company_name,
                    centre_id=zone.centre_id)
    booking = Booking(token_hash=secrets.token_hex(32), intake=intake,
                      visit_date=start.date(), created_at=booked_at or start - timedelta(days=3))
    db.session.add_all([intake, booking])
    db.session.flush()
    appointment = Appointment(booking=booking, intake_id=intake.id, zone_id=zone.id,
                              created_at=booking.created_at,
                              adviser_id=adviser.id, institution_id=adviser.institution_id,
                              starts_at=start, ends_at=start + timedelta(minutes=zone.slot_minutes),
                              status=status)
    db.session.add(appointment)
    db.session.flush()
    if outcome is not None:
        db.session.add(Outcome(appointment_id=appointment.id, **outcome))
    db.session.commit()
    return appointment.id


def csv_bytes(rows: list[str], header: str = HEADER, bom: bool = False,
              newline: str = "\n") -> bytes:
    """A CSV file of the header and the given lines."""
    text = newline.join([header, *rows]) + newline
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _days(count: int, first: date, last: date) -> list[date]:
    """`count` dates spread over first..last, the last day always among them."""
    span = (last - first).days + 1
    return [last] + [first + timedelta(days=i % span) for i in range(count - 1)]


def _rows(zone: str, days: list[date], amounts: dict[int, int] | None = None,
          transfers: dict[int, int] | None = None) -> list[str]:
    amounts, transfers = amounts or {}, transfers or {}
    return [f"{day.isoformat()},{zone},기업{i},,{amounts.get(i, 0)},{transfers.get(i, 0)},0,"
            for i, day in enumerate(days)]


def published_rows() -> list[str]:
    """Rows whose totals are the centre's published table: cumulative as of 5.31 legal 95,
    finance 165 / 32억원, IP 195 / 128; as of 7.17 legal 208, finance 290 / 111.05억원,
    IP 467 / 142. Rows sit on both edges, and a few after 7.17 must not count."""
    spring = (date(2025, 12, 1), date(2026, 5, 31))
    summer = (date(2026, 6, 1), date(2026, 7, 17))
    later = (date(2026, 7, 18), date(2026, 8, 31))
    rows = _rows("legal", _days(95, *spring)) + _rows("legal", _days(113, *summer))
    # 16 x 2억 = 32억 before (one on 5.31); 15 x 5억 + 4.05억 (on 7.17) = 79.05억 after.
    rows += _rows("finance", _days(165, *spring), {i: 200_000_000 for i in range(16)})
    rows += _rows("finance", _days(125, *summer),
                  {0: 405_000_000, **{i: 500_000_000 for i in range(1, 16)}})
    rows += _rows("patent", _days(195, *spring), transfers={i: 2 for i in range(64)})
    rows += _rows("patent", _days(272, *summer), transfers={i: 1 for i in range(14)})
    rows += _rows("legal", _days(3, *later)) + _rows("finance", _days(2, *later), {0: 10**8})
    rows += _rows("patent", _days(1, *later), transfers={0: 1})
    return rows
