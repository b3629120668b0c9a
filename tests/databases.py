"""The database every test runs on, from one setting: `TEST_DATABASE=sqlite` (the default) or
`TEST_DATABASE=postgres`.

Each engine keeps two migrated templates made once per session (empty, and holding the demo
centre) and gives each test its own copy: a file copy on SQLite, `CREATE DATABASE … TEMPLATE`
on PostgreSQL (a cluster from Debian, started for the session and removed after it). A test
never sees another test's rows, and the copy costs milliseconds on both.
"""

import itertools
import os
import shutil
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool

ENGINES = ("sqlite", "postgres")


def engine_name() -> str:
    """The engine this run tests on; anything but the two named is a mistake said at once."""
    name = os.environ.get("TEST_DATABASE", "sqlite").strip().lower() or "sqlite"
    if name not in ENGINES:
        raise SystemExit(f"TEST_DATABASE={name!r}: use one of {', '.join(ENGINES)}")
    return name


@dataclass(frozen=True)
class Template:
    """A migrated database to copy from: a file (SQLite) or a database name (PostgreSQL)."""
    engine: str
    where: str

    def __fspath__(self) -> str:  # shutil and open() take a SQLite template as its path
        if self.engine != "sqlite":
            raise TypeError("a PostgreSQL template is a database, not a file")
        return self.where


class SQLiteDatabases:
    engine = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder

    def template(self, name: str) -> tuple[Template, str]:
        path = self.folder / f"{name}.db"
        return Template("sqlite", str(path)), f"sqlite:///{path}"

    def copy(self, template: Template, folder: Path, name: str = "onestop",
             keep: bool = False) -> str:
        path = folder / f"{name}.db"
        shutil.copyfile(template.where, path)
        return f"sqlite:///{path}"

    def template_of(self, url: str) -> Template:
        return Template("sqlite", make_url(url).database)

    def blank(self, folder: Path) -> str:
        return f"sqlite:///{folder / 'blank.db'}"

    def drop_all(self) -> None:
        """Nothing to do: the files go with pytest's temporary folders."""

    def stop(self) -> None:
        pass


class PostgresDatabases:
    engine = "postgres"

    def __init__(self):
        from tests.postgres import PostgresCluster

        self.cluster = PostgresCluster()
        self.made: list[str] = []
        self._numbers = itertools.count(1)
        # Every connection an engine of the suite opens, so that those to a test's databases
        # are closed with them: an app a test made and never disposed would otherwise leave
        # its connections to be collected in some later test (psycopg's ResourceWarning).
        self.connections: weakref.WeakSet = weakref.WeakSet()
        event.listen(Pool, "connect", self._opened)

    def _opened(self, dbapi_connection, _record) -> None:
        self.connections.add(dbapi_connection)

    def url(self, database: str) -> str:
        return str(make_url(self.cluster.url).set(database=database))

    def _admin(self):
        return psycopg.connect(host="127.0.0.1", port=self.cluster.port, user="postgres",
                               dbname="postgres", autocommit=True)

    def template(self, name: str) -> tuple[Template, str]:
        database = f"template_{name}"
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        return Template("postgres", database), self.url(database)

    def copy(self, template: Template, folder: Path | None = None, name: str = "",
             keep: bool = False) -> str:
        """A new database from the template; dropped after the test unless `keep` (a module's
        or a session's own, which goes with the cluster)."""
        database = f"test_{next(self._numbers)}"
        with self._admin() as connection:
            # FILE_COPY copies the few megabytes of a template at once, faster than the WAL.
            connection.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template.where}" '
                               f"STRATEGY FILE_COPY")
        if not keep:
            self.made.append(database)
        return self.url(database)

    def template_of(self, url: str) -> Template:
        return Template("postgres", make_url(url).database)

    def blank(self, folder: Path | None = None) -> str:
        database = f"blank_{next(self._numbers)}"
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        self.made.append(database)
        return self.url(database)

    def drop_all(self) -> None:
        """Drop the copies a test made, closing any connection it left open."""
        if not self.made:
            return
        for left_open in list(self.connections):
            if not left_open.closed and left_open.info.dbname in self.made:
                left_open.close()
        with self._admin() as connection:
            for database in self.made:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.made.clear()

    def stop(self) -> None:
        event.remove(Pool, "connect", self._opened)
        self.cluster.stop()


def start(folder: Path):
    """The databases of this run's engine."""
    return PostgresDatabases() if engine_name() == "postgres" else SQLiteDatabases(folder)


# This run's databases, once the session fixture `databases` has started them (kept here, not
# in conftest, which pytest may import under a second name).
CURRENT: list = []


def fresh_database(template: Template, folder: Path, name: str = "onestop",
                   keep: bool = False) -> str:
    """The URL of a new copy of a template (db_templates["demo"], say), this test's own; one
    a module's fixture keeps for all its tests says `keep`."""
    return CURRENT[0].copy(template, folder, name, keep=keep)


def template_of(url: str) -> Template:
    """A database made by a fixture (kept, and no longer connected to) as a template to copy."""
    return CURRENT[0].template_of(url)


def blank_database(folder: Path) -> str:
    """The URL of a new database with nothing in it, not even the schema (a migration test)."""
    return CURRENT[0].blank(folder)


def revision_before(app, revision: str) -> str:
    """The migration that `revision` follows."""
    from alembic.script import ScriptDirectory

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        return ScriptDirectory.from_config(config).get_revision(revision).down_revision


@contextmanager
def app_before(revision: str, folder: Path):
    """An app on a blank database of its own, migrated up to just before `revision`: where
    a migration's test starts (it writes rows as the old code did, then upgrades)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": blank_database(folder)})
    with app.app_context():
        upgrade(revision=revision_before(app, revision))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
