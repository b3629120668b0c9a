"""The load of bench/load.py: wrk from Debian when present, else a Python client; one Run."""

import http.client
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

WRK_SCRIPT = """
local bodies = {}
for line in io.lines(os.getenv("ONESTOP_BODIES")) do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i + 1
  local body = bodies[((i - 1) % #bodies) + 1]
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"""


@dataclass(frozen=True)
class Run:
    """What one endpoint did under load."""

    rate: float  # requests per second
    p50: float  # ms
    p99: float  # ms
    non_2xx: int
    tool: str


def drive(url: str, clients: int, seconds: float, bodies: list[str] | None = None,
          once: bool = False) -> Run:
    """`clients` connections on `url` for `seconds`: GET, or POST of `bodies` in turn (with
    `once`, each body is sent at most once: a booking's intake and slot are its own)."""
    if shutil.which("wrk"):
        return _wrk(url, clients, seconds, bodies)
    return _python(url, clients, seconds, bodies, once)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(url: str, clients: int, seconds: float, bodies: list[str] | None) -> Run:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--latency", url]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as folder:
        if bodies:
            script, data = os.path.join(folder, "post.lua"), os.path.join(folder, "bodies")
            with open(script, "w") as handle:
                handle.write(WRK_SCRIPT)
            with open(data, "w") as handle:
                handle.write("\n".join(bodies) + "\n")
            command[1:1] = ["-s", script]
            env["ONESTOP_BODIES"] = data
        out = subprocess.run(command, capture_output=True, text=True, env=env,
                             check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))

    def percentile(key: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", latency[key]).groups()
        return _ms(value, unit)

    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", out)
    bad = int(errors.group(1)) if errors else 0
    bad += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    assert total > 0, out
    return Run(rate, percentile("50"), percentile("99"), bad, "wrk")


def _python(url: str, clients: int, seconds: float, bodies: list[str] | None,
            once: bool) -> Run:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()
    feed = iter(bodies or [])
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        while time.monotonic() < deadline:
            body = None
            if bodies:
                with lock:
                    body = next(feed, None)
                if body is None:
                    if once:
                        return
                    body = bodies[0]
            started = time.perf_counter()
            connection.request("POST" if body else "GET", path, body=body,
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                bad[0] += not 200 <= response.status < 300

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return Run(len(latencies) / took, cuts[49], cuts[98], bad[0], "python client")
