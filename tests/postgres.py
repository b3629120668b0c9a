"""A throw-away PostgreSQL cluster on loopback, run as the postgres user."""

import glob
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager

from app import create_app
from app.demo.seed import seed_demo
from app.extensions import db
from app.main.commands import prepare_database
from tests.helpers import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise AssertionError("PostgreSQL is not installed; run scripts/ensure-system-packages.sh "
                             "(make test does) or apt-get install postgresql")
    return found[-1]


def _as_postgres(args: list[str]) -> None:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class PostgresCluster:
    """initdb + pg_ctl start in a temporary folder; stop() removes it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="onestop-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        data = os.path.join(self.dir, "data")
        _as_postgres([_bin("initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                      "--encoding", "UTF8", "--locale", "C"])
        _as_postgres([_bin("pg_ctl"), "-D", data, "-w", "-l", os.path.join(self.dir, "log"),
                      "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1",
                      "start"])
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        _as_postgres([_bin("pg_ctl"), "-D", os.path.join(self.dir, "data"), "-m", "fast",
                      "-w", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def demo_app_on_postgres():
    """An app on a fresh cluster, migrated and holding the demo centre; torn down after."""
    cluster = PostgresCluster()
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": cluster.url})
        with app.app_context():
            prepare_database()
            seed_demo()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        cluster.stop()
