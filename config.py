"""Configuration classes: everything comes from the environment, with safe development defaults."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'onestop.db'}"
    )
    # hide_parameters: a failed statement's log line never carries the values (e-mails, phones).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    # How long a request waits for another transaction's lock before answering 503 (SQLite's
    # busy timeout, PostgreSQL's lock_timeout); SQLITE_BUSY_TIMEOUT_MS is the older name.
    DATABASE_BUSY_TIMEOUT_MS = _int("DATABASE_BUSY_TIMEOUT_MS",
                                    _int("SQLITE_BUSY_TIMEOUT_MS", 5000))

    MAX_CONTENT_LENGTH = 1024 * 1024
    # The historical import alone takes larger bodies (API and upload page).
    IMPORT_MAX_BYTES = _int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)

    # Strict-Transport-Security max-age; 0 sends none (development, tests, a proxy adding it).
    HSTS_SECONDS = _int("HSTS_SECONDS", 0)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 4 * 3600

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "원스톱 상담 <onestop@localhost>"
    )
    # Without MAIL_SERVER, may the relay write messages to the log and mark them sent? Only
    # in development and tests: bodies carry private links. Not read from the environment.
    MAIL_CONSOLE_FALLBACK = False

    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # memory:// counts in each process alone; production shares redis://… among its workers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # A Redis that is down or unreachable is no 500: each worker then counts in its own memory
    # (the limits hold per worker) and tries Redis again at growing intervals.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_PUBLIC_READ = os.environ.get("RATELIMIT_PUBLIC_READ", "300 per minute")
    RATELIMIT_PUBLIC_WRITE = os.environ.get("RATELIMIT_PUBLIC_WRITE", "20 per minute")
    # Sign-in posts per client address (and 5 failures for one e-mail from one address pause
    # that e-mail there for 15 minutes: app/auth/lockout.py).
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute; 50 per hour")
    # How many proxies in front set X-Forwarded-For / -Proto; 0 believes no such header.
    PROXY_HOPS = _int("PROXY_HOPS", 0)

    CENTER_TIMEZONE = os.environ.get("CENTER_TIMEZONE", "Asia/Seoul")
    # One language at a time: Korean unless the reader asks for English (`?lang=`, kept in a
    # cookie, then Accept-Language); the catalogues are translations/<language>. WTForms'
    # own messages come from its catalogue in the same language. See app/main/i18n.py.
    LANGUAGES = ("ko", "en")
    BABEL_DEFAULT_LOCALE = "ko"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGE_COOKIE = "lang"
    WTF_I18N_ENABLED = True
    CENTER_NAME = os.environ.get("CENTER_NAME", "경남창조경제혁신센터")
    CENTER_NAME_EN = os.environ.get(
        "CENTER_NAME_EN", "Gyeongnam Center for Creative Economy & Innovation"
    )
    CENTER_ADDRESS = os.environ.get(
        "CENTER_ADDRESS", "경상남도 창원시 의창구 창원대로18번길 22"
    )
    # CENTER_NAME, CENTER_NAME_EN, CENTER_ADDRESS and CENTER_PHONE make the first centre's row
    # (the migration "the centre as data", and init-db on a database without one); from then
    # on an admin edits the centre's facts at /admin/centre (app/centres).
    CENTER_PHONE = os.environ.get("CENTER_PHONE", "")
    # The code of the centre a request that names none is for; empty: the first centre made.
    DEFAULT_CENTRE = os.environ.get("DEFAULT_CENTRE", "")
    # The day the privacy policy (/privacy, templates/main/privacy.html) took its present form.
    PRIVACY_POLICY_EFFECTIVE = "2026-12-03"
    SCHEDULER_IN_PROCESS = _bool("SCHEDULER_IN_PROCESS", False)
    # A request slower than this is logged with its endpoint and SQL statement count.
    SLOW_REQUEST_MS = _int("SLOW_REQUEST_MS", 500)

    # A submitted pre-screen e-mails its private result link to the firm (a closed tab then
    # loses nothing); a centre that mails nothing at that point turns it off.
    MAIL_PRESCREEN_RECEIPT = _bool("MAIL_PRESCREEN_RECEIPT", True)
    # A pre-screen's personal data is kept this long after submission (see the consent notice).
    INTAKE_RETENTION_DAYS = _int("INTAKE_RETENTION_DAYS", 3 * 365)
    # An imported consultation's firm name, business number and summary are kept this long
    # after the consultation's day; its figures stay.
    IMPORT_RETENTION_DAYS = _int("IMPORT_RETENTION_DAYS", INTAKE_RETENTION_DAYS)
    CONSENT_NOTICE_VERSION = "2026-11"
    # A freed slot offered to the first firm on a day's waitlist is held for it this long.
    WAITLIST_OFFER_HOURS = _int("WAITLIST_OFFER_HOURS", 12)
    # Where the public reaches Onestop: the base of every link in an e-mail (no trailing slash).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")

    # The scheduler (app/notify/scheduler.py) and the leader lock (app/notify/leader.py).
    SCHEDULER_INTERVAL_SCALE = _float("SCHEDULER_INTERVAL_SCALE", 1.0)  # tests: e.g. 0.01
    SCHEDULER_STANDBY_SECONDS = _float("SCHEDULER_STANDBY_SECONDS", 5.0)  # a standby's retry
    # A run this late still runs (once: coalesce).
    SCHEDULER_MISFIRE_GRACE_SECONDS = _int("SCHEDULER_MISFIRE_GRACE_SECONDS", 3600)
    # Empty: scheduler.lock beside the SQLite file.
    SCHEDULER_LOCK_FILE = os.environ.get("SCHEDULER_LOCK_FILE", "")

    # The outbox relay (app/notify/relay.py).
    MAIL_TIMEOUT_SECONDS = _float("MAIL_TIMEOUT_SECONDS", 10.0)  # each socket operation
    OUTBOX_INTERVAL_SECONDS = _float("OUTBOX_INTERVAL_SECONDS", 5.0)
    OUTBOX_BATCH_SIZE = _int("OUTBOX_BATCH_SIZE", 50)
    # Then the message is dead and shown to admins.
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 10)
    OUTBOX_RETRY_BASE_SECONDS = _float("OUTBOX_RETRY_BASE_SECONDS", 30.0)
    OUTBOX_RETRY_MAX_SECONDS = _float("OUTBOX_RETRY_MAX_SECONDS", 3600.0)
    # A claimed row nobody finished is free again after this.
    OUTBOX_LEASE_SECONDS = _float("OUTBOX_LEASE_SECONDS", 300.0)
    OUTBOX_KEEP_DAYS = _int("OUTBOX_KEEP_DAYS", 180)

    # The domains' jobs (app/booking/jobs.py, app/visits/jobs.py, app/stats/jobs.py and
    # app/stats/rollup.py).
    # The reminder goes out the day before the visit, from this hour on.
    REMINDER_HOUR = _int("REMINDER_HOUR", 10)
    # Still `booked` this long after its end: nobody came.
    NO_SHOW_AFTER_MINUTES = _int("NO_SHOW_AFTER_MINUTES", 30)
    AGENDA_HOUR = _int("AGENDA_HOUR", 8)  # advisers get the day's agenda from this hour on
    # Monday = 0: the summary of the week before goes out then.
    WEEKLY_SUMMARY_WEEKDAY = _int("WEEKLY_SUMMARY_WEEKDAY", 0)
    WEEKLY_SUMMARY_HOUR = _int("WEEKLY_SUMMARY_HOUR", 8)
    STATS_ROLLUP_CHECK_SECONDS = _int("STATS_ROLLUP_CHECK_SECONDS", 24 * 3600)


class DevelopmentConfig(Config):
    """`make run`: a fixed development key, plain-HTTP cookies."""

    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    MAIL_CONSOLE_FALLBACK = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)


class TestingConfig(Config):
    """Tests: SQLite in a temporary file chosen by the fixture, no limits unless a test asks."""

    TESTING = True
    SECRET_KEY = "test-only"
    SESSION_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    PROPAGATE_UNEXPECTED_ERRORS = True
    MAIL_CONSOLE_FALLBACK = True


class ProductionConfig(Config):
    """gunicorn behind a TLS proxy; SECRET_KEY must be set, and MAIL_SERVER for the relay."""

    HSTS_SECONDS = _int("HSTS_SECONDS", 365 * 24 * 3600)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
