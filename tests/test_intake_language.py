"""The language of a pre-screen (API.md `language`): what the API and the page store, what a
bad value answers, and the migration that added it."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import exc, inspect, select, text

from app.extensions import db
from app.intake.models import Intake
from tests.databases import app_before, revision_before
from tests.test_intake_pages import csrf_token, form_data

REVISION = "5c61b9c11149"


def stored_language(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Intake.language).order_by(Intake.id)))


def create(client, body, **headers):
    return client.post("/api/v1/intakes", json=body, headers=headers)


@pytest.mark.parametrize(("header", "expected"), [
    (None, "ko"), ("en", "en"), ("en-GB,en;q=0.9", "en"), ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
    ("fr-FR,fr;q=0.9", "ko"), ("de, en;q=0.5", "en"),
])
def test_without_a_language_the_api_takes_accept_languages_best_else_korean(
        app, client, intake_payload, header, expected):
    headers = {"Accept-Language": header} if header else {}
    response = create(client, intake_payload, **headers)
    assert response.status_code == 201, response.get_json()
    assert stored_language(app) == [expected]
    token = response.get_json()["intake"]["token"]
    assert client.get(f"/api/v1/intakes/{token}").get_json()["intake"]["language"] == expected


@pytest.mark.parametrize("language", ["ko", "en"])
def test_an_explicit_language_wins_over_accept_language(app, client, intake_payload, language):
    other = "ko" if language == "en" else "en"
    response = create(client, {**intake_payload, "language": language},
                      **{"Accept-Language": other})
    assert response.status_code == 201, response.get_json()
    assert stored_language(app) == [language]


def test_a_null_language_is_as_none_given(app, client, intake_payload):
    assert create(client, {**intake_payload, "language": None},
                  **{"Accept-Language": "en"}).status_code == 201
    assert stored_language(app) == ["en"]


@pytest.mark.parametrize("value", ["fr", "EN", " en", "", "en-US", 1, True, ["en"], {"en": 1}])
def test_a_bad_language_is_422_naming_it_and_nothing_is_stored(app, client, intake_payload,
                                                                value):
    response = create(client, {**intake_payload, "language": value})
    assert response.status_code == 422
    body = response.get_json()["error"]
    assert body["code"] == "invalid" and list(body["fields"]) == ["language"]
    assert "ko, en" in body["fields"]["language"][0]
    assert stored_language(app) == []


def test_a_bad_language_is_named_with_the_other_bad_fields(client, intake_payload):
    response = create(client, {**intake_payload, "language": "jp", "email": "nope"},
                      **{"Accept-Language": "en"})
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"language", "email"}
    assert fields["language"] == ["Must be one of ko, en."]


def test_the_openapi_document_names_the_language(client):
    document = client.get("/api/v1/openapi.json").get_json()
    body = document["paths"]["/intakes"]["post"]["requestBody"]["content"]["application/json"]
    properties = body["schema"]["properties"]
    assert properties["language"]["enum"] == ["ko", "en", None]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_page_stores_the_language_it_was_read_in(app, client, language):
    token = csrf_token(client, f"/intake/?lang={language}")
    response = client.post("/intake/", data={**form_data(), "csrf_token": token})
    assert response.status_code == 303
    assert stored_language(app) == [language]


# ---------------------------------------------------------------- the migration

@pytest.fixture
def old_app(databases, tmp_path):
    """An app on a database migrated up to just before the pre-screen's language."""
    with app_before(REVISION, tmp_path) as app:
        yield app


def add_old_intake(connection, n: int) -> None:
    connection.execute(text(
        "INSERT INTO intakes (id, token_hash, created_at, source, stage, recommendation, "
        "consent_personal_info_at, consent_notice_version, consent_marketing, retention_until) "
        "VALUES (:id, :hash, '2026-01-05 01:00:00+00', 'online', 'bi', '[]', "
        "'2026-01-05 01:00:00+00', 'v1', :no, '2029-01-05 01:00:00+00')"),
        {"id": n, "hash": f"{n:064x}", "no": False})
    connection.execute(text(
        "INSERT INTO bookings (id, token_hash, intake_id, visit_date, status, created_at, "
        "updated_at) VALUES (:id, :hash, :id, '2026-01-09', 'booked', "
        "'2026-01-05 01:00:00+00', '2026-01-05 01:00:00+00')"), {"id": n, "hash": f"{n:064x}"})


def languages() -> list[str]:
    with db.engine.connect() as connection:
        return list(connection.scalars(text("SELECT language FROM intakes ORDER BY id")))


def columns() -> set[str]:
    return {column["name"] for column in inspect(db.engine).get_columns("intakes")}


def test_existing_pre_screens_become_korean_and_the_column_refuses_others(old_app):
    with old_app.app_context():
        with db.engine.begin() as connection:
            for n in (1, 2):
                add_old_intake(connection, n)
        upgrade(revision=REVISION)
        assert languages() == ["ko", "ko"]
        with db.engine.begin() as connection:  # a new row without one is Korean too
            add_old_intake(connection, 3)
        assert languages() == ["ko", "ko", "ko"]
        with pytest.raises(exc.IntegrityError), db.engine.begin() as connection:
            connection.execute(text("UPDATE intakes SET language = 'fr' WHERE id = 1"))
        with pytest.raises(exc.IntegrityError), db.engine.begin() as connection:
            connection.execute(text("UPDATE intakes SET language = NULL WHERE id = 1"))
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE intakes SET language = 'en' WHERE id = 2"))

        downgrade(revision=revision_before(old_app, REVISION))
        assert "language" not in columns()
        with db.engine.connect() as connection:
            counts = connection.execute(text(
                "SELECT (SELECT count(*) FROM intakes), (SELECT count(*) FROM bookings)"))
            assert tuple(counts.one()) == (3, 3)  # nothing else touched

        upgrade(revision=REVISION)  # and forward again
        assert languages() == ["ko", "ko", "ko"]
