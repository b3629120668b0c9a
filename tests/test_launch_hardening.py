"""The rest of the security review: amounts the statistics can always sum, headers that keep
private pages out of caches, a busy database answered 503, and logs without personal data."""

import logging
import sqlite3
import traceback

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from tests.conftest import STAFF, fresh_database
from tests.stats_helpers import bearer, csv_bytes, sign_in, staff

HEADER = "date,zone,company_name,business_number,finance_amount_krw,patent_transfers," \
         "ip_applications,summary"


def import_csv(client, token, rows: list[str]):
    return client.post("/api/v1/import/consultations", data=csv_bytes(rows, header=HEADER),
                       headers={**bearer(token), "Content-Type": "text/csv"})


def test_an_amount_past_the_bound_is_refused_by_the_import(app, client):
    """10,000 rows of 999,999,999,999,999 used to be accepted and then overflow every sum."""
    _, token = staff(app)
    rows = ["2026-05-31,finance,,,999999999999999,0,0,"] * 10_000
    response = import_csv(client, token, rows)
    assert response.status_code == 422
    assert "row 2.finance_amount_krw" in response.get_json()["error"]["fields"]


def test_ten_thousand_records_at_the_bound_sum_exactly(app, client):
    """At the bound (10^12 KRW a record) the statistics, the dashboard and the exports answer,
    and the sum is exact."""
    user_id, token = staff(app)
    assert import_csv(client, token, ["2026-05-31,finance,,,1000000000000,0,0,"] * 10_000
                      ).status_code == 200
    stats = client.get("/api/v1/stats", query_string={"to": "2026-06-30"},
                       headers=bearer(token))
    assert stats.status_code == 200
    assert stats.get_json()["zones"]["finance"]["finance_amount_krw"] == 10**16
    sign_in(app, client, user_id)
    query = {"from": "", "to": "2026-06-30", "asof": "2026-06-30"}
    assert client.get("/admin/", query_string=query).status_code == 200
    export = client.get("/admin/stats/zones.csv", query_string=query)
    assert export.status_code == 200
    assert "10000000000000000" in export.data.decode("utf-8-sig")


def test_the_sums_cannot_overflow_64_bits(ctx):
    from sqlalchemy import BigInteger, literal, select, union_all

    from app.stats.figures import safe_sum

    rows = union_all(*[select(literal(2**62, BigInteger).label("x"))
                       for _ in range(3)]).subquery()
    if db.engine.dialect.name == "sqlite":  # SQLite's own SUM overflows; safe_sum does not
        with pytest.raises(Exception, match="overflow"):
            db.session.execute(text("SELECT SUM(x) FROM (SELECT :a AS x UNION ALL SELECT :a "
                                    "UNION ALL SELECT :a)"), {"a": 2**62}).scalar()
        db.session.rollback()
    assert int(db.session.scalar(select(safe_sum(rows.c.x)))) == 3 * 2**62


def test_the_csv_export_names_its_charset_once(app, client):
    user_id, _ = staff(app)
    sign_in(app, client, user_id)
    response = client.get("/admin/stats/zones.csv", query_string={"to": "2026-06-30"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


# --- headers -----------------------------------------------------------------------------


def test_private_pages_and_answers_are_no_store(app, client, auth, staff, intake_payload, booked):
    intake = client.post("/api/v1/intakes", json={**intake_payload, "email": "b@hanbit.example"})
    assert intake.headers["Cache-Control"] == "no-store"
    token = intake.get_json()["intake"]["token"]
    assert client.get(f"/api/v1/intakes/{token}").headers["Cache-Control"] == "no-store"
    assert client.get(f"/booking/new/{token}").headers["Cache-Control"] == "no-store"
    auth.login(STAFF["admin"])
    for path in ("/adviser/", "/admin/", "/admin/stats/zones.csv", "/auth/profile"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    page = client.get("/auth/profile").get_data(as_text=True)
    import re

    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    shown = client.post("/auth/profile/tokens", data={"csrf_token": csrf, "name": "export"})
    assert 'id="new-token"' in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"


def test_hsts_is_sent_in_production_and_can_be_turned_off(monkeypatch, tmp_path, db_templates):
    url = fresh_database(db_templates["empty"], tmp_path)
    monkeypatch.setenv("ONESTOP_ENV", "production")
    production = create_app({"SQLALCHEMY_DATABASE_URI": url,
                             "SECRET_KEY": "x" * 32})
    header = production.test_client().get("/api/v1/zones").headers
    assert header["Strict-Transport-Security"] == "max-age=31536000"
    off = create_app({"SQLALCHEMY_DATABASE_URI": url, "HSTS_SECONDS": 0,
                      "SECRET_KEY": "x" * 32})
    assert "Strict-Transport-Security" not in off.test_client().get("/api/v1/zones").headers
    for each in (production, off):
        with each.app_context():
            db.session.remove()
            db.engine.dispose()


# --- a busy database, and what the logs keep ----------------------------------------------


@pytest.fixture
def locked_app(make_app):
    """An app whose database another process holds a lock of (SQLite's write lock, or the
    pre-screens' table on PostgreSQL); short busy timeout."""
    app = make_app(DATABASE_BUSY_TIMEOUT_MS=200)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = psycopg.connect(host=url.host, port=url.port, user=url.username,
                                 dbname=url.database)
        holder.execute("LOCK TABLE intakes IN ACCESS EXCLUSIVE MODE")
    yield app
    holder.rollback()
    holder.close()


def test_a_database_busy_past_its_timeout_is_503_with_retry_after(locked_app, intake_payload,
                                                                   caplog):
    client = locked_app.test_client()
    with caplog.at_level(logging.INFO):
        response = client.post("/api/v1/intakes", json=intake_payload)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["code"] == "unavailable"
    assert intake_payload["email"] not in caplog.text
    assert intake_payload["phone"] not in caplog.text
    page = client.post("/intake/", data={"company_name": "x"})
    assert page.status_code in (400, 503)  # the CSRF check may refuse it first; never a 500


def test_a_failed_statement_carries_no_parameters(ctx):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as found:
        db.session.execute(text("INSERT INTO users (email) VALUES (:email)"),
                           {"email": "secret-person@example.com"})
    db.session.rollback()
    assert "secret-person@example.com" not in str(found.value)
    assert "hidden" in str(found.value)
    # PostgreSQL's DETAIL ("Failing row contains …") is not in the cause a log prints either.
    printed = "".join(traceback.format_exception(found.value))
    assert "secret-person@example.com" not in printed
    assert "null" in printed.lower() or "NOT NULL" in printed
