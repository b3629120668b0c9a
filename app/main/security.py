"""Security headers sent with every response."""

from urllib.parse import urlsplit

from flask import Response, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def add_security_headers(response: Response) -> Response:
    """Set CSP, nosniff, frame and referrer policies (without replacing a view's own).

    Every response but the static files is `no-store`: pages and answers carry personal
    data or private tokens (a booking's link, a new API token) more often than not, and no
    shared cache or back button should keep them. HSTS is sent when HSTS_SECONDS is set (the
    production default), for proxies that do not add it themselves.
    """
    headers = response.headers
    if request.endpoint != "static":
        headers.setdefault("Cache-Control", "no-store")
    if seconds := current_app.config.get("HSTS_SECONDS"):
        headers.setdefault("Strict-Transport-Security", f"max-age={int(seconds)}")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def safe_local_path(target: str | None) -> str | None:
    """A redirect target only if it is a path on this site (no scheme, no host, no '//')."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(char < " " or char == "\x7f" for char in target):
        return None  # a CR or LF would split the Location header
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and "\\" not in target else None
