"""The historical import: API, CLI and upload page; all or nothing, every error named."""

import re

import pytest
from sqlalchemy import func, select

from app.auth.models import AuditEntry
from app.extensions import db
from app.stats.models import ImportBatch, ImportedConsultation
from tests.stats_helpers import HEADER, bearer, csv_bytes, sign_in, staff

GOOD = ["2026-05-31,finance,주식회사 한빛,124-81-00998,3200000000,0,0,보증 상담",
        "2026-05-31,patent,한빛,,0,2,1,\"특허 이전, 두 건\""]


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count(ImportedConsultation.id))),
                db.session.scalar(select(func.count(ImportBatch.id))))


@pytest.fixture
def token(app):
    return staff(app)[1]


def post(client, token, body: bytes, **headers):
    return client.post("/api/v1/import/consultations", data=body,
                       headers={**bearer(token), "Content-Type": "text/csv", **headers})


def test_a_file_imports_once_and_a_repeat_changes_nothing(app, client, token):
    response = post(client, token, csv_bytes(GOOD))
    assert response.status_code == 200 and response.get_json() == {"imported": 2}
    assert post(client, token, csv_bytes(GOOD)).get_json() == {"imported": 0}
    # The same content saved by Excel (BOM, CRLF) is the same file.
    assert post(client, token, csv_bytes(GOOD, bom=True, newline="\r\n")).get_json() == {
        "imported": 0}
    assert counts(app) == (2, 1)
    with app.app_context():
        row = db.session.scalar(select(ImportedConsultation).where(
            ImportedConsultation.patent_transfers == 2))
        assert row.summary == "특허 이전, 두 건" and row.ip_applications == 1
        assert db.session.scalar(select(ImportedConsultation.business_number).where(
            ImportedConsultation.finance_amount_krw > 0)) == "1248100998"
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "import_consultations"))
        assert entry.after["rows"] == 2 and entry.actor_id is not None


def test_two_equal_rows_in_one_file_are_two_records(app, client, token):
    assert post(client, token, csv_bytes([GOOD[0], GOOD[0]], bom=True)).get_json() == {
        "imported": 2}
    assert counts(app) == (2, 1)


def test_columns_in_another_order_zone_names_and_korean_dates_are_understood(app, client,
                                                                             token):
    header = "zone,date,summary,company_name,business_number,finance_amount_krw," \
             "patent_transfers,ip_applications"
    body = csv_bytes(["법률존,2026. 5. 31.,,A,,,,", "Finance zone,2026/06/01,,B,,\"1,000\",0,0"],
                     header=header)
    assert post(client, token, body).get_json() == {"imported": 2}


BAD_FILES = {
    "wrong header": (csv_bytes(GOOD, header="day,zone,company"), ["header"]),
    "unknown zone": (csv_bytes([GOOD[0], "2026-05-31,tax,,,0,0,0,"]), ["row 3.zone"]),
    "bad date": (csv_bytes(["2026-13-01,legal,,,0,0,0,", "31/05/2026,legal,,,0,0,0,"]),
                 ["row 2.date", "row 3.date"]),
    "negative amounts": (csv_bytes(["2026-05-31,finance,,,-5,0,0,", "2026-05-31,patent,,,0,-1,"
                                    "-2,"]), ["row 2.finance_amount_krw",
                                              "row 3.patent_transfers", "row 3.ip_applications"]),
    "not a number": (csv_bytes(["2026-05-31,finance,,,1.5억,0,0,"]),
                     ["row 2.finance_amount_krw"]),
    "bad business number": (csv_bytes(["2026-05-31,legal,,12-34,0,0,0,"]),
                            ["row 2.business_number"]),
    "missing date and zone": (csv_bytes([",,A,,0,0,0,"]), ["row 2.date", "row 2.zone"]),
    "wrong column count": (csv_bytes([GOOD[0], "2026-05-31,legal"]), ["row 3"]),
    "not UTF-8": (HEADER.encode() + "\n2026-05-31,legal,한빛,,0,0,0,\n".encode("cp949"),
                  ["file"]),
    "empty file": (b"", ["file"]),
    "only a BOM and blank lines": (b"\xef\xbb\xbf\r\n\r\n", ["file"]),
    "header only": (csv_bytes([]), ["file"]),
    "binary junk": (b"\x00\x01PK\x03\x04" * 100, ["file"]),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_imports_nothing_and_names_what_is_wrong(app, client, token, name):
    body, keys = BAD_FILES[name]
    response = post(client, token, csv_bytes([GOOD[0]]))  # something already there
    assert response.status_code == 200
    response = post(client, token, body)
    assert response.status_code == 422, name
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert sorted(error["fields"]) == sorted(keys)
    for key, messages in error["fields"].items():
        row = re.match(r"row (\d+)", key)
        assert all(f"{row.group(1)}행" in m if row else m for m in messages)
    assert counts(app) == (1, 1)


def test_every_bad_row_and_column_is_named_at_once(client, token):
    body = csv_bytes(["2026-05-31,legal,,,0,0,0,", "2026-02-30,zone51,,,-1,x,0,",
                      "2026-05-31,legal,,,0,0,0,", ",patent,,,0,0,-3,"])
    fields = post(client, token, body).get_json()["error"]["fields"]
    assert sorted(fields) == ["row 3.date", "row 3.finance_amount_krw", "row 3.patent_transfers",
                              "row 3.zone", "row 5.date", "row 5.ip_applications"]
    assert "zone51" in fields["row 3.zone"][0] and "legal" in fields["row 3.zone"][0]


def test_fifty_megabytes_of_junk_is_413_unread(app, client, token):
    response = post(client, token, b"\xff" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert "10" in response.get_json()["error"]["message"]
    assert counts(app) == (0, 0)


def test_a_file_over_the_app_wide_1_mb_but_under_the_import_limit_is_taken(app, client, token):
    rows = [f"2026-01-{1 + i % 28:02d},legal,기업 {i},,0,0,0,{'상담 기록 ' * 4}"
            for i in range(20_000)]
    body = csv_bytes(rows)
    assert 1024 * 1024 < len(body) < 10 * 1024 * 1024
    assert post(client, token, body).get_json() == {"imported": 20_000}


def test_the_import_needs_an_admin_token(app, client):
    assert client.post("/api/v1/import/consultations", data=csv_bytes(GOOD)).status_code == 401
    _, adviser_token = staff(app, "adviser")
    response = post(client, adviser_token, csv_bytes(GOOD))
    assert response.status_code == 403
    assert counts(app) == (0, 0)


def test_the_cli_does_the_same(app, runner, tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(GOOD, bom=True))
    result = runner.invoke(args=["import-consultations", str(path)])
    assert result.exit_code == 0 and "2건을 가져왔습니다" in result.output  # commands: Korean
    result = runner.invoke(args=["import-consultations", str(path)])
    assert result.exit_code == 0 and "바뀐 것이 없습니다" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(["2026-13-01,legal,,,0,0,0,", "2026-05-31,nowhere,,,0,0,0,"]))
    result = runner.invoke(args=["import-consultations", str(bad)])
    assert result.exit_code == 1
    assert "2행 date" in result.output and "3행 zone" in result.output
    assert "아무것도 가져오지 않았습니다" in result.output
    assert counts(app) == (2, 1)


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_upload_page_imports_and_shows_errors(app, client):
    user_id, _ = staff(app)
    sign_in(app, client, user_id)
    page = client.get("/admin/imports")
    assert page.status_code == 200 and "date,zone,company_name" in page.get_data(as_text=True)
    token = csrf_token(page.get_data(as_text=True))

    def upload(body: bytes, name: str = "history.csv", with_token: bool = True):
        import io

        data = {"file": (io.BytesIO(body), name)}
        if with_token:
            data["csrf_token"] = token
        response = client.post("/admin/imports", data=data, content_type="multipart/form-data")
        # Werkzeug's client spools a large multipart body to a temporary file that it closes
        # only when following redirects.
        response.request.input_stream.close()
        return response

    assert upload(csv_bytes(GOOD), with_token=False).status_code == 400
    assert counts(app) == (0, 0)
    response = upload(csv_bytes(["2026-05-31,legal,,,0,0,0,", "2026-05-32,legal,,,-1,0,0,"]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "3행 date" in html and "3행 finance_amount_krw" in html
    assert "아무것도 가져오지 않았습니다" in html
    assert counts(app) == (0, 0)

    big = csv_bytes([f"2026-02-{1 + i % 28:02d},patent,기업 {i},,0,1,0,{'메모 ' * 8}"
                     for i in range(15_000)])
    assert len(big) > 1024 * 1024
    response = upload(big, "big.csv")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "15,000건을 가져왔습니다" in html and "big.csv" in html
    assert upload(big, "again.csv").status_code == 302
    assert "이미 가져온 파일입니다" in client.get("/admin/imports").get_data(as_text=True)
    assert counts(app) == (15_000, 1)
