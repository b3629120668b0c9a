"""Helpers shared by tests: free ports, live servers, intakes made through the API."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 20.0) -> None:
    """Poll a URL until it answers, or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def start_gunicorn(database_url: str, workers: int = 4, extra_env: dict | None = None):
    """gunicorn -w N over a test's database (SQLite or PostgreSQL); returns (process, base
    URL)."""
    import os

    port = free_port()
    env = {**os.environ, "ONESTOP_ENV": "production", "SECRET_KEY": "race-test",
           "DATABASE_URL": database_url, "RATELIMIT_ENABLED": "0",
           **(extra_env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--timeout", "60", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/v1/zones")
    except RuntimeError:
        process.kill()
        raise
    return process, base


def stop(process) -> str:
    """Stop a server started here; returns what it wrote to stderr."""
    process.terminate()
    try:
        _, stderr = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
    return (stderr or b"").decode(errors="replace")


def same_page(one, other) -> bool:
    """Equal bodies but for the CSRF tokens, which carry the second they were made, and the
    language selector's links, which lead to the page's own address in each language."""
    def strip(response):
        body = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", response.get_data(as_text=True))
        return re.sub(r'href="[^"]*" hreflang=', 'hreflang=', body)

    return strip(one) == strip(other)
