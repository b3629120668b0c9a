"""Industry as a code: the list, the pre-screen's field on the page and in the API, the
statistics' one row per industry."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.intake.models import Intake
from app.types import local_today
from tests.stats_helpers import sign_in, staff
from tests.test_intake_pages import csrf_token, form_data


def stored_industries(app) -> list[str | None]:
    with app.app_context():
        return list(db.session.scalars(select(Intake.industry).order_by(Intake.id)))


def page_post(client, **overrides):
    return client.post("/intake/", data={**form_data(**overrides),
                                         "csrf_token": csrf_token(client)})


def industry_rows(app, client, kind: str = "csv") -> list[list]:
    """The industry table's rows (without its header) from today's export."""
    user_id, _ = staff(app)
    sign_in(app, client, user_id)
    with app.app_context():
        today = local_today().isoformat()
    response = client.get(f"/admin/stats/industry.{kind}",
                          query_string={"from": today, "to": today})
    assert response.status_code == 200
    if kind == "csv":
        return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[1:]
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_an_api_code_and_a_page_label_make_one_row(app, client, intake_payload):
    response = client.post("/api/v1/intakes", json={**intake_payload,
                                                     "industry": "manufacturing"})
    assert response.status_code == 201, response.get_json()
    assert page_post(client, industry="제조업 / Manufacturing").status_code == 303
    assert page_post(client).status_code == 303  # no industry given
    assert stored_industries(app) == ["manufacturing", "manufacturing", None]
    assert industry_rows(app, client) == [["제조업", "2", "0"], ["미입력", "1", "0"]]
    assert industry_rows(app, client, "xlsx") == [["제조업", 2, 0], ["미입력", 1, 0]]
    user_id, _ = staff(app)
    sign_in(app, client, user_id)
    html = client.get("/admin/").get_data(as_text=True)
    table = re.search(r'id="table-industry".*?</table>', html, re.S)
    assert table and "제조업" in table.group(0)
    assert "manufacturing" not in table.group(0)
    english = client.get("/admin/?lang=en").get_data(as_text=True)
    table = re.search(r'id="table-industry".*?</table>', english, re.S)
    assert "Manufacturing" in table.group(0) and "제조업" not in table.group(0)


def test_the_list_is_served_in_order_with_both_labels(client):
    response = client.get("/api/v1/industries")
    assert response.status_code == 200
    found = response.get_json()["industries"]
    assert len(found) == 11
    assert found[0] == {"code": "manufacturing", "label": "제조업", "label_en": "Manufacturing"}
    assert found[-1] == {"code": "other", "label": "기타", "label_en": "Other"}
    assert all(set(row) == {"code", "label", "label_en"} and all(row.values()) for row in found)
    assert len({row["code"] for row in found}) == 11
    assert all(re.fullmatch(r"[a-z_]+", row["code"]) for row in found)


def test_the_list_is_documented_and_rate_limited(make_app, client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/industries"]["get"]
    assert {"200", "429", "503"} <= set(operation["responses"])
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_READ="2 per minute")
    limited = app.test_client()
    statuses = [limited.get("/api/v1/industries").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert limited.get("/api/v1/industries").get_json()["error"]["code"] == "rate_limited"


@pytest.mark.parametrize(("given", "code"), [
    ("manufacturing", "manufacturing"), ("MANUFACTURING", "manufacturing"),
    ("제조업", "manufacturing"), ("Manufacturing", "manufacturing"),
    ("제조업 / Manufacturing", "manufacturing"), ("  제조업/manufacturing \u3000", "manufacturing"),
    ("정보통신ㆍ소프트웨어", "ict"), ("ict & SOFTWARE", "ict"), ("기타", "other"),
    ("", None), ("   ", None), (None, None),
])
def test_the_api_takes_a_code_or_either_label_and_stores_the_code(app, client, intake_payload,
                                                                   given, code):
    response = client.post("/api/v1/intakes", json={**intake_payload, "industry": given})
    assert response.status_code == 201, response.get_json()
    token = response.get_json()["intake"]["token"]
    assert client.get(f"/api/v1/intakes/{token}").get_json()["intake"]["industry"] == code
    assert stored_industries(app) == [code]


@pytest.mark.parametrize("given", ["우주항공", "manufacture", "제조업 / Bio & health",
                                   "manufacturing\x00", "x" * 5000, "\ud800"])
def test_an_industry_not_in_the_list_is_422_and_stores_nothing(app, client, intake_payload,
                                                                given):
    body = json.dumps({**intake_payload, "industry": given})  # lone surrogates as \ud800
    response = client.post("/api/v1/intakes", data=body, content_type="application/json")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["industry"]
    # a NUL or a lone surrogate is refused by the input boundary, in its own words
    assert ("목록" if given.isprintable() else "문자") in error["fields"]["industry"][0]
    assert stored_industries(app) == []


def test_an_industry_that_is_not_a_string_is_a_type_error(client, intake_payload):
    response = client.post("/api/v1/intakes", json={**intake_payload, "industry": 3})
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["industry"]


def test_the_page_select_posts_codes_and_shows_the_labels_in_the_pages_language(client):
    def options(query: str) -> list[tuple[str, str]]:
        html = client.get(f"/intake/{query}").get_data(as_text=True)
        select_html = re.search(r'<select[^>]*name="industry".*?</select>', html, re.S).group(0)
        assert re.match(r'<select[^>]*class="krds-form-select', select_html)  # KRDS's chevron
        return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select_html)

    korean, english = options(""), options("?lang=en")
    assert korean[:2] == [("", "선택"), ("manufacturing", "제조업")]
    assert korean[-1] == ("other", "기타")
    assert english[:2] == [("", "Choose"), ("manufacturing", "Manufacturing")]
    assert english[-1] == ("other", "Other")
    assert [value for value, _ in korean] == [value for value, _ in english]
    assert len(korean) == 12


def test_the_page_keeps_the_choice_and_names_a_bad_one(app, client):
    response = page_post(client, industry="ict", phone="12")  # a bad phone keeps the page
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<option[^>]*selected[^>]*value="ict"|<option[^>]*value="ict"[^>]*selected',
                     html)
    response = page_post(client, industry="우주항공")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="industry-error"' in html and "목록에 없는 업종입니다" in html
    assert stored_industries(app) == []


def test_the_advisers_briefing_shows_the_label(client, auth, staff, booked):

    auth.login(staff["adviser_a"])
    _, start = booked
    html = client.get("/adviser/", query_string={"date": start.date().isoformat()}).get_data(
        as_text=True)
    assert "<dd>제조업" in html and "Manufacturing" not in html
    assert ">manufacturing" not in html
    english = client.get("/adviser/", query_string={"date": start.date().isoformat(),
                                                     "lang": "en"}).get_data(as_text=True)
    assert "<dd>Manufacturing" in english and "제조업" not in english
