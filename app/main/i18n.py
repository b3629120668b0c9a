"""One language at a time: which one a request gets, and the header's switch between them.

A page speaks the language of its `?lang=` (remembered in a cookie), else of that cookie,
else the best of `Accept-Language`, else Korean. The API takes no cookies and no `?lang=`:
its messages follow `Accept-Language` alone (API.md). Jobs and commands, which have no
reader, speak Korean.
"""

import logging
from pathlib import Path
from urllib.parse import quote, urlencode

from babel import Locale
from flask import (
    Flask,
    Response,
    current_app,
    has_app_context,
    has_request_context,
    request,
    request_started,
)
from flask_babel import get_locale, refresh
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context

from app.centres.errors import UnknownCentre
from app.centres.models import Centre, tel_url
from app.centres.services import CentreFacts, centre_by_id, current_centre, request_centre

log = logging.getLogger(__name__)
COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language named in itself, as the language selector shows it (never by a flag).
AUTONYMS = {"ko": "한국어", "en": "English"}


def _is_api() -> bool:
    return request.path.startswith("/api/")


def requested_language() -> str | None:
    """The language a page's `?lang=` names, or None when it names none we have."""
    if not has_request_context() or _is_api():
        return None
    value = request.args.get("lang", "")
    return value if value in current_app.config["LANGUAGES"] else None


def select_locale() -> str | None:
    """Flask-Babel's locale selector (None means the default, Korean)."""
    if not has_request_context():
        return None
    languages = current_app.config["LANGUAGES"]
    if not _is_api():
        chosen = requested_language() or request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
        if chosen in languages:
            return chosen
    return request.accept_languages.best_match(languages)


def select_timezone() -> str:
    """People read the centre's clock (CENTER_TIMEZONE), whatever their language."""
    return current_app.config["CENTER_TIMEZONE"]


def current_locale() -> Locale:
    """The locale in force: the request's, else the default (in a job or outside the app)."""
    locale = get_locale() if has_app_context() else None
    return locale or Locale.parse("ko")


def current_language() -> str:
    """'ko' or 'en': the language of this page (`<html lang>`)."""
    return current_locale().language


def localized(korean, english=None):
    """Data kept in two columns (`name`, `name_en`): the English one on an English page when
    there is one, else the Korean."""
    if english and current_language() == "en":
        return english
    return korean


# What a page's template names the things it shows, whose centre is the page's centre.
_OF_A_CENTRE = ("intake", "booking", "entry")


@pass_context
def page_centre(context) -> CentreFacts:
    """The centre a page is about: the one its view gives (`centre`), else the centre of the
    pre-screen, booking or waitlist entry it shows, else the request's (`?centre=CODE`),
    else the signed-in staff member's centre, else the default centre. So a second centre's
    booking pages, and its staff's pages, name that centre."""
    given = context.get("centre")
    if isinstance(given, CentreFacts):
        return given
    if isinstance(given, Centre):
        return CentreFacts.of(given)
    for name in _OF_A_CENTRE:
        shown = context.get(name)
        intake = getattr(shown, "intake", shown)
        centre_id = getattr(intake, "centre_id", None)
        if isinstance(centre_id, int):
            return centre_by_id(centre_id)
    if has_request_context() and not request.args.get("centre"):
        staff_centre_id = getattr(current_user, "centre_id", None)
        if isinstance(staff_centre_id, int):  # a centre's staff: their own centre's pages
            return centre_by_id(staff_centre_id)
    try:
        return request_centre() if has_request_context() else current_centre()
    except UnknownCentre:  # the view has answered 404 already; this is its error page
        return current_centre()


@pass_context
def centre_arg(context) -> str | None:
    """The page's centre as the `centre` of a link into the pre-screen: its code, or None
    for the default centre (whose links stay as they were before the network)."""
    centre = page_centre(context)
    return centre.code if centre.code != current_centre().code else None


@pass_context
def centre_name(context) -> str:
    """The page's centre's name in the page's language (the centre's row: app/centres)."""
    centre = page_centre(context)
    return localized(centre.name, centre.name_en)


@pass_context
def centre_address(context) -> str:
    """The page's centre's address in the page's language (the Korean one when no English
    is kept)."""
    centre = page_centre(context)
    return localized(centre.address, centre.address_en)


def language_choices() -> list[dict]:
    """The language selector's links: this very page (path and query kept) in each language."""
    here = quote(f"{request.script_root}{request.path}", safe="/:@!$&'()*+,;=-._~")
    kept = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    current = current_language()
    return [{"code": code, "name": AUTONYMS.get(code, code), "current": code == current,
             "url": f"{here}?{urlencode([*kept, ('lang', code)])}"}
            for code in current_app.config["LANGUAGES"]]


def remember_language(response: Response) -> Response:
    """Keep a page's `?lang=` in the cookie, and tell caches the answer depends on language."""
    if request.endpoint == "static":
        return response
    name = current_app.config["LANGUAGE_COOKIE"]
    chosen = requested_language()
    if chosen and request.cookies.get(name) != chosen:
        response.set_cookie(name, chosen, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    response.vary.add("Accept-Language")
    if not _is_api():
        response.vary.add("Cookie")
    response.headers.setdefault("Content-Language", current_language())
    return response


def missing_catalogues(app: Flask) -> list[str]:
    """The compiled catalogues (.mo) that are absent or older than their .po."""
    root = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    missing = []
    for language in app.config["LANGUAGES"]:
        po = root / language / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            missing.append(str(mo))
    return missing


def _forget_locale(*_args, **_extra) -> None:
    """Choose the locale afresh for each request: one may run inside an application context
    that an earlier request, a job or a test had already given a locale."""
    refresh()


def _json_with_lazy_strings(app: Flask) -> None:
    """A lazy_gettext message (a form's, a validator's) goes into JSON as the reader's text."""
    default = app.json.default

    def lazy_as_text(value):
        return str(value) if isinstance(value, LazyString) else default(value)

    app.json.default = lazy_as_text


def register(app: Flask) -> None:
    """The cookie, the template helpers, lazy messages in JSON, and a warning when the
    catalogues are not compiled."""
    _json_with_lazy_strings(app)
    request_started.connect(_forget_locale, app)
    app.teardown_request(_forget_locale)
    app.after_request(remember_language)
    for helper in (current_language, language_choices, localized, centre_name, centre_address,
                   page_centre, centre_arg, current_centre, tel_url):
        app.add_template_global(helper)
    if stale := missing_catalogues(app):
        log.warning("translations not compiled (pages fall back to English): %s; "
                    "run `make compile-translations`", ", ".join(stale))
