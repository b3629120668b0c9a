"""E-mails in one language: a firm's in the language of its pre-screen (calendar files too),
staff's in Korean, whatever the language of the request or job that writes or renders them."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.booking.models import Booking
from app.booking.notifications import notify_reassigned, notify_reminder
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.outbox import enqueue, render_message, render_stored, subject_of
from tests.language_helpers import HANGUL, english_words, hangul, html_lang
from tests.test_booking_api import make_intake, pick, shared_day

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 12, 4, 10, tzinfo=SEOUL)
# Names and data as people typed them, in Korean on purpose: an English mail still shows them.
DATA = ("주식회사 한빛테크", "김담당", "박금융", "이대리", "출장이 잡혔습니다", "관리자",
        "경상남도 창원시 의창구 창원대로18번길 22")
APPOINTMENT = {"id": 7, "start": START, "end": START + timedelta(hours=1),
               "zone": "금융존", "zone_en": "Finance zone", "adviser": "박금융",
               "institution": "신용보증기금", "institution_en": "KODIT",
               "bring": "사업자등록증", "bring_en": "Business registration certificate"}
VISIT = {"company": "주식회사 한빛테크", "contact": "김담당", "visit_date": START.date(),
         "appointments": [APPOINTMENT]}
URL = "http://127.0.0.1:5000/booking/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdef"
# What each template is given (app/booking/notifications.py, app/visits/jobs.py,
# app/admin/weekly.py), with every optional part present.
CONTEXTS = {
    "booked": {**VISIT, "manage_url": URL, "calendar_url": URL + "/calendar.ics"},
    "cancelled": {**VISIT, "reason": "출장이 잡혔습니다", "whole_visit": True,
                  "restart_url": URL},
    "cancelled_part": {**VISIT, "reason": "", "whole_visit": False, "restart_url": URL},
    # A reason Onestop stored: a code, or the two-language sentence of an older booking.
    "cancelled_by_centre": {**VISIT, "reason": "adviser_schedule", "whole_visit": True,
                            "restart_url": URL},
    "cancelled_before": {**VISIT, "reason": "상담위원 일정 변경 / The adviser's schedule changed",
                         "whole_visit": True, "restart_url": URL},
    "changed": {**VISIT, "old": [{**APPOINTMENT, "start": START - timedelta(days=1)}],
                "manage_url": URL, "calendar_url": URL},
    "reassigned": {**VISIT, "old_adviser": "이대리", "old_institution": "신용보증기금",
                   "old_institution_en": "KODIT"},
    "reminder": {**VISIT, "confirm_url": URL},
    "offer": {"company": "주식회사 한빛테크", "contact": "김담당", "zone": "금융존",
              "zone_en": "Finance zone", "adviser": "박금융", "start": START,
              "end": START + timedelta(hours=1), "expires": START - timedelta(hours=20),
              "offer_url": URL},
    "agenda": {"adviser": "박금융", "day": START.date(), "agenda_url": URL, "items": [
        {"start": START, "end": START + timedelta(hours=1), "zone": "금융존",
         "zone_en": "Finance zone", "company": "주식회사 한빛테크", "stage": "post_bi",
         "needs": ["정책자금 상담"], "needs_en": ["Policy fund advice"]}]},
    "weekly": {"week_start": date(2026, 11, 23), "week_end": date(2026, 11, 29),
               "counts": {"intakes": 12, "bookings": 9, "appointments": 1234, "completed": 7,
                          "no_show": 1, "cancelled": 2},
               "zones": [{"name": "금융존", "name_en": "Finance zone", "completed": 4}],
               "outbox": {"failed": 1, "dead": 2}, "name": "관리자", "admin_url": URL},
}


def template_of(kind: str) -> str:
    return kind.partition("_")[0]


def text_hangul(text: str, data: tuple[str, ...] = ()) -> list[str]:
    """The lines of a text mail that hold Hangul once names and data are taken out."""
    for value in (*DATA, *data):
        text = text.replace(value, "")
    return [line for line in text.splitlines() if HANGUL.search(line)]


def text_english(text: str) -> list[str]:
    """The lines of a text mail that hold an English word, links and `.ics` aside."""
    return english_words(re.sub(r"https?://\S+", "", text).replace(".ics", ""))


def assert_one_language(subject: str, text: str, html: str, language: str,
                        data: tuple[str, ...] = ()) -> None:
    """The text part has no markup, so its names and data (`DATA`, `data`) are taken out
    before it is read; the HTML part marks them translate="no"."""
    assert html_lang(html) == language
    if language == "en":
        assert not HANGUL.search(subject), subject
        assert text_hangul(text, data) == []
        assert hangul(html) == []
    else:
        assert HANGUL.search(subject) and text_english(subject) == [], subject
        assert text_english(text) == []
        assert english_words(html, allowed=("ics",)) == []


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("kind", sorted(CONTEXTS))
def test_every_message_speaks_one_language(app, kind, language):
    other = "en" if language == "ko" else "ko"
    with app.test_request_context(f"/?lang={other}"):  # the request's language changes nothing
        subject, text, html = render_message(template_of(kind), CONTEXTS[kind], language)
    assert_one_language(subject, text, html, language)
    for value in ("주식회사 한빛테크", "박금융") if kind != "weekly" else ("관리자",):
        assert value in text and value in html  # names and data stay as typed


def test_an_english_mail_reads_in_english_with_english_dates_and_names(app):
    with app.app_context():
        subject, text, html = render_message("booked", CONTEXTS["booked"], "en")
    assert subject == "[Onestop] Your visit is booked: Fri 4 Dec 2026"
    assert text.startswith("Dear 김담당,\nThe one-stop consultation visit of 주식회사 한빛테크")
    assert "Date: Fri 4 Dec 2026" in text and "- 10:00–11:00  Finance zone · 박금융 (KODIT)" in text
    # The centre's English address where it keeps one (the demo centre does).
    assert ("Where: Gyeongnam Center for Creative Economy & Innovation, 22 Changwon-daero "
            "18beon-gil") in text
    assert "- Finance zone: Business registration certificate" in text
    assert '<span translate="no">김담당</span>' in html and f'href="{URL}"' in html


def test_a_korean_mail_keeps_the_reviewed_korean_wording(app):
    with app.app_context():
        subject, text, _html = render_message("booked", CONTEXTS["booked"], "ko")
        part, part_text, _ = render_message("cancelled", CONTEXTS["cancelled_part"], "ko")
        weekly, counts, _ = render_message("weekly", CONTEXTS["weekly"], "ko")
    assert subject == "[원스톱 상담] 방문 예약 확정 2026년 12월 4일 (금)"
    assert text.startswith("김담당님, 안녕하세요.\n주식회사 한빛테크의 원스톱 상담 방문 예약이")
    assert "방문일: 2026년 12월 4일 (금)" in text and "장소: 경남창조경제혁신센터, 경상남도" in text
    assert "- 금융존: 사업자등록증" in text and "발신 전용 메일입니다." in text
    assert part == "[원스톱 상담] 예약 취소 2026년 12월 4일 (금)"
    assert "방문 상담 중 다음 상담이 취소되었습니다." in part_text
    assert "상담 예정이던 건: 1,234건" in counts and "- 금융존: 4건" in counts
    assert weekly == "[원스톱 상담] 주간 요약 2026년 11월 23일 (월)–2026년 11월 29일 (일)"


def test_staff_mails_are_korean_even_when_an_english_request_renders_them(app):
    english = {"Accept-Language": "en"}
    with app.test_request_context("/?lang=en", headers=english):
        enqueue("test:agenda", "adviser@example.com", "agenda", CONTEXTS["agenda"])
        enqueue("test:weekly", "admin@example.com", "weekly", CONTEXTS["weekly"])
        db.session.commit()
        for row in db.session.scalars(select(OutboxMessage)):
            said = render_stored(row)
            assert_one_language(said.subject, said.text, said.html, "ko")
            assert subject_of(row) == said.subject


# ---------------------------------------------------------------- end to end, with the API

def booked_in(client, app, intake_payload, language: str, **headers) -> tuple[str, str]:
    """A two-zone visit of a pre-screen made in `language`; (intake token, booking token)."""
    token = make_intake(client, {**intake_payload, "language": language})
    day = shared_day(client, app)
    legal = day["legal"][0]
    finance = next(s for s in day["finance"] if s["start"] >= legal["end"])
    response = client.post("/api/v1/bookings", headers=headers, json={
        "intake_token": token, "appointments": [pick(legal), pick(finance)]})
    assert response.status_code == 201, response.get_json()
    return token, response.get_json()["booking"]["token"]


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def calendar_events(ics: str) -> list:
    return [c for calendar in Calendar.from_ical(ics, multiple=True)
            for c in calendar.walk() if c.name == "VEVENT"]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_firms_mails_follow_its_pre_screen_not_the_booking_request(
        app, client, intake_payload, language):
    other = {"Accept-Language": "en" if language == "ko" else "ko"}
    _, booking = booked_in(client, app, intake_payload, language, **other)
    day = shared_day(client, app)
    moved = client.post(f"/api/v1/bookings/{booking}/reschedule", headers=other, json={
        "appointments": [pick(day["legal"][-1])]})
    assert moved.status_code == 200, moved.get_json()
    assert client.post(f"/api/v1/bookings/{booking}/cancel", headers=other,
                       json={"reason": "출장이 잡혔습니다"}).status_code == 200
    with app.app_context():
        visit = db.session.scalar(select(Booking))
        notify_reminder(visit, "confirm-token", visit.appointments)
        notify_reassigned(visit.appointments[0], visit.appointments[1].adviser)
        db.session.commit()
        advisers = tuple(a.adviser.name for a in visit.appointments)
    messages = rows(app)
    assert [m.kind for m in messages] == ["booked", "changed", "cancelled", "reminder",
                                          "reassigned"]
    with app.test_request_context("/", headers=other):
        for message in messages:
            said = render_stored(message)
            assert_one_language(said.subject, said.text, said.html, language, advisers)


@pytest.mark.parametrize(("language", "summary", "bring", "centre"), [
    ("ko", "법률존 상담 · 경남창조경제혁신센터", "준비물: 관련 계약서",
     "경남창조경제혁신센터 · 경상남도"),
    ("en", "Legal zone consultation · Gyeongnam Center for Creative Economy & Innovation",
     "What to bring: Copies of the contracts",
     "Gyeongnam Center for Creative Economy & Innovation · 22 Changwon-daero"),
])
def test_the_calendar_file_speaks_the_pre_screens_language(
        app, client, intake_payload, language, summary, bring, centre):
    _, booking = booked_in(client, app, intake_payload, language)
    [message] = rows(app)
    with app.app_context():
        said = render_stored(message)
    legal, finance = calendar_events(said.ics)
    assert str(legal["SUMMARY"]) == summary
    assert bring in str(legal["DESCRIPTION"]) and str(legal["LOCATION"]).startswith(centre)
    assert re.fullmatch(r"appointment-\d+@onestop", str(legal["UID"]))
    assert legal["SEQUENCE"] == 0 and finance["SUMMARY"] != legal["SUMMARY"]
    if language == "en":
        assert not any(HANGUL.search(str(event[name])) for event in (legal, finance)
                       for name in ("SUMMARY",))
    # The file on the private page is the same entry in the same words, whatever the page's
    # language: importing it again changes nothing in the calendar.
    for page_language in ("ko", "en"):
        download = client.get(f"/booking/{booking}/calendar.ics?lang={page_language}")
        assert download.status_code == 200
        [first, second] = calendar_events(download.get_data(as_text=True))
        assert (str(first["UID"]), str(first["SUMMARY"]), str(first["DESCRIPTION"])) == (
            str(legal["UID"]), summary, str(legal["DESCRIPTION"]))


@pytest.mark.parametrize(("language", "reason"), [
    ("ko", "사유: 상담위원 일정 변경"), ("en", "Reason: The adviser's schedule changed")])
def test_a_visit_the_centre_cancels_gives_its_reason_in_the_pre_screens_language(
        app, client, intake_payload, language, reason):
    from app.auth.models import User
    from app.visits.schedule import add_exception

    token = make_intake(client, {**intake_payload, "language": language})
    slot = shared_day(client, app, ("legal",))["legal"][0]
    assert client.post("/api/v1/bookings", json={"intake_token": token, "appointments": [
        pick(slot)]}).status_code == 201
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        add_exception(admin, slot["adviser_id"], day=date.fromisoformat(slot["start"][:10]),
                      kind="off", stranded="cancel")
        assert db.session.scalar(select(Booking.cancel_reason)) == "adviser_schedule"
    cancelled = rows(app)[-1]
    assert cancelled.kind == "cancelled"
    other = {"Accept-Language": "en" if language == "ko" else "ko"}
    with app.test_request_context("/", headers=other):
        said = render_stored(cancelled)
    assert reason in said.text and reason.replace("'", "&#39;") in said.html
    assert_one_language(said.subject, said.text, said.html, language, (slot["adviser_name"],))


def test_the_advisers_agenda_names_each_firms_stage_from_the_catalogue(app):
    """The agenda keeps the stage's code; a row written before (names in both languages)
    still reads in Korean, the language of staff mail."""
    before = {**CONTEXTS["agenda"]["items"][0], "stage": "예비창업 (PRE-BI)",
              "stage_en": "Not yet founded (PRE-BI)"}
    with app.app_context():
        _subject, korean, html = render_message("agenda", CONTEXTS["agenda"], "ko")
        _subject, english, _html = render_message("agenda", CONTEXTS["agenda"], "en")
        _subject, old, _html = render_message(
            "agenda", {**CONTEXTS["agenda"], "items": [before]}, "ko")
    assert "주식회사 한빛테크 · 창업 3년 이상 7년 미만 (POST-BI)" in korean
    assert "주식회사 한빛테크</strong> · 창업 3년 이상 7년 미만 (POST-BI)" in html
    assert "주식회사 한빛테크 · 3 to under 7 years (POST-BI)" in english
    assert "주식회사 한빛테크 · 예비창업 (PRE-BI)" in old and "Not yet founded" not in old
