"""The applicant's path in one language at a time: the pre-screen, its result and the booking
pages, rendered with real data in Korean and in English."""

import re
from datetime import date, timedelta

import pytest

from tests.language_helpers import english_words, hangul, html_lang, visible_text
from tests.test_intake_pages import csrf_token, form_data

LANGUAGES = ("ko", "en")


def read(client, path: str, language: str, status: int = 200) -> str:
    response = client.get(path, query_string={"lang": language})
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
