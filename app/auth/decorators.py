"""Guards for staff pages: signed in, and of the right role."""

from functools import wraps

from flask import abort, current_app, url_for
from flask_login import current_user

from app.extensions import login_manager
from app.states import Role


def staff_required(*roles: str):
    """Let through a signed-in staff user of one of `roles` (any role when none is given).

    Signed-out visitors go to the login page; a wrong role is 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.staff_roles = roles or tuple(Role)
        return wrapped

    return decorator


def staff_home(user) -> str:
    """Where a staff user starts: the admin dashboard for admins, else the day's agenda."""
    if user.is_admin and "stats.dashboard" in current_app.view_functions:
        return url_for("stats.dashboard")
    return url_for("visits.agenda")
