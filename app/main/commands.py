"""`flask --app wsgi init-db`: create or upgrade the schema to the newest migration."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_migrate import upgrade

from app.extensions import db


def prepare_database() -> None:
    """Migrate to the newest schema, make the centre from the CENTER_* settings if the
    database has none, then build the statistics rollup if it is missing or was built for
    another time zone (CENTER_TIMEZONE)."""
    from app.centres.services import ensure_centre
    from app.stats.rollup import ensure_built

    upgrade()
    ensure_centre()
    ensure_built()
    db.session.commit()  # end the read transaction the checks left open (SQLite's lock)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema to the newest migration (safe to repeat)."""
    prepare_database()
    click.echo(_("The database schema is up to date."))
