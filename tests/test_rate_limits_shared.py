"""gunicorn -w 4 on one Redis: the rate limits hold across workers, and survive Redis going away."""

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import VALID_BUSINESS_NUMBER, fresh_database
from tests.helpers import free_port, start_gunicorn, stop
from tests.redis_server import RedisServer

pytestmark = pytest.mark.slow

WORKERS = 4
SIGN_INS, LOGIN_LIMIT = 40, 10
PRE_SCREENS, WRITE_LIMIT = 60, 20


@pytest.fixture
def redis_url():
    server = RedisServer()
    yield server.url
    server.stop()


def limited_env(storage_uri: str, login_limit: str = f"{LOGIN_LIMIT} per minute") -> dict:
    return {"RATELIMIT_ENABLED": "1", "RATELIMIT_STORAGE_URI": storage_uri,
            "RATELIMIT_LOGIN": login_limit, "RATELIMIT_PUBLIC_WRITE": f"{WRITE_LIMIT} per minute",
            "SESSION_COOKIE_SECURE": "0"}


def sign_in_attempts(base: str, count: int) -> list[int]:
    """`count` sign-in posts (each with its own session and CSRF token), released together."""
    openers = []
    for _ in range(count):
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/auth/login", timeout=30).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        openers.append((opener, token))
    barrier = threading.Barrier(count)

    def attempt(n: int) -> int:
        opener, token = openers[n]
        body = urllib.parse.urlencode({"csrf_token": token, "email": f"nobody{n}@example.com",
                                       "password": "not the password"}).encode()
        barrier.wait()
        try:
            return opener.open(f"{base}/auth/login", data=body, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(attempt, range(count)))


def pre_screen_posts(base: str, count: int) -> list[int]:
    """`count` valid pre-screens posted to the API at once."""
    barrier = threading.Barrier(count)

    def attempt(n: int) -> int:
        body = json.dumps({
            "company_name": f"한도기업 {n}", "business_number": VALID_BUSINESS_NUMBER,
            "contact_name": "담당", "email": f"limit{n}@example.com", "phone": "010-1234-5678",
            "founded_on": "2020-01-01", "needs": [], "description": "계약서 검토",
            "consent_personal_info": True}).encode()
        request = urllib.request.Request(f"{base}/api/v1/intakes", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(attempt, range(count)))


def serve(tmp_path, db_templates, env: dict, workers: int = WORKERS):
    url = fresh_database(db_templates["demo"], tmp_path, "limits")
    return start_gunicorn(url, workers=workers, extra_env=env)


def test_four_workers_on_one_redis_let_through_no_more_than_the_limit(
        tmp_path, db_templates, redis_url):
    process, base = serve(tmp_path, db_templates, limited_env(redis_url))
    try:
        sign_ins = Counter(sign_in_attempts(base, SIGN_INS))
        pre_screens = Counter(pre_screen_posts(base, PRE_SCREENS))
    finally:
        stderr = stop(process)
    print(f"\n{WORKERS} workers on one Redis: sign-in {SIGN_INS - sign_ins[429]} of {SIGN_INS} "
          f"let through (limit {LOGIN_LIMIT}) {dict(sign_ins)}; pre-screen "
          f"{PRE_SCREENS - pre_screens[429]} of {PRE_SCREENS} (limit {WRITE_LIMIT}) "
          f"{dict(pre_screens)}")
    assert sign_ins == {401: LOGIN_LIMIT, 429: SIGN_INS - LOGIN_LIMIT}, stderr[-2000:]
    assert pre_screens == {201: WRITE_LIMIT, 429: PRE_SCREENS - WRITE_LIMIT}, stderr[-2000:]
    assert "Traceback" not in stderr


def test_an_unreachable_redis_is_no_500_and_each_worker_still_limits(tmp_path, db_templates):
    nothing_there = f"redis://127.0.0.1:{free_port()}/0"
    workers, limit, attempts = 2, 3, 16
    process, base = serve(tmp_path, db_templates,
                          limited_env(nothing_there, login_limit=f"{limit} per minute"),
                          workers=workers)
    try:
        statuses = Counter(sign_in_attempts(base, attempts))
    finally:
        stderr = stop(process)
    print(f"\nRedis unreachable, {workers} workers: {dict(statuses)}")
    assert set(statuses) <= {401, 429}, stderr[-2000:]
    assert attempts - statuses[429] <= workers * limit
    assert "Traceback" not in stderr
    assert "falling back to in-memory storage" in stderr
