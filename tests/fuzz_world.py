"""Real things for the API fuzz run to aim at: intakes, bookings, slots, an admin token, and
Hypothesis strategies that make values the API accepts (business numbers with their check
digit, the demo centre's need codes and zones, free slots)."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from hypothesis import strategies as st
from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_api_token
from app.booking.models import Appointment
from app.extensions import db
from app.intake.forms import REGIONS
from app.intake.rules import business_number_check_digit
from app.types import local_datetime, local_today
from tests.conftest import STAFF

FIGURE_NAMES = ("finance_amount_krw", "patent_transfers", "ip_applications")


def business_number(first_nine: str, hyphens: bool = True) -> str:
    """The number whose first nine digits are given, with its national check digit."""
    digits = first_nine + str(business_number_check_digit(first_nine))
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if hyphens else digits


def business_numbers() -> st.SearchStrategy[str]:
    """Valid business registration numbers, with or without hyphens."""
    return st.builds(business_number, st.text("0123456789", min_size=9, max_size=9),
                     st.booleans())


# Words people type: any printable text (Hangul and the rest), never only blanks.
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
                min_size=1, max_size=40)
phones = st.from_regex(r"01[016789]-[1-9][0-9]{3}-[0-9]{4}", fullmatch=True)
emails = st.from_regex(r"[a-z][a-z0-9.]{0,15}@[a-z]{2,10}\.(kr|com|example)", fullmatch=True)


@dataclass
class World:
    """What the fixture made, by kind; the strategies below draw from it."""

    token: str
    today: date
    needs: list[str]
    industries: list[str]  # the codes of GET /industries, where the app serves it
    zones: list[str]
    advisers: list[int]
    intakes: list[str]
    bookings: list[str]  # [0], [3]: visits of yesterday; [1], [2], [4]: visits to come
    appointments: list[int]  # one per booking, in the same order
    slots: list[dict] = field(default_factory=list)

    def intake_body(self) -> st.SearchStrategy[dict]:
        founded = st.dates(date(1990, 1, 1), self.today)
        industry = {"industry": st.sampled_from(self.industries)} if self.industries else {}
        return st.fixed_dictionaries({
            "company_name": names, "business_number": business_numbers(),
            "contact_name": names, "email": emails, "phone": phones,
            "founded_on": founded.map(date.isoformat),
            "needs": st.lists(st.sampled_from(self.needs), min_size=1, max_size=3),
            "consent_personal_info": st.just(True),
        }, optional={
            "representative_name": names, "region": st.sampled_from(REGIONS),
            "employees": st.integers(0, 1000), **industry,
            "description": st.text(max_size=300), "consent_marketing": st.booleans(),
        })

    def appointments_body(self) -> st.SearchStrategy[list]:
        return st.lists(st.sampled_from(self.slots), min_size=1, max_size=1).map(
            lambda chosen: [{k: slot[k] for k in ("zone", "adviser_id", "start")}
                            for slot in chosen])

    def days(self) -> st.SearchStrategy[str]:
        return st.dates(self.today - timedelta(days=7),
                        self.today + timedelta(days=30)).map(date.isoformat)

    def outcome_body(self) -> st.SearchStrategy[dict]:
        return st.fixed_dictionaries({
            "summary": st.text(max_size=200), "follow_up": st.text(max_size=200),
            **{name: st.integers(0, 10**9) for name in FIGURE_NAMES}})

    def csv_body(self) -> st.SearchStrategy[str]:
        row = st.tuples(st.dates(date(2015, 1, 1), self.today).map(date.isoformat),
                        st.sampled_from(self.zones),
                        st.from_regex(r"[가-힣A-Za-z]{1,20}", fullmatch=True),
                        business_numbers(), st.integers(0, 10**9), st.integers(0, 20),
                        st.integers(0, 20), st.from_regex(r"[가-힣a-z ]{0,40}", fullmatch=True))
        header = ("date,zone,company_name,business_number,finance_amount_krw,"
                  "patent_transfers,ip_applications,summary")
        return st.lists(row, min_size=1, max_size=5).map(
            lambda rows: "\n".join([header, *(",".join(map(str, r)) for r in rows)]) + "\n")


def build_world(app) -> World:
    """24 intakes; five booked visits, two moved to yesterday so that staff
    actions on them can succeed; the free slots of the next two weeks; an admin's token."""
    client = app.test_client()
    needs = [n["code"] for n in client.get("/api/v1/needs").get_json()["needs"]]
    zones = [z["code"] for z in client.get("/api/v1/zones").get_json()["zones"]]
    answer = client.get("/api/v1/industries")
    industries = ([i["code"] for i in answer.get_json()["industries"]]
                  if answer.status_code == 200 else [])
    intakes = []
    for number in range(24):
        body = {"company_name": f"퍼징 {number}호", "contact_name": "김담당",
                "business_number": business_number(f"{210 + number}810099"),
                "email": f"fuzz{number}@onestop.example", "phone": "010-1234-5678",
                "founded_on": "2020-05-01", "needs": needs[:1], "consent_personal_info": True}
        response = client.post("/api/v1/intakes", json=body)
        assert response.status_code == 201, response.get_json()
        intakes.append(response.get_json()["intake"]["token"])
    with app.app_context():
        today = local_today()
        admin = db.session.scalar(select(User).where(User.email == STAFF["admin"]))
        token = create_api_token(admin, "fuzz")
    slots = []
    for zone in zones:
        slots += client.get("/api/v1/slots", query_string={
            "zone": zone, "from": today.isoformat(),
            "to": (today + timedelta(days=14)).isoformat()}).get_json()["slots"]
    assert len(slots) > 20, "the demo centre should have free slots"
    bookings, appointments = [], []
    for intake, slot in zip(intakes[:5], slots[:5], strict=True):
        response = client.post("/api/v1/bookings", json={"intake_token": intake, "appointments": [
            {key: slot[key] for key in ("zone", "adviser_id", "start")}]})
        assert response.status_code == 201, response.get_json()
        booking = response.get_json()["booking"]
        bookings.append(booking["token"])
        appointments.append(booking["appointments"][0]["id"])
    # Visits 0 and 3 were yesterday, at 10:00 and 14:00 (ids past the smallest ones, which the
    # coverage phase tries on every operation, keep visit 3 for the no-show).
    with app.app_context():
        for appointment_id, hour in ((appointments[0], 10), (appointments[3], 14)):
            moved = db.session.get(Appointment, appointment_id)
            length = moved.ends_at - moved.starts_at
            moved.starts_at = local_datetime(today - timedelta(days=1), time(hour))
            moved.ends_at = moved.starts_at + length
        db.session.commit()
    advisers = sorted({slot["adviser_id"] for slot in slots})
    return World(token=token, today=today, needs=needs, industries=industries, zones=zones,
                 advisers=advisers, intakes=intakes, bookings=bookings,
                 appointments=appointments, slots=slots[5:])

