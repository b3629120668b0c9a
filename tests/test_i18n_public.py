"""The applicant's path in one language at a time: the pre-screen, its result and the booking
pages, rendered with real data in Korean and in English."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.types import local_today
from app.zones.availability import free_slots
from tests.language_helpers import english_words, hangul, html_lang, visible_text
from tests.test_booking_api import make_intake, pick, shared_day
from tests.test_booking_pages import csrf
from tests.test_confirm_pages import offered, reminded
from tests.test_intake_pages import csrf_token, form_data
from tests.test_waitlist import fill_day
from tests.test_waitlist import new_intake as waiting_intake

LANGUAGES = ("ko", "en")


def read(client, path: str, language: str, status: int = 200) -> str:
    response = client.get(f"{path}{'&' if '?' in path else '?'}lang={language}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def assert_one_language(html: str, language: str) -> None:
    """An English page holds no Hangul outside names and data; a Korean one no English word
    (acronyms such as KODIT or PRE-BI are the same in both)."""
    assert html_lang(html) == language
    if language == "en":
        assert hangul(html) == []
    else:
        assert english_words(html) == []
    assert len(visible_text(html)) > 10


def pre_screen(client, intake_payload, **overrides) -> str:
    """A pre-screen whose result holds every kind of reason: a ticked need, phrases of the
    description and the institution that fits; returns its token."""
    body = {**intake_payload, "founded_on": (date.today() - timedelta(days=400)).isoformat(),
            "needs": ["policy_fund_consult", "contract_review"],
            "description": "기술보증을 받고 싶고 특허 출원도 준비하고 있습니다.", **overrides}
    response = client.post("/api/v1/intakes", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["intake"]["token"]


# ---------------------------------------------------------------- the pre-screen

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pre_screen_form_speaks_one_language(client, language):
    page = read(client, "/intake/", language)
    assert_one_language(page, language)
    assert ("사전문진" in page) == (language == "ko")
    assert ("Pre-screen" in page) == (language == "en")


@pytest.mark.parametrize(("language", "required", "check_digit", "consent"), [
    ("ko", "이 항목은 필수입니다.", "검증번호가 맞지 않습니다",
     "개인정보 수집·이용에 동의해야 상담을 신청할 수 있습니다."),
    ("en", "This field is required.", "The check digit does not match",
     "Consent to the use of personal information is required to apply."),
])
def test_the_pre_screens_errors_come_in_the_pages_language(client, language, required,
                                                           check_digit, consent):
    """WTForms' own messages from its catalogue, ours from translations/."""
    client.get(f"/?lang={language}")
    data = form_data(company_name="", business_number="124-81-00997",
                     consent_personal_info=None)
    response = client.post("/intake/", data={**data, "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert required in page and check_digit in page and consent in page
    assert_one_language(page, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_result_speaks_one_language(client, intake_payload, language):
    token = pre_screen(client, intake_payload)
    page = read(client, f"/intake/{token}", language)
    assert_one_language(page, language)
    reasons = re.findall(r"<li>(.*?)</li>", page.split('class="ons-reasons"', 1)[1])
    if language == "ko":
        assert "창업 3년 미만 (BI)" in page and "금융존" in page
        assert "선택한 항목 ‘정책자금 상담’ → 금융존" in page
        assert '‘<span translate="no">기술보증</span>’ 표현이 금융존에 해당합니다' in page
        assert "기술보증기금이 적합합니다" in page
    else:
        assert "Under 3 years since founding (BI)" in page and "Finance zone" in page
        assert "Selected need ‘Policy-fund consultation’ → Finance zone" in page
        assert '‘<span translate="no">기술보증</span>’ matched the finance zone' in page
        assert "KIBO fits" in page
    assert reasons
    # The firm's name is its own, whatever the language.
    assert '<span translate="no">주식회사 한빛테크</span>' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_result_with_no_zone_speaks_one_language(client, intake_payload, language):
    token = pre_screen(client, intake_payload, needs=[], description="안녕하세요.",
                       founded_on=None, business_number=None)
    page = read(client, f"/intake/{token}", language)
    assert_one_language(page, language)
    assert 'class="ons-zone-results"' not in page


def test_the_api_gives_the_reasons_in_the_accept_language_language(client, intake_payload):
    token = pre_screen(client, intake_payload)

    def reasons(language: str) -> list[str]:
        answer = client.get(f"/api/v1/intakes/{token}", headers={"Accept-Language": language})
        return [reason for zone in answer.get_json()["intake"]["recommended_zones"]
                for reason in zone["reasons"]]

    korean, english = reasons("ko"), reasons("en")
    assert len(korean) == len(english) > 2
    assert "선택한 항목 ‘정책자금 상담’ → 금융존" in korean
    assert "기술보증기금이 적합합니다" in korean
    assert "Selected need ‘Policy-fund consultation’ → Finance zone" in english
    assert "KIBO fits" in english
    assert not any("translate" in reason for reason in korean + english)  # text, not markup


# ---------------------------------------------------------------- booking

def assert_booking_page(html: str, language: str) -> None:
    """A booking page in one language: the calendar file's extension (.ics) is no word."""
    assert html_lang(html) == language
    if language == "en":
        assert hangul(html) == []
    else:
        assert english_words(html, allowed=("ics",)) == []
    assert len(visible_text(html)) > 10


def two_zone_visit(app, client, intake_payload) -> tuple[str, str, str]:
    """A legal and a finance consultation booked back to back; (booking token, intake token,
    day)."""
    intake = make_intake(client, intake_payload)
    day = shared_day(client, app)
    legal = day["legal"][0]
    finance = next(s for s in day["finance"] if s["start"] >= legal["end"])
    response = client.post("/api/v1/bookings", json={
        "intake_token": intake, "appointments": [pick(legal), pick(finance)]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["booking"]["token"], intake, legal["start"][:10]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_booking_picker_speaks_one_language(app, client, intake_payload, language):
    token = make_intake(client, intake_payload)
    assert_booking_page(read(client, f"/booking/new/{token}", language), language)
    day = shared_day(client, app)["legal"][0]["start"][:10]
    page = read(client, f"/booking/new/{token}?zones=legal&zones=finance&day={day}", language)
    assert_booking_page(page, language)
    assert "ons-plan" in page and 'name="slot_finance"' in page
    # Each slot names its institution in the page's language.
    assert ("신용보증기금" in page or "기술보증기금" in page or "한국산업은행" in page
            or "IBK기업은행" in page) == (language == "ko")
    assert any(f"· {short}<" in page for short in ("KODIT", "KIBO", "KDB", "IBK")) == (
        language == "en")


@pytest.mark.parametrize(("language", "booked"), [
    ("ko", "예약되었습니다. 이 페이지의 주소를 보관해 주세요."),
    ("en", "Booked. Keep this page's address: it is your private link."),
])
def test_booking_from_the_page_says_so_in_its_language(app, client, intake_payload, language,
                                                      booked):
    token = make_intake(client, intake_payload)
    legal = shared_day(client, app, ("legal",))["legal"][0]
    page = read(client, f"/booking/new/{token}?zones=legal&day={legal['start'][:10]}", language)
    response = client.post(f"/booking/new/{token}", follow_redirects=True, data={
        "csrf_token": csrf(page), "zones": "legal", "day": legal["start"][:10],
        "slot_legal": f"{legal['adviser_id']}|{legal['start']}"})
    manage = response.get_data(as_text=True)
    assert booked in unescape(manage)
    assert_booking_page(manage, language)
    # The same time again is taken, and the page says so in its language.
    again = client.post(f"/booking/new/{make_intake(client, intake_payload, email='b@x.kr')}",
                        data={"csrf_token": csrf(page), "zones": "legal",
                              "day": legal["start"][:10],
                              "slot_legal": f"{legal['adviser_id']}|{legal['start']}"})
    assert again.status_code == 409
    taken = again.get_data(as_text=True)
    assert ("방금 다른 분이 예약한 시간입니다" in taken) == (language == "ko")
    assert ("That time was just taken" in taken) == (language == "en")
    assert_booking_page(taken, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_private_booking_page_speaks_one_language(app, client, intake_payload, language):
    token, _intake, _day = two_zone_visit(app, client, intake_payload)
    page = read(client, f"/booking/{token}", language)
    assert_booking_page(page, language)
    assert page.count("ons-itinerary-item") == 2
    assert (("준비물" in page) == (language == "ko")
            and ("what to bring" in page) == (language == "en"))
    assert_booking_page(read(client, f"/booking/{token}/reschedule", language), language)
    asking = read(client, f"/booking/{token}/cancel", language)
    assert_booking_page(asking, language)
    client.post(f"/booking/{token}/cancel", data={
        "csrf_token": csrf(asking), "reason": "사정이 생겼습니다", "confirm": "yes"})
    cancelled = read(client, f"/booking/{token}", language)
    assert_booking_page(cancelled, language)
    assert ("취소된 예약" in cancelled) == (language == "ko")
    assert ("Cancelled booking" in cancelled) == (language == "en")
    assert '<span translate="no">사정이 생겼습니다</span>' in cancelled
    # The flash said so too, in the language the page was in when the cancel was posted.
    assert ("예약을 취소했습니다." in cancelled) == (language == "ko")
    assert ("Your booking is cancelled." in cancelled) == (language == "en")


@pytest.mark.parametrize("stored", ["adviser_schedule",
                                    "상담위원 일정 변경 / The adviser's schedule changed"])
def test_a_reason_onestop_stored_reads_in_the_pages_language(app, client, intake_payload,
                                                             stored):
    """A visit cancelled by a change of the adviser's hours keeps a reason code (or, cancelled
    before the pages spoke one language, a two-language sentence): each page shows its half."""
    from app.booking.models import Booking
    from app.extensions import db

    token, _intake, _day = two_zone_visit(app, client, intake_payload)
    page = read(client, f"/booking/{token}/cancel", "ko")
    client.post(f"/booking/{token}/cancel", data={"csrf_token": csrf(page), "confirm": "yes"})
    with app.app_context():
        db.session.scalar(select(Booking)).cancel_reason = stored
        db.session.commit()
    korean, english = (read(client, f"/booking/{token}", language) for language in LANGUAGES)
    assert "사유: 상담위원 일정 변경</p>" in korean
    assert "Reason: The adviser&#39;s schedule changed</p>" in english
    assert_booking_page(korean, "ko")
    assert_booking_page(english, "en")


@pytest.mark.parametrize(("language", "joined"), [
    ("ko", "대기 명단에 올렸습니다."), ("en", "You are on the waitlist;")])
def test_a_full_day_offers_the_waitlist_in_one_language(app, client, language, joined):
    with app.app_context():
        day = next(d for d in (local_today() + timedelta(days=k) for k in range(2, 14))
                   if free_slots("legal", d, d))
        fill_day("legal", day)
        intake = waiting_intake(1)
    path = f"/booking/new/{intake}?zones=legal&day={day.isoformat()}"
    page = read(client, path, language)
    assert "ons-full" in page
    assert_booking_page(page, language)
    response = client.post(f"/booking/new/{intake}/waitlist", follow_redirects=True, data={
        "csrf_token": csrf(page), "zone": "legal", "day": day.isoformat(), "zones": "legal"})
    after = response.get_data(as_text=True)
    assert joined in after
    assert_booking_page(after, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_still_coming_page_speaks_one_language(app, client, language):
    _booking_id, path = reminded(app)
    page = read(client, path, language)
    assert_booking_page(page, language)
    client.post(path, data={"csrf_token": csrf(page), "answer": "confirm"})
    confirmed = read(client, path, language)
    assert_booking_page(confirmed, language)
    assert ("참석을 확인하셨습니다" in confirmed) == (language == "ko")
    assert ("you confirmed that you will come" in confirmed) == (language == "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_waitlist_offer_pages_speak_one_language(app, client, language):
    path, _entry = offered(app)
    page = read(client, path, language)
    assert_booking_page(page, language)
    assert ("자리가 났습니다" in page) == (language == "ko")
    assert ("A slot has opened for you" in page) == (language == "en")
    closed = read(client, "/booking/offer/not-a-token", language, status=410)
    assert_booking_page(closed, language)
