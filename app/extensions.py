"""The single home of the Flask extensions, created unbound and bound in create_app()."""

from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event

from app.models import Base


def client_address() -> str:
    """The client's address as the rate limits and the sign-in lockout key it.

    Behind PROXY_HOPS trusted proxies this is the address they forwarded (ProxyFix, set up in
    create_app); with none, the socket's peer, whatever X-Forwarded-For says.
    """
    return request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)
babel = Babel()
migrate = Migrate()
mail = Mail()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=client_address)


def public_read_limit() -> str:
    """The limit of a public read, per client address (RATELIMIT_PUBLIC_READ)."""
    return current_app.config["RATELIMIT_PUBLIC_READ"]


def public_write_limit() -> str:
    """The limit of a public write — a pre-screen, a booking — per client address, the same
    for the page and the API (RATELIMIT_PUBLIC_WRITE)."""
    return current_app.config["RATELIMIT_PUBLIC_WRITE"]


def configure_engine(engine, busy_timeout_ms: int) -> None:
    """How long a statement waits for another transaction's lock before it gives up (and the
    request answers 503 unavailable): `lock_timeout` on PostgreSQL, the busy timeout on SQLite."""
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def _on_pg_connect(dbapi_connection, _record):
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = {int(busy_timeout_ms)}")
            dbapi_connection.commit()

        @event.listens_for(engine, "handle_error")
        def _without_row_values(context):
            # PostgreSQL's DETAIL repeats the failing row ("Failing row contains (…)"), which
            # would put personal data into a log line; hide_parameters does not reach it.
            original = context.original_exception
            diag = getattr(original, "diag", None)
            primary = getattr(diag, "message_primary", None)
            if not primary:
                return
            full = str(original)
            original.args = (primary,)  # the chained cause, as a traceback prints it
            wrapped = context.sqlalchemy_exception
            if wrapped is not None and wrapped.args and isinstance(wrapped.args[0], str):
                wrapped.args = (wrapped.args[0].replace(full, primary),)

    elif engine.dialect.name == "sqlite":
        configure_sqlite(engine, busy_timeout_ms)


def configure_sqlite(engine, busy_timeout_ms: int) -> None:
    """WAL, a busy timeout, foreign keys, and transactions whose BEGIN we control.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's BEGIN is the
    one that runs, in the mode `default_begin_mode()` picks (or `sqlite_begin` asks for).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin") or default_begin_mode()
        connection.exec_driver_sql(f"BEGIN {mode}")


def default_begin_mode() -> str:
    """How a SQLite transaction begins unless asked otherwise.

    Read-only requests (GET, HEAD, OPTIONS) defer. Everything else — form posts, API writes,
    jobs, commands — takes the write lock first: under WAL a deferred transaction that read
    and then writes fails at once ("database is locked") when another writer committed in
    between, and the busy timeout cannot help it. Taking the lock first makes it wait instead.
    """
    if has_request_context() and request.method in ("GET", "HEAD", "OPTIONS"):
        return "DEFERRED"
    return "IMMEDIATE"
