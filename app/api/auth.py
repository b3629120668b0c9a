"""Bearer-token guard for the staff API."""

from functools import wraps

from flask import g, request
from flask_babel import gettext as _

from app.api.errors import ApiError
from app.auth.services import user_for_token
from app.states import CENTRE_STAFF


def api_staff(*roles: str):
    """Require `Authorization: Bearer <token>` of an active staff user of one of `roles`.

    No roles named means a centre's staff (admin or adviser), never the national role.
    No or an unknown token is 401 unauthorized; a token of another role is 403 forbidden.
    The user is in `g.api_user`.
    """

    allowed = tuple(roles) or CENTRE_STAFF

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
            user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
            if user is None:
                raise ApiError(401, "unauthorized", _("A valid Bearer token is needed."))
            if user.role not in allowed:
                raise ApiError(403, "forbidden", _("This token may not do this."))
            g.api_user = user
            return view(*args, **kwargs)

        wrapped.staff_roles = allowed
        return wrapped

    return decorator
