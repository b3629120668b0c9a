"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def schema_differences() -> list:
    """What Alembic's autogenerate would still add or change after the migrations."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_the_migrated_schema_matches_the_models(empty_app):
    with empty_app.app_context():
        assert schema_differences() == []
