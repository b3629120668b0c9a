"""The pre-screen page: CSRF, errors named on the page, the result, headers."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.intake.models import Intake, Need
from app.zones.models import Zone


def csrf_token(client, path="/intake/") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def form_data(**overrides) -> dict:
    data = {
        "company_name": "주식회사 바다소프트",
        "founded_on": "2025-01-10",
        "business_number": "1248100998",
        "contact_name": "이담당",
        "email": "sea@example.com",
        "phone": "055 123 4567",
        "needs": ["contract_review"],
        "description": "",
        "consent_personal_info": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def count_intakes(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Intake))


def test_home_page_explains_the_service(client):
    page = client.get("/").get_data(as_text=True)
    for text in ("법률존", "금융존", "특허존", "사전문진", "/intake/"):
        assert text in page


def test_home_page_cards_are_the_centres_active_zones(app, client):
    with app.app_context():
        tax = Zone(code="tax", name="세무존", name_en="Tax zone", sort_order=9,
                   description="세무사가 상담합니다.", description_en="A tax accountant advises.")
        db.session.add(tax)
        db.session.add(Need(code="vat", zone=tax, label="부가가치세", label_en="VAT"))
        db.session.scalar(select(Zone).where(Zone.code == "patent")).active = False
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "세무존" in page and "세무사가 상담합니다." in page and "부가가치세" in page
    assert "특허존" not in page  # a closed zone is no card
    assert page.index("법률존") < page.index("금융존") < page.index("세무존")
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Tax zone" in english and "A tax accountant advises." in english
    assert "VAT" in english and "세무존" not in english


def test_a_zone_card_names_four_needs_and_counts_the_rest(client):
    page = client.get("/").get_data(as_text=True)
    legal = page[page.index("법률존"):page.index("금융존")]
    assert legal.count('class="tag"') == 4 and re.search(r"외 \d+개", legal)


def test_form_shows_the_notice_and_unticked_consent(client):
    response = client.get("/intake/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in ("수집·이용 목적", "수집 항목", "보유·이용 기간", "동의 거부 권리", "계약서 검토"):
        assert text in page
    consent = re.search(r'<input[^>]*name="consent_personal_info"[^>]*>', page).group(0)
    assert "checked" not in consent


def test_a_post_without_csrf_token_is_refused_and_stores_nothing(app, client):
    response = client.post("/intake/", data=form_data())
    assert response.status_code == 400
    assert "보안 토큰" in response.get_data(as_text=True)
    assert count_intakes(app) == 0


def test_a_post_with_csrf_token_shows_the_recommendation(app, client):
    response = client.post("/intake/", data={**form_data(), "csrf_token": csrf_token(client)})
    assert response.status_code == 303
    result = client.get(response.headers["Location"])
    assert result.status_code == 200
    page = result.get_data(as_text=True)
    assert "법률존" in page and "창업 3년 미만" in page
    assert count_intakes(app) == 1


def test_errors_are_named_on_the_page_and_linked(app, client):
    data = form_data(business_number="124-81-00997", consent_personal_info=None, phone="12")
    response = client.post("/intake/", data={**data, "csrf_token": csrf_token(client)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="error-summary"' in page
    assert 'href="#business_number"' in page and "검증번호" in page
    assert 'href="#consent_personal_info"' in page
    assert 'href="#phone"' in page
    assert 'aria-invalid="true"' in page
    assert "주식회사 바다소프트" in page  # what was typed stays
    assert count_intakes(app) == 0


def test_unknown_result_token_is_a_404_page(client):
    response = client.get("/intake/nope")
    assert response.status_code == 404
    assert "찾을 수 없습니다" in response.get_data(as_text=True)


def test_security_headers_on_every_page(client):
    for path in ("/", "/intake/", "/api/v1/zones", "/missing"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(client):
    response = client.get("/intake/")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_result_says_a_strength_word_and_few_reasons_with_the_button_on_top(
        client, intake_payload):
    """Plain results: no percentage, at most two reasons per zone, booking before the zones."""
    import re as _re

    description = ("특허 출원과 상표 등록, 기술 이전, 특허 침해, 지식재산 보호, 실용신안, "
                   "디자인 등록이 필요하고 납품 계약서 검토도 필요합니다.")
    token = client.post("/api/v1/intakes", json={**intake_payload, "description": description}
                        ).get_json()["intake"]["token"]
    page = client.get(f"/intake/{token}").get_data(as_text=True)
    assert "%" not in _re.sub(r"<style.*?</style>|(style|href)=\"[^\"]*\"", "", page, flags=_re.S)
    assert _re.search(r'class="ons-score ons-strength-\w+">(강력 추천|추천|참고)<', page)
    for card in page.split('class="ons-card ons-zone-result"')[1:]:
        shown = card.split('<details')[0].split("</li>\n    \n")[0]
        assert 1 <= shown.count("<li>") <= 2
    assert page.index("/booking/new/") < page.index('id="zones-heading"')
    english = client.get(f"/intake/{token}?lang=en").get_data(as_text=True)
    assert _re.search(r">(Strong match|Good match|Possible)<", english)
    # The API keeps every field and every reason.
    api = client.get(f"/api/v1/intakes/{token}").get_json()["intake"]["recommended_zones"]
    assert all({"code", "score", "reasons", "institution_id"} <= set(z) for z in api)
    assert max(len(z["reasons"]) for z in api) > 2


def test_plain_reasons_say_the_needs_once_then_one_phrase(app):
    from app.intake.presentation import plain_reasons, strength

    reasons = [{"kind": "need", "need": "계약서 검토", "need_en": "Contract review"},
               {"kind": "need", "need": "분쟁", "need_en": "Disputes"},
               {"kind": "phrase", "phrase": "계약서"}, {"kind": "phrase", "phrase": "소송"}]
    with app.test_request_context("/?lang=en"):
        assert plain_reasons(reasons) == [
            "You chose the needs ‘Contract review’, ‘Disputes’.",
            "Your description mentions ‘계약서’ and 1 more related term."]
        assert plain_reasons(reasons[2:3]) == ["Your description mentions ‘계약서’."]
        assert [strength(s)[0] for s in (0.83, 0.5, 0.3, 0.1)] == [
            "strong", "strong", "good", "possible"]
