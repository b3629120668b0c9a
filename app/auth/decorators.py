"""Guards for staff pages: signed in, and of the right role."""

from functools import wraps

from flask import abort, current_app, url_for
from flask_login import current_user

from app.extensions import login_manager
from app.states import CENTRE_STAFF


def staff_required(*roles: str):
    """Let through a signed-in staff user of one of `roles` (when none is given, a centre's
    staff: an admin or adviser; the national role, which sees no firm, must be named).

    Signed-out visitors go to the login page; a wrong role is 403.
    """

    allowed = tuple(roles) or CENTRE_STAFF

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.staff_roles = allowed
        return wrapped

    return decorator


def staff_home(user) -> str:
    """Where a staff user starts: the statistics for admins and the national office, else
    the day's agenda."""
    if (user.is_admin or user.is_national) and "stats.dashboard" in current_app.view_functions:
        return url_for("stats.dashboard")
    return url_for("visits.agenda")
