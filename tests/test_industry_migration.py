"""The migration that turns the free-text industries of past pre-screens into codes, on
SQLite and on PostgreSQL."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db
from tests.databases import app_before, revision_before

REVISION = "cb760bbade97"
OLD_VALUES = {  # stored before -> the code after
    "제조업 / Manufacturing": "manufacturing",
    "정보통신·소프트웨어 / ICT & software": "ict",
    "  바이오·헬스케어  /  Bio & health ": "bio_health",
    "에너지·환경": "energy_environment",
    "Wholesale & retail": "wholesale_retail",
    "wholesale & RETAIL": "wholesale_retail",
    "CONSTRUCTION": "construction",
    " agriculture_food ": "agriculture_food",
    "문화ㆍ콘텐츠": "culture_content",
    "전문·과학기술 서비스 / Professional & scientific services": "professional_services",
    "관광·서비스/Tourism & services": "tourism_services",
    "기타 / Other": "other",
    "manufacturing": "manufacturing",
    "우주항공": "other",
    "IT": "other",
    "": None,
    " \u3000": None,
}


@pytest.fixture
def old_app(databases, tmp_path):
    """An app on a database migrated up to just before the industry codes."""
    with app_before(REVISION, tmp_path) as app:
        yield app


def add_old_intakes(values) -> None:
    """Raw rows as the old code stored them, each with a need and a booking."""
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO zones (id, code, name, name_en, description, description_en, "
            "what_to_bring, what_to_bring_en, slot_minutes, buffer_minutes, min_notice_hours, "
            "horizon_days, opens_at, closes_at, sort_order, active) VALUES (1, 'legal', "
            "'법률존', 'Legal zone', '', '', '', '', 60, 0, 0, 60, '09:00:00', '18:00:00', 0, "
            ":yes)"), {"yes": True})
        connection.execute(text(
            "INSERT INTO needs (id, code, zone_id, label, label_en, weight, sort_order, "
            "active) VALUES (1, 'contract_review', 1, '계약서 검토', 'Contract review', 3, 0, "
            ":yes)"), {"yes": True})
        for n, value in enumerate(values, start=1):
            row = {"id": n, "hash": f"{n:064x}", "industry": value, "no": False}
            connection.execute(text(
                "INSERT INTO intakes (id, token_hash, created_at, source, stage, industry, "
                "recommendation, consent_personal_info_at, consent_notice_version, "
                "consent_marketing, retention_until) VALUES (:id, :hash, "
                "'2026-01-05 01:00:00+00', 'online', 'bi', :industry, '[]', "
                "'2026-01-05 01:00:00+00', 'v1', :no, '2029-01-05 01:00:00+00')"), row)
            connection.execute(text("INSERT INTO intake_needs VALUES (:id, 1)"), row)
            connection.execute(text(
                "INSERT INTO bookings (id, token_hash, intake_id, visit_date, status, "
                "created_at, updated_at) VALUES (:id, :hash, :id, '2026-01-09', 'booked', "
                "'2026-01-05 01:00:00+00', '2026-01-05 01:00:00+00')"), row)


def industries() -> list:
    return list(db.session.scalars(text("SELECT industry FROM intakes ORDER BY id")))


def test_old_values_become_codes_and_come_back_as_labels(old_app, capfd):
    with old_app.app_context():
        add_old_intakes([*OLD_VALUES, None])
        capfd.readouterr()
        upgrade(revision=REVISION)  # alembic.ini logs to stderr
        assert industries() == [*OLD_VALUES.values(), None]
        assert ("2 pre-screen(s) named no industry of the list; now 'other'"
                in capfd.readouterr().err)
        counts = db.session.execute(text(
            "SELECT (SELECT count(*) FROM intake_needs), (SELECT count(*) FROM bookings)"))
        assert tuple(counts.one()) == (len(OLD_VALUES) + 1,) * 2  # nothing else touched
        db.session.remove()

        downgrade(revision=revision_before(old_app, REVISION))
        back = industries()
        assert back[0] == back[12] == "제조업 / Manufacturing"
        assert back[4] == back[5] == "도소매·유통 / Wholesale & retail"
        assert back[10] == "관광·서비스 / Tourism & services"
        assert back[11] == back[13] == back[14] == "기타 / Other"
        assert back[-3:] == [None, None, None]
        db.session.remove()

        upgrade(revision=REVISION)  # and forward again: the combined labels read back
        assert industries() == [*[code if old not in ("우주항공", "IT") else "other"
                                  for old, code in OLD_VALUES.items()], None]


def test_the_upgrade_of_a_database_without_pre_screens_changes_nothing(old_app, capfd):
    with old_app.app_context():
        upgrade(revision=REVISION)
        assert industries() == []
        assert "named no industry" not in capfd.readouterr().err
