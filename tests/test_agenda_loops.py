"""The adviser's loops (issue 13, item 6): the agenda across days with moved visits and the
reasons for actions not yet possible, the briefing's extras, the outcome form's figures per
zone, the case file's count and the walk-in's business-number check."""

import re
import secrets
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.auth.models import User
from app.booking.models import Appointment, Booking
from app.extensions import db
from app.intake.models import Intake
from app.types import local_datetime, local_today
from app.visits.models import Outcome
from app.zones.models import Institution
from tests.firm_helpers import business_number
from tests.test_i18n_public import assert_one_language, read

SEOUL = ZoneInfo("Asia/Seoul")
DAY = datetime(2031, 3, 4).date()  # a Tuesday, far from any demo booking
ELEVEN = datetime(2031, 3, 4, 11, tzinfo=SEOUL)


def local(moment: datetime) -> datetime:
    """An instant on the centre's clock (the tests' centre is in Seoul)."""
    return moment.astimezone(SEOUL)


def text(html: str) -> str:
    """The page's text without its tags, spaces collapsed ('→ 14:00' across spans)."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def add_visit(name: str, number: str | None, visits, *, industry: str | None = None,
              recommendation=None, phone: str = "010-1234-5678") -> Intake:
    """A pre-screen and one booking holding `visits`: (adviser e-mail, local start, status,
    outcome values or None) each."""
    now = datetime.now(UTC)
    intake = Intake(token_hash=secrets.token_hex(32), stage="bi", company_name=name,
                    business_number=number, contact_name="담당자", industry=industry,
                    email=f"{secrets.token_hex(4)}@firm.example", phone=phone,
                    description=f"{name}의 상담 요청", consent_personal_info_at=now,
                    consent_notice_version="test", retention_until=now + timedelta(days=30),
                    recommendation=recommendation or [])
    db.session.add(intake)
    db.session.flush()
    booking = Booking(token_hash=secrets.token_hex(32), intake_id=intake.id,
                      visit_date=visits[0][1].date())
    db.session.add(booking)
    for email, start, status, outcome in visits:
        adviser = db.session.scalar(select(User).where(User.email == email)).adviser
        starts = local_datetime(start.date(), start.time())
        appointment = Appointment(
            booking=booking, intake_id=intake.id, zone_id=adviser.zone_id,
            adviser_id=adviser.id, institution_id=adviser.institution_id,
            starts_at=starts, ends_at=starts + timedelta(minutes=60), status=status)
        db.session.add(appointment)
        db.session.flush()
        if outcome is not None:
            db.session.add(Outcome(appointment_id=appointment.id, **outcome))
    db.session.commit()
    return intake


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def agenda_of(client, day, language="ko") -> str:
    return read(client, f"/adviser/?date={day.isoformat()}", language)


# --- the agenda across days -------------------------------------------------------------


@pytest.mark.parametrize("language", ["ko", "en"])
def test_previous_next_and_today_lead_across_days(client, auth, staff, language):
    auth.login(staff["adviser_a"])
    page = agenda_of(client, DAY, language)
    assert_one_language(page, language)
    heading = re.search(r'<h1 class="ons-page-title">(.*?)</h1>', page, re.S).group(1)
    assert ("2031년 3월 4일 (화)" if language == "ko" else "Tue 4 Mar 2031") in heading
    assert re.search(r'rel="prev" href="/adviser/\?date=2031-03-03"', page)
    assert re.search(r'rel="next" href="/adviser/\?date=2031-03-05"', page)
    with client.application.app_context():
        today = local_today()
    assert f'href="/adviser/?date={today.isoformat()}">' in page
    past = agenda_of(client, datetime(2020, 1, 1).date(), language)
    assert re.search(r'rel="next" href="/adviser/\?date=2020-01-02"', past)
    here = read(client, f"/adviser/?date={today.isoformat()}", language)
    assert 'aria-current="date"' in here


def test_an_admin_keeps_the_chosen_adviser_across_days(app, client, auth, staff):
    auth.login(staff["admin"])
    with app.app_context():
        kodit = db.session.scalar(select(User).where(User.email == staff["adviser_b"])).adviser
    page = client.get(f"/adviser/?date={DAY}&adviser_id={kodit.id}").get_data(as_text=True)
    assert f'href="/adviser/?date=2031-03-05&amp;adviser_id={kodit.id}"' in page


def test_the_last_day_has_no_next_link(client, auth, staff):
    auth.login(staff["adviser_a"])
    page = client.get("/adviser/?date=2100-12-31").get_data(as_text=True)
    assert 'rel="next"' not in page and 'rel="prev"' in page


def _booking_token(app, appointment_id: int) -> str:
    """Give the appointment's booking a known private link (only its hash is stored)."""
    from app.tokens import hash_token

    token = secrets.token_urlsafe(16)
    with app.app_context():
        db.session.get(Appointment, appointment_id).booking.token_hash = hash_token(token)
        db.session.commit()
    return token


def _legal_slots(client, day) -> list[dict]:
    return client.get("/api/v1/slots", query_string={
        "zone": "legal", "from": day.isoformat(),
        "to": (day + timedelta(days=20)).isoformat()}).get_json()["slots"]


@pytest.fixture
def booked(app, client, intake_payload):
    """A legal visit booked through the API at the first slot of a day with several free
    ones: (appointment id, its start)."""
    token = client.post("/api/v1/intakes", json=intake_payload).get_json()["intake"]["token"]
    with app.app_context():
        first = local_today()
    slots = _legal_slots(client, first)
    days = [local(datetime.fromisoformat(s["start"])).date() for s in slots]
    slot = next(s for s, day in zip(slots, days, strict=True) if days.count(day) >= 3)
    response = client.post("/api/v1/bookings", json={"intake_token": token, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": slot["start"]}]})
    return (response.get_json()["booking"]["appointments"][0]["id"],
            datetime.fromisoformat(slot["start"]))


def _reschedule(app, client, booked_visit, same_day: bool) -> datetime:
    """Move the booked legal visit through the API, to the day's last free slot or to the
    next day's first; returns the new start."""
    appointment_id, start = booked_visit
    day = local(start).date()
    later = [s for s in _legal_slots(client, day) if datetime.fromisoformat(s["start"]) > start
             and (local(datetime.fromisoformat(s["start"])).date() == day) == same_day]
    target = later[-1] if same_day else later[0]
    response = client.post(f"/api/v1/bookings/{_booking_token(app, appointment_id)}/reschedule",
                           json={"appointments": [{"zone": "legal",
                                                   "adviser_id": target["adviser_id"],
                                                   "start": target["start"]}]})
    assert response.status_code == 200, response.get_json()
    return datetime.fromisoformat(target["start"])


def test_a_visit_moved_within_the_day_shows_once_as_moved(app, client, auth, staff, booked):
    appointment_id, start = booked
    with app.app_context():
        description = db.session.get(Appointment, appointment_id).booking.intake.description
    new_start = _reschedule(app, client, booked, same_day=True)
    auth.login(staff["adviser_a"])
    page = agenda_of(client, local(start).date())
    old = re.search(rf'<li class="ons-agenda-item ons-agenda-moved" id="appointment-'
                    rf'{appointment_id}">(.*?)</li>', page, re.S).group(1)
    assert f"→ {local(new_start):%H:%M}" in text(old)
    assert description not in old  # no briefing for the old slot
    assert page.count(description) == 1  # the new slot's briefing, once
    assert page.count("ons-agenda-moved") == 1


def test_a_visit_moved_twice_shows_its_last_old_slot_once(app, client, auth, staff, booked):
    appointment_id, start = booked
    _reschedule(app, client, booked, same_day=True)
    with app.app_context():
        moved = db.session.scalar(select(Appointment).where(
            Appointment.id != appointment_id, Appointment.status == "booked"))
        second = (moved.id, moved.starts_at)
    final = _reschedule(app, client, second, same_day=False)
    auth.login(staff["adviser_a"])
    page = agenda_of(client, local(start).date())
    assert page.count("ons-agenda-moved") == 1
    assert f'id="appointment-{second[0]}"' in page  # the slot it held last
    assert f"{local(final):%H:%M}</a>" in page and "→ " in text(page)


def test_a_visit_moved_to_another_day_names_the_day(app, client, auth, staff, booked):
    _, start = booked
    new_start = local(_reschedule(app, client, booked, same_day=False))
    auth.login(staff["adviser_a"])
    page = agenda_of(client, local(start).date())
    assert f"→ {new_start.month}월 {new_start.day}일 {new_start:%H:%M}" in text(page)
    assert f"?date={new_start.date().isoformat()}#appointment-" in page
    english = agenda_of(client, local(start).date(), "en")
    assert_one_language(english, "en")
    assert f"→ {new_start.day} {new_start:%b} {new_start:%H:%M}" in text(english)


def test_a_cancelled_visit_is_not_shown_as_moved(app, client, auth, staff, booked):
    appointment_id, start = booked
    token = _booking_token(app, appointment_id)
    assert client.post(f"/api/v1/bookings/{token}/cancel", json={}).status_code == 200
    auth.login(staff["adviser_a"])
    page = agenda_of(client, local(start).date())
    assert "ons-agenda-moved" not in page and "ons-agenda-cancelled" in page


@pytest.mark.parametrize("language", ["ko", "en"])
def test_actions_not_yet_possible_say_why(app, client, auth, staff, booked, language):
    appointment_id, start = booked
    day = local(start).date()
    auth.login(staff["adviser_a"])
    with time_machine.travel(start - timedelta(days=1), tick=False):
        page = agenda_of(client, day, language)
        assert_one_language(page, language)
        assert ("도착 처리와 결과 기록은 방문 당일부터 할 수 있습니다." if language == "ko"
                else "Check-in and the outcome open on the day of the visit.") in page
        assert f"/appointments/{appointment_id}/check-in" not in page
    with time_machine.travel(start - timedelta(minutes=30), tick=False):
        page = agenda_of(client, day, language)
        assert f"/appointments/{appointment_id}/check-in" in page
        assert f"/appointments/{appointment_id}/no-show" not in page
        when = f"{local(start):%H:%M}"
        assert (f"불참은 상담 시작 시각({when}) 이후에 표시할 수 있습니다." if language == "ko"
                else f"A no-show can be marked from {when}") in page
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        page = agenda_of(client, day, language)
        assert f"/appointments/{appointment_id}/no-show" in page
        assert "ons-waiting" not in page


# --- the briefing -----------------------------------------------------------------------


def test_the_briefing_gives_label_institution_other_zones_return_and_phone(
        app, client, auth, staff):
    number = business_number("311862222")
    with app.app_context():
        legal_aid = db.session.scalar(select(Institution).where(Institution.code == "legal_aid"))
        legal_aid_name = legal_aid.name
        add_visit("주식회사 다시온", number, [
            ("lawyer@onestop.local", at(DAY - timedelta(days=60), 10), "completed",
             {"summary": "지난 상담"})])
        add_visit("주식회사 다시온", number, [
            ("lawyer@onestop.local", at(DAY, 10), "booked", None),
            ("patent@onestop.local", at(DAY, 11), "booked", None)],
            industry="manufacturing",
            recommendation=[{"code": "legal", "score": 0.9, "reasons": [],
                             "institution_id": legal_aid.id}])
        add_visit("주식회사 처음", business_number("311863333"), [
            ("lawyer@onestop.local", at(DAY, 14), "booked", None)])
    auth.login(staff["adviser_a"])
    page = agenda_of(client, DAY)
    first, second = page.split('<h2 class="ons-card-title" translate="no">주식회사 처음')
    assert "제조업" in first and ">manufacturing<" not in page
    assert re.search(rf"추천 기관</dt>\s*<dd>{legal_aid_name}</dd>", first)
    assert "특허존 11:00" in first
    assert "재방문 기업" in first and "이전 상담 1건 완료" in first
    assert f'href="/adviser/company/{number}">기업 상담 이력</a>' in first
    assert 'href="tel:01012345678"' in first
    assert "재방문 기업" not in second
    english = agenda_of(client, DAY, "en")
    assert_one_language(english, "en")
    assert "Returning firm" in english and "Patent zone 11:00" in english
    assert "Manufacturing" in english


def test_the_outcome_page_shows_the_briefing_extras(app, client, auth, staff):
    number = business_number("311864444")
    with app.app_context():
        intake = add_visit("주식회사 한번더", number, [
            ("lawyer@onestop.local", at(DAY - timedelta(days=7), 10), "completed",
             {"summary": "첫 상담"})])
        add_visit("주식회사 한번더", number, [("lawyer@onestop.local", at(DAY, 10), "booked",
                                           None)])
        appointment_id = db.session.scalar(select(Appointment.id).where(
            Appointment.intake_id != intake.id).order_by(Appointment.id.desc()))
    with time_machine.travel(ELEVEN, tick=False):
        auth.login(staff["adviser_a"])
        page = read(client, f"/adviser/appointments/{appointment_id}/outcome", "ko")
    assert "재방문 기업" in page


# --- the outcome form -------------------------------------------------------------------


def _firm_visit(app, email: str) -> int:
    with app.app_context():
        add_visit("주식회사 결과", business_number("311865555"),
                  [(email, at(DAY, 10), "booked", None)])
        return db.session.scalar(select(Appointment.id).order_by(Appointment.id.desc()))


@pytest.mark.parametrize(("email", "shown", "hidden"), [
    ("lawyer@onestop.local", (), ("finance_amount_krw", "patent_transfers", "ip_applications")),
    ("kodit@onestop.local", ("finance_amount_krw",), ("patent_transfers", "ip_applications")),
    ("patent@onestop.local", ("patent_transfers", "ip_applications"), ("finance_amount_krw",)),
])
def test_the_outcome_form_asks_each_zone_its_own_figures(app, client, auth, staff, email,
                                                         shown, hidden):
    appointment_id = _firm_visit(app, email)
    with time_machine.travel(ELEVEN, tick=False):
        auth.login(staff["admin"])
        page = read(client, f"/adviser/appointments/{appointment_id}/outcome", "ko")
    assert all(f'name="{name}"' in page for name in shown)
    assert not any(f'name="{name}"' in page for name in hidden)


def _post_amount(app, client, auth, staff, typed: str, language: str = "ko"):
    """The finance adviser posts an outcome with this amount; returns the answer and the
    form page read again after it (on the visit's day)."""
    appointment_id = _firm_visit(app, "kodit@onestop.local")
    path = f"/adviser/appointments/{appointment_id}/outcome"
    with time_machine.travel(ELEVEN, tick=False):
        auth.login(staff["adviser_b"])
        form = read(client, path, language)
        response = client.post(path, data={"csrf_token": token_of(form), "summary": "x",
                                           "finance_amount_krw": typed})
        return response, read(client, path, language)


@pytest.mark.parametrize(("typed", "stored"), [
    ("1,200,000,000", 1_200_000_000), ("12억", 1_200_000_000),
    ("12억 5,000만", 1_250_000_000), ("3,500만원", 35_000_000)])
def test_amounts_are_read_as_people_write_them(app, client, auth, staff, typed, stored):
    response, again = _post_amount(app, client, auth, staff, typed)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Outcome)).finance_amount_krw == stored
    assert f'value="{stored:,}"' in again


@pytest.mark.parametrize(("typed", "message"), [
    ("12억억", "억 단위를 두 번 썼습니다."), ("-5", "금액은 음수일 수 없습니다."),
    ("1,20,000", "쉼표 위치가 맞지 않습니다"), ("열두억", "금액으로 읽을 수 없습니다"),
    ("5,000만 12억", "큰 단위를 먼저 쓰세요(만보다 억 먼저).")])
def test_a_bad_amount_is_a_specific_error_and_saves_nothing(app, client, auth, staff, typed,
                                                           message):
    response, _ = _post_amount(app, client, auth, staff, typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and f'value="{typed}"' in page  # kept as typed, to correct
    with app.app_context():
        assert db.session.scalar(select(Outcome)) is None


def test_the_english_page_says_a_bad_amount_in_english(app, client, auth, staff):
    response, _ = _post_amount(app, client, auth, staff, "-5", "en")
    page = response.get_data(as_text=True)
    assert_one_language(page, "en")
    assert "An amount cannot be negative." in page


def test_a_figure_of_another_zone_from_the_api_survives_the_form(app, client, auth, staff):
    """The API takes every figure for every zone (API.md); the form that does not ask a
    legal consultation for patents leaves such a figure as it is."""
    from app.auth.services import create_api_token

    appointment_id = _firm_visit(app, "lawyer@onestop.local")
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == staff["admin"]))
        headers = {"Authorization": f"Bearer {create_api_token(admin, 'test')}"}
    path = f"/adviser/appointments/{appointment_id}/outcome"
    with time_machine.travel(ELEVEN, tick=False):
        auth.login(staff["adviser_a"])
        api = client.post(f"/api/v1/appointments/{appointment_id}/outcome", headers=headers,
                          json={"summary": "API", "patent_transfers": 2})
        assert api.status_code == 200
        form = read(client, path, "ko")
        assert client.post(path, data={"csrf_token": token_of(form), "summary": "고침",
                                       "patent_transfers": "9"}).status_code == 303
    with app.app_context():
        outcome = db.session.scalar(select(Outcome))
        assert (outcome.summary, outcome.patent_transfers) == ("고침", 2)


# --- the case file ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_case_file_counts_completed_consultations_only(app, client, auth, staff,
                                                           language):
    number = business_number("311866666")
    with app.app_context():
        add_visit("주식회사 셈", number, [
            ("lawyer@onestop.local", at(DAY, 9), "completed", {"summary": "끝"}),
            ("lawyer@onestop.local", at(DAY, 10), "cancelled", None),
            ("lawyer@onestop.local", at(DAY, 11), "cancelled", None),
            ("lawyer@onestop.local", at(DAY, 12), "booked", None)])
    auth.login(staff["adviser_a"])
    page = read(client, f"/adviser/company/{number}", language)
    assert_one_language(page, language)
    if language == "ko":
        assert "상담 1건 완료" in page and "집계 제외: 예약 1 · 취소 2" in page
    else:
        assert "1 consultation held" in page and "Not counted: Booked 1 · Cancelled 2" in page


# --- the walk-in ------------------------------------------------------------------------


def _walk_in_page(client, zone: str):
    page = client.get(f"/adviser/walk-in?zone={zone}").get_data(as_text=True)
    return page, re.search(r'name="slot"[^>]*value="([^"]+)"', page).group(1)


def _next_monday_morning(app):
    with app.app_context():
        monday = local_today() + timedelta(days=(7 - local_today().weekday()) % 7 or 7)
        return local_datetime(monday, time(9, 30))


def _walk_in(client, zone, **fields):
    page, slot = _walk_in_page(client, zone)
    return client.post("/adviser/walk-in", data={
        "csrf_token": token_of(page), "zone": zone, "slot": slot, "contact_name": "방문자",
        "phone": "010-2222-3333", "consent": "y", "founded_on": "2020-01-01", **fields})


def test_a_walk_in_under_another_firms_number_asks_first(app, client, auth, staff, booked):
    auth.login(staff["adviser_a"])  # the lawyer: the firm booked the legal zone
    with time_machine.travel(_next_monday_morning(app), tick=False):
        refused = _walk_in(client, "legal", company_name="다른기업",
                           business_number="124-81-00998")
        assert refused.status_code == 422
        page = refused.get_data(as_text=True)
        assert "이 사업자등록번호는 기록상 주식회사 한빛테크의 번호입니다." in text(page)
        assert '<span translate="no">주식회사 한빛테크</span>' in page  # a name, as data
        assert 'name="confirm_number"' in page and 'value="1248100998"' in page
        same = _walk_in(client, "legal", company_name="(주) 한빛테크",
                        business_number="124-81-00998")
        assert same.status_code == 303  # the same firm, spelt another way
        confirmed = _walk_in(client, "legal", company_name="다른기업",
                             business_number="124-81-00998", confirm_number="y",
                             held_number="1248100998")
        assert confirmed.status_code == 303
    with app.app_context():
        names = db.session.scalars(select(Intake.company_name).where(
            Intake.business_number == "1248100998", Intake.source == "walk_in")).all()
    assert sorted(names) == ["(주) 한빛테크", "다른기업"]


def test_a_confirmation_holds_only_for_the_number_it_was_asked_for(app, client, auth, staff,
                                                                 booked):
    auth.login(staff["adviser_a"])
    with time_machine.travel(_next_monday_morning(app), tick=False):
        refused = _walk_in(client, "legal", company_name="다른기업",
                           business_number="124-81-00998", confirm_number="y",
                           held_number="2208188888")
    assert refused.status_code == 422


def test_a_walk_in_does_not_name_a_firm_the_adviser_may_not_see(app, client, auth, staff,
                                                                booked):
    auth.login(staff["adviser_b"])  # finance: the firm never came to that zone
    with time_machine.travel(_next_monday_morning(app), tick=False):
        refused = _walk_in(client, "finance", company_name="다른기업",
                           business_number="124-81-00998")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "한빛테크" not in page
    assert "이 사업자등록번호는 기록상 다른 기업의 번호입니다." in page
