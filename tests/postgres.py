"""A throw-away PostgreSQL cluster on loopback, run as the postgres user."""

import glob
import os
import shutil
import subprocess
import tempfile

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


# The suite's cluster need not survive a crash: no fsync, no full-page writes.
DISPOSABLE = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PostgresCluster:
    """initdb + pg_ctl start in a temporary folder; stop() removes it. `durable` keeps
    PostgreSQL's own fsync and commit settings, as a benchmark wants them (production's)."""

    def __init__(self, durable: bool = False):
        self.dir = tempfile.mkdtemp(prefix="onestop-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        data = os.path.join(self.dir, "data")
        _as_postgres([_bin("initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                      "--encoding", "UTF8", "--locale", "C"])
        _as_postgres([_bin("pg_ctl"), "-D", data, "-w", "-l", os.path.join(self.dir, "log"),
                      "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                      f"{'' if durable else DISPOSABLE}",
                      "start"])
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        _as_postgres([_bin("pg_ctl"), "-D", os.path.join(self.dir, "data"), "-m", "fast",
                      "-w", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)
