"""The application factory: create_app() assembles Onestop from named steps."""

import logging
import os

from flask import Flask

from config import BASE_DIR, CONFIGS


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app for ONESTOP_ENV (development on the embedded database, else production)."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    env = os.environ.get("ONESTOP_ENV") or (
        "production" if os.environ.get("DATABASE_URL") else "development"
    )
    if env not in CONFIGS:
        raise RuntimeError(f"ONESTOP_ENV must be one of {', '.join(CONFIGS)}, not {env!r}")
    app.config.from_object(CONFIGS[env])
    app.config.update(overrides or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set outside development (ONESTOP_ENV=production)")
    os.makedirs(app.instance_path, exist_ok=True)
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    register_json(app)
    register_models()
    register_rollup()
    register_input_boundary(app)
    register_proxy(app)
    register_extensions(app)
    register_i18n(app)
    register_centres(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_request_timing(app)
    register_template_helpers(app)
    register_commands(app)
    register_jobs(app)
    return app


def register_json(app: Flask) -> None:
    """API.md: `application/json; charset=utf-8`, Korean sent as is, not \\u-escaped."""
    app.json.ensure_ascii = False
    app.json.mimetype = "application/json; charset=utf-8"


def register_models() -> None:
    """Every domain's models (app/schema.py), so the metadata and Alembic see the whole schema."""
    from app.schema import load_models

    load_models()


def register_rollup() -> None:
    """Keep the statistics' rollup in step inside every transaction that changes what it counts."""
    from app.stats.rollup import register_hooks

    register_hooks()


def register_input_boundary(app: Flask) -> None:
    """Path ids within 64 bits and no unstorable query parameter, before any view runs."""
    from app.main.boundary import register

    register(app)


def register_proxy(app: Flask) -> None:
    """Believe X-Forwarded-For and -Proto from PROXY_HOPS trusted proxies, and from no one else.

    The client address the rate limits, the sign-in lockout and the audit log use is then the
    real client's, not the proxy's. The Host header is taken as the proxy passes it on, so a
    client's own X-Forwarded-Host is never believed.
    """
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = app.config["PROXY_HOPS"]
    if not isinstance(hops, int) or hops < 0:
        raise RuntimeError(f"PROXY_HOPS must be a whole number of proxies, 0 or more, not {hops!r}")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0,
                                x_prefix=0)


def register_extensions(app: Flask) -> None:
    """Bind the extensions of app/extensions.py to this app."""
    from flask_babel import lazy_gettext

    from app.auth.services import load_session_user
    from app.extensions import (
        babel,
        configure_engine,
        csrf,
        db,
        limiter,
        login_manager,
        mail,
        migrate,
    )
    from app.main.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in.")
    login_manager.localize_callback = str  # translated when flashed, in the reader's language
    login_manager.user_loader(load_session_user)
    with app.app_context():
        configure_engine(db.engine, app.config["DATABASE_BUSY_TIMEOUT_MS"])


def register_i18n(app: Flask) -> None:
    """One language at a time: `?lang=` kept in a cookie, the language selector's helpers."""
    from app.main.i18n import register

    register(app)


def register_centres(app: Flask) -> None:
    """The centre's facts for the outbox's messages (pages take them from app/main/i18n.py)."""
    from app.centres.services import current_centre_values
    from app.notify.outbox import use_centre_values

    use_centre_values(app, current_centre_values)


def register_blueprints(app: Flask) -> None:
    """Mount each domain's pages and the JSON API; each package's blueprint comes with its views."""
    from app import admin, api, auth, booking, intake, main, stats, visits
    from app.extensions import csrf

    app.register_blueprint(main.bp)
    app.register_blueprint(intake.bp, url_prefix="/intake")
    app.register_blueprint(booking.bp, url_prefix="/booking")
    app.register_blueprint(auth.bp, url_prefix="/auth")
    app.register_blueprint(visits.bp, url_prefix="/adviser")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    app.register_blueprint(stats.bp, url_prefix="/admin")  # the dashboard is the admin's home
    csrf.exempt(api.bp)  # the API takes no cookies: JSON bodies and Bearer tokens only
    app.register_blueprint(api.bp, url_prefix="/api/v1")


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, friendly pages elsewhere; never a stack trace."""
    from app.main.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    """CSP, nosniff, frame-ancestors and Referrer-Policy on every response."""
    from app.main.security import add_security_headers

    app.after_request(add_security_headers)


def register_request_timing(app: Flask) -> None:
    """A log line for every request slower than SLOW_REQUEST_MS, with its statement count."""
    from app.extensions import db
    from app.main.timing import register

    with app.app_context():
        register(app, db.engine)


def register_template_helpers(app: Flask) -> None:
    """Filters the templates share (centre-local times, formatted numbers)."""
    from app.admin.blueprint import SECTIONS
    from app.auth.decorators import staff_home
    from app.main.filters import register

    register(app)
    app.add_template_global(staff_home)

    @app.template_global()
    def admin_sections() -> list[tuple[str, str]]:
        """The admin menu: (endpoint, label) of the sections whose view exists."""
        return [(endpoint, label) for endpoint, label in SECTIONS
                if endpoint in app.view_functions]


def register_commands(app: Flask) -> None:
    """The command line of API.md: init-db, seed-demo, create-user, create-token, ..."""
    from app.auth.commands import create_token_command, create_user_command
    from app.demo.seed import seed_demo_command
    from app.main.commands import init_db_command
    from app.notify.scheduler import scheduler_command
    from app.stats.imports import import_consultations_command

    for command in (init_db_command, seed_demo_command, create_user_command, create_token_command,
                    import_consultations_command, scheduler_command):
        app.cli.add_command(command)


def register_jobs(app: Flask) -> None:
    """Hand each domain's jobs to the scheduler (and run it in `flask run` if asked)."""
    from app.admin import retention, weekly
    from app.booking import jobs as booking_jobs
    from app.notify import relay
    from app.notify.scheduler import add_jobs, start_in_process
    from app.stats import rollup
    from app.visits import jobs as visits_jobs

    for module in (relay, booking_jobs, visits_jobs, retention, weekly, rollup):
        add_jobs(app, module.JOBS)
    start_in_process(app)
