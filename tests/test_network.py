"""The network's first slice (issue 14): zones, closures, routing rules and pre-screens
belong to a centre; the public API's `centre`; `GET /api/v1/centres`."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db
from tests.databases import app_before, revision_before

REVISION = "f3b8d2a6c915"
CENTRE_TABLES = ("zones", "closures", "routing_rules", "intakes")


# ---------------------------------------------------------------- the migration

@pytest.fixture
def old_app(databases, tmp_path):
    """An app on a database migrated up to just before zones belonged to a centre."""
    with app_before(REVISION, tmp_path) as app:
        yield app


def _old_rows() -> None:
    """A zone, a need, a rule, two closures, two pre-screens with needs and bookings, as the
    old code stored them (no centre anywhere)."""
    yes, no = {"yes": True}, {"no": False}
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO centres (id, code, name, name_en, region, address, address_en, "
            "phone, hours, hours_en, directions_url, privacy_officer, privacy_department, "
            "privacy_phone, privacy_email, active, created_at, updated_at) VALUES (7, 'other', "
            "'다른 센터', 'Other', '', '', '', '', '', '', '', '', '', '', '', :yes, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"), yes)  # made after the default
        connection.execute(text(
            "INSERT INTO zones (id, code, name, name_en, description, description_en, "
            "what_to_bring, what_to_bring_en, slot_minutes, buffer_minutes, min_notice_hours, "
            "horizon_days, opens_at, closes_at, sort_order, active) VALUES (1, 'legal', "
            "'법률존', 'Legal zone', '', '', '', '', 60, 0, 0, 60, '09:00:00', '18:00:00', 0, "
            ":yes)"), yes)
        connection.execute(text(
            "INSERT INTO needs (id, code, zone_id, label, label_en, weight, sort_order, "
            "active) VALUES (1, 'contract_review', 1, '계약서 검토', 'Contract review', 3, 0, "
            ":yes)"), yes)
        connection.execute(text(
            "INSERT INTO routing_rules (id, zone_id, phrase, weight, active, created_at) "
            "VALUES (1, 1, '계약', 2, :yes, '2026-01-01 00:00:00')"), yes)
        connection.execute(text(
            "INSERT INTO closures (id, day, zone_id, reason, created_at) VALUES "
            "(1, '2026-02-02', NULL, '센터 행사', '2026-01-01 00:00:00'), "
            "(2, '2026-02-03', 1, '법률존 휴무', '2026-01-01 00:00:00')"))
        for n in (1, 2):
            row = {"id": n, "hash": f"{n:064x}", **no}
            connection.execute(text(
                "INSERT INTO intakes (id, token_hash, created_at, source, stage, "
                "recommendation, consent_personal_info_at, consent_notice_version, "
                "consent_marketing, retention_until, company_name) VALUES (:id, :hash, "
                "'2026-01-05 01:00:00+00', 'online', 'bi', '[]', '2026-01-05 01:00:00+00', "
                "'v1', :no, '2029-01-05 01:00:00+00', '한빛')"), row)
            connection.execute(text("INSERT INTO intake_needs VALUES (:id, 1)"), row)
            connection.execute(text(
                "INSERT INTO bookings (id, token_hash, intake_id, visit_date, status, "
                "created_at, updated_at) VALUES (:id, :hash, :id, '2026-01-09', 'booked', "
                "'2026-01-05 01:00:00+00', '2026-01-05 01:00:00+00')"), row)


def _counts() -> tuple:
    with db.engine.connect() as connection:
        return tuple(connection.execute(text(
            "SELECT (SELECT count(*) FROM zones), (SELECT count(*) FROM closures), "
            "(SELECT count(*) FROM routing_rules), (SELECT count(*) FROM intakes), "
            "(SELECT count(*) FROM intake_needs), (SELECT count(*) FROM bookings), "
            "(SELECT count(*) FROM needs)")).one())


def _centres_of_rows() -> set:
    with db.engine.connect() as connection:
        return {(table, centre) for table in CENTRE_TABLES for (centre,) in connection.execute(
            text(f"SELECT DISTINCT centre_id FROM {table}"))}


def test_the_upgrade_puts_every_row_in_the_default_centre_and_round_trips(old_app):
    with old_app.app_context():
        _old_rows()
        before = _counts()
        [default] = db.session.execute(text(
            "SELECT id FROM centres WHERE code = 'gyeongnam'")).one()
        db.session.remove()
        upgrade(revision=REVISION)
        assert _counts() == before == (1, 2, 1, 2, 2, 2, 1)  # nothing lost, no cascade
        assert _centres_of_rows() == {(table, default) for table in CENTRE_TABLES}
        columns = {table: {c["name"]: c for c in inspect(db.engine).get_columns(table)}
                   for table in CENTRE_TABLES}
        assert not columns["zones"]["centre_id"]["nullable"]
        assert not columns["intakes"]["centre_id"]["nullable"]
        assert columns["routing_rules"]["centre_id"]["nullable"]  # NULL: a national rule
        with db.engine.begin() as connection:  # the other centre may have its own `legal`
            connection.execute(text(
                "INSERT INTO zones (id, centre_id, code, name, name_en, description, "
                "description_en, what_to_bring, what_to_bring_en, slot_minutes, "
                "buffer_minutes, min_notice_hours, horizon_days, opens_at, closes_at, "
                "sort_order, active) VALUES (2, 7, 'legal', '법률존', 'Legal zone', '', '', "
                "'', '', 60, 0, 0, 60, '09:00:00', '18:00:00', 0, :yes)"), {"yes": True})
            connection.execute(text("DELETE FROM zones WHERE id = 2"))

        downgrade(revision=revision_before(old_app, REVISION))
        assert "centre_id" not in {c["name"] for c in inspect(db.engine).get_columns("zones")}
        assert _counts() == before
        upgrade(revision=REVISION)  # and forward again
        assert _counts() == before
        assert _centres_of_rows() == {(table, default) for table in CENTRE_TABLES}
