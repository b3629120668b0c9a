"""The adviser's workspace in one language at a time: the agenda on the visit's day, an
outcome with its errors and figures, the case file, the availability page with its rules,
time off and stranded bookings, the walk-in, the flashes and the staff API's refusals."""

import re
from datetime import time, timedelta

import pytest
import time_machine

from app.booking.models import Appointment
from app.extensions import db
from app.types import local_datetime, local_today, to_local
from tests.test_i18n_public import LANGUAGES, assert_one_language, read


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.fixture
def visit(app, client, auth, staff, booked) -> dict:
    """The lawyer signed in, with the booked visit's id, start, day and business number."""
    appointment_id, start = booked
    with app.app_context():
        appointment = db.session.get(Appointment, appointment_id)
        number = appointment.booking.intake.business_number
        adviser_id = appointment.adviser_id
        today, day = local_today(), to_local(start).date()
    auth.login(staff["adviser_a"])
    return {"id": appointment_id, "start": start, "day": day.isoformat(),
            "number": number, "adviser": adviser_id, "today": today.isoformat()}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_visits_day_check_in_outcome_and_case_file(client, auth, staff, visit, language):
    with time_machine.travel(visit["start"] - timedelta(minutes=15), tick=False):
        auth.login(staff["adviser_a"])  # a session of the day itself
        agenda = read(client, f"/adviser/?date={visit['day']}", language)
        assert_one_language(agenda, language)
        assert ("도착" if language == "ko" else "Check in") in agenda
        page = client.post(f"/adviser/appointments/{visit['id']}/check-in", data={
            "csrf_token": token_of(agenda)}, follow_redirects=True).get_data(as_text=True)
        assert_one_language(page, language)
        assert ("도착 처리했습니다." if language == "ko" else "Checked in.") in page

        outcome_path = f"/adviser/appointments/{visit['id']}/outcome"
        form = read(client, outcome_path, language)
        assert_one_language(form, language)
        assert 'name="finance_amount_krw"' not in form  # a legal consultation: no figures
        refused = client.post(outcome_path, data={"csrf_token": token_of(form), "summary": " "})
        assert refused.status_code == 422
        page = refused.get_data(as_text=True)
        assert_one_language(page, language)
        assert ("이 항목은 필수입니다." if language == "ko" else "This field is required.") in page

        saved = client.post(outcome_path, data={
            "csrf_token": token_of(form), "summary": "계약서 검토", "follow_up": "재방문",
            "finance_amount_krw": "320000000", "patent_transfers": "1"},
            follow_redirects=True).get_data(as_text=True)
        assert_one_language(saved, language)
        assert ("상담 결과를 저장했습니다." if language == "ko" else "Outcome saved.") in saved
        assert ("결과 수정" if language == "ko" else "Edit the outcome") in saved

        case = read(client, f"/adviser/company/{visit['number']}", language)
    assert_one_language(case, language)
    assert ("상담 1건 완료" if language == "ko" else "1 consultation held") in case
    assert ("정책금융" if language == "ko" else "Policy finance") not in case  # not asked


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_availability_page_with_rules_time_off_and_stranded_bookings(
        client, visit, language):
    page = read(client, "/adviser/availability", language)
    token = token_of(page)
    added = client.post("/adviser/availability/rules", data={
        "rule-csrf_token": token, "rule-weekday": "5", "rule-start_time": "10:00",
        "rule-end_time": "12:00", "rule-valid_from": visit["today"], "rule-every_n_weeks": "2",
        "rule-start_week": "2"},
        follow_redirects=True).get_data(as_text=True)
    assert_one_language(added, language)
    assert ("2주마다 (2번째)" if language == "ko" else "Every 2 weeks (week 2)") in added
    assert ("토" if language == "ko" else "Sat") in added

    overlap = client.post("/adviser/availability/rules", data={
        "rule-csrf_token": token, "rule-weekday": "5", "rule-start_time": "11:00",
        "rule-end_time": "09:00", "rule-valid_from": visit["today"], "rule-every_n_weeks": "2",
        "rule-start_week": "2"})
    assert overlap.status_code == 422
    page = overlap.get_data(as_text=True)
    assert_one_language(page, language)
    assert ("끝 시각이 시작보다 늦어야 합니다." if language == "ko"
            else "The end must be after the start.") in page

    extra = client.post("/adviser/availability/exceptions", data={
        "off-csrf_token": token, "off-day": visit["today"], "off-kind": "extra",
        "off-start_time": "18:00", "off-end_time": "19:00", "off-note": "야간 상담"},
        follow_redirects=True).get_data(as_text=True)
    assert_one_language(extra, language)
    assert ("추가 근무" if language == "ko" else "Extra hours") in extra

    stranded = client.post("/adviser/availability/exceptions", data={
        "off-csrf_token": token, "off-day": visit["day"], "off-kind": "off"})
    assert stranded.status_code == 409
    page = stranded.get_data(as_text=True)
    assert_one_language(page, language)
    assert ("예약은 그대로 두고 변경" if language == "ko" else "Change, keep the bookings") in page
    kept = client.post("/adviser/availability/exceptions", data={
        "off-csrf_token": token, "off-day": visit["day"], "off-kind": "off",
        "stranded": "keep"},
        follow_redirects=True).get_data(as_text=True)
    assert_one_language(kept, language)
    assert ("변경했습니다." if language == "ko" else "Saved.") in kept
    assert ("(종일)" if language == "ko" else "(all day)") in kept


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_walk_in_its_slots_and_its_errors(app, client, auth, staff, language):
    auth.login(staff["adviser_a"])
    with app.app_context():
        monday = local_today() + timedelta(days=(7 - local_today().weekday()) % 7 or 7)
        morning = local_datetime(monday, time(9, 30))
    with time_machine.travel(morning, tick=False):
        page = read(client, "/adviser/walk-in?zone=legal", language)
        assert_one_language(page, language)
        assert 'name="slot"' in page  # the slots' labels hold the adviser's name as data
        refused = client.post("/adviser/walk-in", data={
            "csrf_token": token_of(page), "zone": "legal", "company_name": "현장기업",
            "contact_name": "방문자", "phone": "12", "business_number": "123"})
        assert refused.status_code == 422
        errors = refused.get_data(as_text=True)
        assert_one_language(errors, language)
        expected = (("국내 전화번호 형식이 아닙니다.", "동의 없이는 등록할 수 없습니다.",
                     "사업자등록번호가 올바르지 않습니다.") if language == "ko"
                    else ("Not a Korean phone number.", "Consent is required.",
                          "Not a valid business number."))
        assert all(text in errors for text in expected)


def test_the_companies_search_in_both_languages(client, visit):
    for language in LANGUAGES:
        found = read(client, "/adviser/companies?q=한빛", language)
        assert_one_language(found, language)
        assert "주식회사 한빛테크" in found
        none = read(client, "/adviser/companies?q=없는기업", language)
        assert_one_language(none, language)
        assert ("찾는 기업이 없습니다." if language == "ko" else "No company matches.") in none


def test_a_refusal_in_the_readers_language(client, auth, staff, visit):
    """Too early to check in, or to mark a no-show: the page says so in its language."""
    with time_machine.travel(visit["start"] - timedelta(days=1), tick=False):
        auth.login(staff["adviser_a"])
        agenda = read(client, "/adviser/", "en")
        page = client.post(f"/adviser/appointments/{visit['id']}/check-in", data={
            "csrf_token": token_of(agenda)}, follow_redirects=True).get_data(as_text=True)
        assert "This can be done from the appointment&#39;s day on." in page
        assert_one_language(page, "en")
        client.get("/?lang=ko")
        page = client.post(f"/adviser/appointments/{visit['id']}/no-show", data={
            "csrf_token": token_of(agenda)}, follow_redirects=True).get_data(as_text=True)
        assert "시작 시각 이후에 불참 처리할 수 있습니다." in page
        assert_one_language(page, "ko")
