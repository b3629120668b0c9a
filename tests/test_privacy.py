"""The privacy policy (/privacy): linked from every page, in one language at a time, its
retention periods those the settings make the purge apply, its officer the centre's."""

import re

import pytest
from sqlalchemy import select

from app.centres.models import Centre
from app.extensions import db
from app.main.privacy import days_text
from app.zones.models import Institution
from tests.language_helpers import english_words, hangul, visible_text


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(visible_text(response.get_data(as_text=True)))


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_policy_speaks_one_language(client, language):
    html = client.get(f"/privacy?lang={language}").get_data(as_text=True)
    assert f'<html lang="{language}"' in html
    assert (hangul(html) if language == "en" else english_words(html, allowed=("API",))) == []


def test_the_policy_names_purpose_items_retention_rights_security_officer_and_date(client):
    page = text_of(client, "/privacy?lang=ko")
    for heading in ("처리 목적", "개인정보 항목", "보유 기간", "제3자", "정보주체의 권리",
                    "안전성 확보 조치", "개인정보 보호책임자", "시행일"):
        assert heading in page
    for item in ("기업명", "사업자등록번호", "대표자", "담당자", "이메일", "연락처", "설립일",
                 "업종", "종업원 수", "지역", "필요 항목", "상담 내용 설명", "직원 계정",
                 "감사 기록"):
        assert item in page, item
    assert "제3자에게 제공하지 않습니다" in page
    assert "열람, 정정·삭제, 처리정지" in page and "개인 링크" in page
    assert "2026년 12월 3일" in page  # PRIVACY_POLICY_EFFECTIVE


def test_the_retention_periods_are_the_settings(make_app):
    app = make_app(INTAKE_RETENTION_DAYS=730, OUTBOX_KEEP_DAYS=90, IMPORT_RETENTION_DAYS=400)
    page = text_of(app.test_client(), "/privacy?lang=en")
    assert "2 years (730 days) from the pre-screen" in page
    assert "90 days from sending" in page
    assert "400 days from the consultation day" in page
    assert "15 minutes after the last failure" in page  # the sign-in lockout's
    korean = text_of(app.test_client(), "/privacy?lang=ko")
    assert "사전문진 제출일부터 2년 (730일)" in korean and "보낸 날부터 90일" in korean


def test_the_default_periods_are_stated_with_their_values(app, client):
    page = text_of(client, "/privacy?lang=en")
    assert app.config["INTAKE_RETENTION_DAYS"] == 1095
    assert "3 years (1,095 days) from the pre-screen" in page
    assert f"{app.config['OUTBOX_KEEP_DAYS']} days from sending" in page


@pytest.mark.parametrize(("days", "text"), [
    (365, "1 year (365 days)"), (1095, "3 years (1,095 days)"), (1, "1 day"), (180, "180 days"),
    (366, "366 days")])
def test_days_are_said_in_years_when_whole(app, days, text):
    with app.test_request_context("/?lang=en"):
        assert days_text(days) == text


def test_the_advisers_institutions_are_listed_and_no_third_party_gets_anything(app, client):
    with app.app_context():
        names = list(db.session.scalars(select(Institution.name_en).where(Institution.active)))
        db.session.scalar(select(Institution).where(Institution.code == "kdb")).active = False
        db.session.commit()
    assert len(names) == 6
    page = text_of(client, "/privacy?lang=en")
    assert "We provide your personal information to no third party." in page
    html = client.get("/privacy?lang=en").get_data(as_text=True)
    listed = re.findall(r'<li translate="no">([^<]+)</li>', html)
    kdb = one_name(app, "kdb")
    assert sorted(listed) == sorted(name for name in names if name != kdb)


def one_name(app, code: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Institution.name_en).where(Institution.code == code))


def test_the_officer_and_the_phone_come_from_the_centre(app, client):
    with app.app_context():
        centre = db.session.scalar(select(Centre))
        centre.privacy_officer, centre.privacy_phone = "이보호", ""
        centre.privacy_email, centre.phone = "dpo@centre.example", "1588-0000"
        db.session.commit()
    html = client.get("/privacy?lang=ko").get_data(as_text=True)
    officer = html[html.index('id="officer-heading"'):]
    assert '<dd translate="no">이보호</dd>' in officer
    assert 'href="tel:15880000"' in officer  # no phone of their own: the centre's
    assert 'href="mailto:dpo@centre.example"' in officer
    rights = html[html.index('id="rights-heading"'):html.index('id="security-heading"')]
    assert 'href="tel:15880000"' in rights


def test_the_footer_and_the_consent_notice_link_the_policy(client):
    for path in ("/", "/intake/", "/auth/login"):
        html = client.get(path).get_data(as_text=True)
        assert len(re.findall(r'href="/privacy"', html)) >= 1, path
    notice = client.get("/intake/").get_data(as_text=True).split('id="consent-notice"')[1]
    assert 'href="/privacy"' in notice.split("</div>")[0]


def test_the_policy_marks_itself_current_in_the_footer(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert 'href="/privacy" aria-current="page"' in html
