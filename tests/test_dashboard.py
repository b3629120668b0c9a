"""The admin dashboard: the published table rebuilt through the import, exports read back."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from app.zones.models import Zone
from tests.stats_helpers import bearer, csv_bytes, published_rows, sign_in, staff

PUBLISHED = {
    "2026-05-31": {"legal": 95, "finance": (165, 3_200_000_000), "patent": (195, 128)},
    "2026-07-17": {"legal": 208, "finance": (290, 11_105_000_000), "patent": (467, 142)},
}
AS_OF = {"asof": list(PUBLISHED), "from": "2026-01-01", "to": "2026-11-22"}


@pytest.fixture
def admin(app):
    """(user id, token) of an admin, and the published history imported."""
    user_id, token = staff(app)
    response = app.test_client().post("/api/v1/import/consultations", data=csv_bytes(
        published_rows()), headers={**bearer(token), "Content-Type": "text/csv"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"imported": 208 + 290 + 467 + 6}
    return user_id, token


def published_cells(html: str) -> dict[str, list[str]]:
    """The published table as shown: ISO as-of date -> its cells."""
    table = re.search(r'<table class="[^"]*ons-published.*?</table>', html, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        day = re.search(r'datetime="([\d-]+)"', row).group(1)
        rows[day] = [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def test_the_published_table_comes_out_exactly_in_the_api(app, client, admin):
    _, token = admin
    for day, expected in PUBLISHED.items():
        response = client.get("/api/v1/stats", query_string={"to": day}, headers=bearer(token))
        assert response.status_code == 200
        body = response.get_json()
        assert body["from"] is None and body["to"] == day
        zones = body["zones"]
        assert zones["legal"]["consultations"] == expected["legal"]
        assert (zones["finance"]["consultations"],
                zones["finance"]["finance_amount_krw"]) == expected["finance"]
        assert (zones["patent"]["consultations"],
                zones["patent"]["patent_transfers"]) == expected["patent"]
        assert body["funnel"] == {"intakes": 0, "bookings": 0, "appointments": 0,
                                  "completed": 0, "no_show": 0, "cancelled": 0}
        assert body["no_show_rate"] == 0.0


def test_the_published_table_comes_out_exactly_on_the_dashboard(app, client, admin):
    sign_in(app, client, admin[0])
    response = client.get("/admin/", query_string=AS_OF)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert published_cells(html) == {"2026-05-31": ["95", "165 / 32.00", "195 / 128"],
                                     "2026-07-17": ["208", "290 / 111.05", "467 / 142"]}
    assert "<script>" not in html and 'type="application/json" id="dashboard-data"' in html


def test_the_published_table_exports_read_back(app, client, admin):
    sign_in(app, client, admin[0])
    response = client.get("/admin/stats/published.csv", query_string=AS_OF)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Korean
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "기준일" and rows[0][3] == "금융존 집행액(억원)"  # the reader's language
    assert rows[1:] == [["2026-05-31", "95", "165", "32.00", "195", "128"],
                        ["2026-07-17", "208", "290", "111.05", "467", "142"]]

    response = client.get("/admin/stats/published.xlsx", query_string=AS_OF)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [[row[0].date().isoformat(), *row[1:]] for row in values] == [
        ["2026-05-31", 95, 165, 32, 195, 128], ["2026-07-17", 208, 290, 111.05, 467, 142]]
    assert sheet["D3"].number_format == "#,##0.00"


def test_every_table_exports_as_csv_and_the_workbook_holds_them_all(app, client, admin):
    sign_in(app, client, admin[0])
    html = client.get("/admin/", query_string=AS_OF).get_data(as_text=True)
    names = re.findall(r'/admin/stats/(\w+)\.csv', html)
    assert {"published", "zones", "funnel", "lead_time", "utilisation", "stage", "industry",
            "region", "weekly"} <= set(names)
    everything = {**AS_OF, "from": ""}  # cumulative: every imported row
    period = client.get("/admin/stats/zones.csv", query_string=everything).data.decode(
        "utf-8-sig")
    rows = list(csv.reader(io.StringIO(period)))
    assert [row[0] for row in rows[1:]] == ["법률존", "금융존", "특허존", "합계"]
    assert rows[-1][1:] == ["971", "11205000000", "112.05", "143", "0"]

    workbook = load_workbook(io.BytesIO(
        client.get("/admin/stats/all.xlsx", query_string=everything).data))
    assert len(workbook.sheetnames) == len(set(names))
    weekly = workbook["상담존별 상담 추이"]
    total = sum(row[-1] for row in weekly.iter_rows(min_row=2, values_only=True))
    assert total == 971
    assert client.get("/admin/stats/all.csv", query_string=AS_OF).status_code == 404
    assert client.get("/admin/stats/nothing.csv", query_string=AS_OF).status_code == 404


def test_every_zone_appears_with_zeros(app, client, ctx):
    from app.extensions import db

    db.session.add(Zone(code="tax", name="세무존", name_en="Tax zone", sort_order=9,
                        active=False))
    db.session.commit()
    user_id, token = staff(app)
    body = client.get("/api/v1/stats", headers=bearer(token)).get_json()
    assert list(body["zones"]) == ["finance", "legal", "patent", "tax"]  # sorted JSON keys
    assert body["zones"]["tax"] == {"consultations": 0, "finance_amount_krw": 0,
                                    "patent_transfers": 0, "ip_applications": 0}
    sign_in(app, client, user_id)
    html = client.get("/admin/").get_data(as_text=True)
    assert "세무존" in html
    english = client.get("/admin/?lang=en").get_data(as_text=True)
    assert "Tax zone" in english and "세무존" not in english


def test_the_dashboard_is_for_admins_only(app, client):
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/stats/zones.csv").status_code == 302
    adviser_id, _ = staff(app, "adviser")
    sign_in(app, client, adviser_id)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/imports").status_code == 403


@pytest.mark.parametrize("query", [{"from": "2026-05-02", "to": "2026-05-01"},
                                   {"to": "2026/05/01"}, {"asof": "yesterday"}])
def test_a_bad_period_is_explained_on_the_page(app, client, query):
    user_id, _ = staff(app)
    sign_in(app, client, user_id)
    response = client.get("/admin/", query_string=query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html and "기본 기간을 보여 드립니다" in html
