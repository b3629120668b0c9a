"""A throw-away Redis on loopback (Debian's redis-server), for the shared rate-limit counters."""

import shutil
import socket
import subprocess
import tempfile
import time

from tests.helpers import free_port

REDIS_SERVER = "/usr/bin/redis-server"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """redis-server on a free port of 127.0.0.1, nothing kept on disk; stop() ends it by PID."""

    def __init__(self, timeout: float = 10.0):
        if shutil.which(REDIS_SERVER) is None:
            raise AssertionError("redis-server is not installed; run "
                                 "scripts/ensure-system-packages.sh (make test does)")
        self.dir = tempfile.mkdtemp(prefix="onestop-redis-")
        self.port = free_port()
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        deadline = time.monotonic() + timeout
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not answer on port {self.port}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
