"""The booking page's month calendar and the institution the pre-screen recommended: a firm
sent to KIBO takes the first suggestion and meets KIBO, also after a reschedule."""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from app.booking.models import Booking
from app.booking.services import get_booking
from app.extensions import db
from app.types import local_today
from app.zones.models import Adviser, Institution
from tests.test_booking_api import make_intake
from tests.test_booking_pages import csrf
from tests.test_waitlist import fill_day

TECH_GUARANTEE = {"needs": ["tech_guarantee"], "description": "기술보증 상담이 필요합니다."}


def institution_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Institution.id).where(Institution.code == code))


def kibo_intake(client, intake_payload, **overrides) -> str:
    return make_intake(client, intake_payload, **{**TECH_GUARANTEE, **overrides})


def first_plan(page: str) -> list[tuple[str, str]]:
    """The fields of the page's first proposed plan, as a form would post them."""
    plan = re.search(r'<form method="post" action="[^"]+" class="ons-card ons-plan">(.*?)</form>',
                     page, re.S).group(1)
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)"', plan)


def adviser_institution(app, fields) -> str:
    adviser_id = int(dict(fields)["slot_finance"].partition("|")[0])
    with app.app_context():
        return db.session.get(Adviser, adviser_id).institution.code


def post(client, url: str, fields) -> object:
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(url, data=data)


def test_a_firm_sent_to_kibo_books_kibo_by_taking_the_first_suggestion(app, client,
                                                                       intake_payload):
    token = kibo_intake(client, intake_payload)
    page = client.get(f"/booking/new/{token}").get_data(as_text=True)
    assert "사전문진에서 추천한 기관" in page and "기술보증기금 상담일" in page
    fields = first_plan(page)
    assert adviser_institution(app, fields) == "kibo"
    response = post(client, f"/booking/new/{token}", [("csrf_token", csrf(page)), *fields])
    assert response.status_code == 303
    booking_token = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        booking = get_booking(booking_token)
        assert [a.institution.code for a in booking.appointments] == ["kibo"]


def test_a_reschedule_keeps_the_institution_it_was_booked_with(app, client, intake_payload):
    """The old page offered the first day with any finance adviser: a KIBO visit moved to IBK."""
    token = kibo_intake(client, intake_payload)
    page = client.get(f"/booking/new/{token}").get_data(as_text=True)
    booked = post(client, f"/booking/new/{token}", [("csrf_token", csrf(page)),
                                                   *first_plan(page)])
    booking_token = booked.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        old_start = get_booking(booking_token).appointments[0].starts_at
    url = f"/booking/{booking_token}/reschedule"
    # Any other finance day: the one the calendar marks, and the plan it proposes first.
    later = (old_start + timedelta(days=1)).date()
    page = client.get(url).get_data(as_text=True)
    assert "예약 중인 기관" in page or "현재 예약" in page
    assert "기술보증기금" in page  # the current booking is shown, with its institution
    days = re.findall(r'href="[^"]*day=(\d{4}-\d{2}-\d{2})[^"]*" '
                      r'data-picker-link data-day>\s*<span class="sr-only ons-cal-label">'
                      r'[^<]*기술보증기금 상담일', page)
    assert days
    next_kibo = next((d for d in days if d >= later.isoformat()), days[0])
    page = client.get(url, query_string={"day": next_kibo}).get_data(as_text=True)
    fields = first_plan(page)
    assert adviser_institution(app, fields) == "kibo"
    response = post(client, url, [("csrf_token", csrf(page)), *fields])
    assert response.status_code == 303
    with app.app_context():
        live = [a for a in get_booking(booking_token).appointments if a.is_live]
        assert [a.institution.code for a in live] == ["kibo"]


def test_the_firm_can_choose_another_institution_or_any(app, client, intake_payload):
    token = kibo_intake(client, intake_payload)
    ibk = institution_id(app, "ibk")
    page = client.get(f"/booking/new/{token}",
                      query_string={"institution_finance": ibk}).get_data(as_text=True)
    assert adviser_institution(app, first_plan(page)) == "ibk"
    assert "직접 고른 기관" in page and "IBK기업은행 상담일" in page
    assert re.search(rf'<option value="{ibk}" selected>', page)
    page = client.get(f"/booking/new/{token}",
                      query_string={"institution_finance": "any"}).get_data(as_text=True)
    assert re.search(r'<option value="any" selected>', page)
    other_day = client.get(f"/booking/new/{token}", query_string={
        "institution_finance": ibk, "day": re.search(
            r'day=(\d{4}-\d{2}-\d{2})[^"]*"[^>]*>\s*<span class="sr-only ons-cal-label">'
            r'[^<]*(월|화|수|금)요일, 금융존 가능<', page).group(1)}).get_data(as_text=True)
    assert "이날은 IBK기업은행 상담 시간이 없습니다" in other_day  # a day IBK is not on duty
    assert "상담일</span>" not in page  # no institution is preferred, no day is marked


def test_each_day_is_a_link_named_by_its_full_date_and_what_is_free(app, client,
                                                                    intake_payload):
    token = make_intake(client, intake_payload)  # legal and patent recommended
    page = client.get(f"/booking/new/{token}", query_string={"lang": "en"}).get_data(as_text=True)
    labels = re.findall(r'class="btn-set-date" href="[^"]+".*?<span class="sr-only ons-cal-label">'
                        r'([^<]+)</span>', page, re.S)
    assert labels
    assert any(re.fullmatch(r"\w+day, \w+ \d{1,2}, 20\d\d, Legal zone·Patent zone free", label)
               for label in labels), labels[:5]
    assert "Show free times" not in page
    korean = client.get(f"/booking/new/{token}", query_string={"lang": "ko"})
    labels = re.findall(r'ons-cal-label">(20\d\d년 [^<]+)<', korean.get_data(as_text=True))
    assert any(re.search(r"\d+월 \d+일 .요일, 법률존·특허존 가능$", label) for label in labels)


def test_days_free_in_every_zone_are_marked_strongest(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    page = client.get(f"/booking/new/{token}").get_data(as_text=True)
    cells = re.findall(r'<td class="ons-cal-day is-(\w+)[^"]*">\s*<a class="btn-set-date" '
                       r'href="[^"]+"[^>]*>\s*<span class="sr-only ons-cal-label">([^<]+)<', page)
    states = {state for state, _label in cells}
    assert {"all", "some"} <= states
    for state, label in cells:
        if state == "all":
            assert "법률존·특허존 가능" in label
        if state == "some":
            assert "법률존·특허존" not in label


def test_a_full_day_leads_to_the_waitlist_and_tells_the_place(app, client, intake_payload):
    with app.app_context():
        day = next(d for d in (local_today() + timedelta(days=k) for k in range(3, 20))
                   if d.weekday() == 1)
        fill_day("patent", day)
    token = make_intake(client, intake_payload, needs=[], description="특허 출원 상담")
    page = client.get(f"/booking/new/{token}",
                      query_string={"zones": "patent"}).get_data(as_text=True)
    link = re.search(rf'href="([^"]*day={day.isoformat()}[^"]*)"[^>]*>\s*'
                     r'<span class="sr-only ons-cal-label">([^<]+)<', page)
    assert link and link.group(2).endswith("마감 · 대기 신청")
    day_page = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "대기 신청" in day_page
    form = re.search(r'<form method="post" action="([^"]+/waitlist)">(.*?)</form>', day_page,
                     re.S)
    fields = re.findall(r'name="([^"]+)" value="([^"]+)"', form.group(2))
    other = make_intake(client, intake_payload, needs=[], description="특허 출원 상담",
                        email="first@example.com")
    assert client.post("/api/v1/waitlist", json={
        "intake_token": other, "zone": "patent", "date": day.isoformat()}).status_code == 201
    response = post(client, form.group(1), fields)
    assert response.status_code == 303 and response.headers["Location"].endswith("#times")
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "대기 순번 2번" in shown
    assert "이 대기 명단에 올라 있습니다" in shown and 'action="/booking/new/' not in shown.split(
        'id="times"')[1].split("</section>")[0]  # no second join button, the place instead


def test_the_manual_pick_names_the_overlap_and_keeps_the_choices(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    page = client.get(f"/booking/new/{token}").get_data(as_text=True)
    day = re.search(r'name="day" value="([^"]+)"', page).group(1)
    legal = re.findall(r'name="slot_legal" id="[^"]+" value="([^"]+)"', page)
    patent = re.findall(r'name="slot_patent" id="[^"]+" value="([^"]+)"', page)
    same = next((lv, pv) for lv in legal for pv in patent
                if lv.partition("|")[2] == pv.partition("|")[2])
    response = client.post(f"/booking/new/{token}", data={
        "csrf_token": csrf(page), "day": day, "zones": ["legal", "patent"],
        "slot_legal": same[0], "slot_patent": same[1]})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert re.search(r"(법률|특허)존 상담\(\d\d:\d\d–\d\d:\d\d\)과 "
                     r"(법률|특허)존 상담\(\d\d:\d\d\)이 겹칩니다", text)
    assert re.search(rf'value="{re.escape(same[0])}" required checked', text)
    assert re.search(rf'value="{re.escape(same[1])}" required checked', text)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Booking)) == 0


def test_a_firm_with_an_open_booking_is_told_of_it(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    page = client.get(f"/booking/new/{token}").get_data(as_text=True)
    assert "이미 예약한 방문" not in page
    post(client, f"/booking/new/{token}", [("csrf_token", csrf(page)), *first_plan(page)])
    again = client.get(f"/booking/new/{token}").get_data(as_text=True)
    assert "이미 예약한 방문" in again and "contact@hanbit.example" in again


def test_a_firm_with_a_partial_visit_is_offered_the_zones_it_lacks(app, client,
                                                                  intake_payload):
    token = make_intake(client, intake_payload)  # legal and patent recommended
    page = client.get(f"/booking/new/{token}", query_string={"zones": "legal"})
    page = page.get_data(as_text=True)
    post(client, f"/booking/new/{token}", [("csrf_token", csrf(page)), *first_plan(page)])
    again = client.get(f"/booking/new/{token}").get_data(as_text=True)
    assert re.search(r'id="zone-patent"[^>]*checked', again)
    assert not re.search(r'id="zone-legal"[^>]*checked', again)


def test_the_calendar_turns_to_the_next_month_and_back(app, client, intake_payload):
    token = make_intake(client, intake_payload)
    with app.app_context():
        today = local_today()
    # Ten days before a month's end, the four weeks shown run into the next month.
    later = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    travel = max((later - timedelta(days=10) - today).days, 0)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=travel), tick=False):
        page = client.get(f"/booking/new/{token}", query_string={"lang": "en"})
        page = page.get_data(as_text=True)
        assert '<a class="btn-cal-move prev"' not in page  # nothing before today
        following = re.search(r'<a class="btn-cal-move next" href="([^"]+)"', page).group(1)
        shown = client.get(following.replace("&amp;", "&")).get_data(as_text=True)
    assert f'id="month-title">{later:%B %Y}</h3>' in shown
    assert '<a class="btn-cal-move prev"' in shown
    assert '<a class="btn-cal-move next"' not in shown  # beyond the four weeks shown


def test_a_day_the_minimum_notice_closed_is_not_offered_a_waitlist(app):
    """A held day whose remaining times are inside the zone's notice is no full day: no slot
    of it could ever be offered to a waiting firm."""
    from app.booking.planner import FULL, day_plan
    from app.zones.availability import free_slots

    with app.app_context():
        day = next(d for d in (local_today() + timedelta(days=k) for k in range(3, 20))
                   if free_slots("legal", d, d))
        fill_day("legal", day)
        assert day_plan(["legal"], None).calendar[day].state == FULL
    morning = datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(hours=9)
    with time_machine.travel(morning + timedelta(hours=8), tick=False), app.app_context():
        assert day_plan(["legal"], None).calendar[day].state != FULL
