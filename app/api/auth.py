"""Bearer-token guard for the staff API."""

from functools import wraps

from flask import g, request

from app.api.errors import ApiError
from app.auth.services import user_for_token
from app.states import Role


def api_staff(*roles: str):
    """Require `Authorization: Bearer <token>` of an active staff user of one of `roles`.

    No or an unknown token is 401 unauthorized; a token of another role is 403 forbidden.
    The user is in `g.api_user`.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
            if user is None:
                raise ApiError(401, "unauthorized",
                               "유효한 API 토큰이 필요합니다. / A valid Bearer token is needed.")
            if roles and user.role not in roles:
                raise ApiError(403, "forbidden",
                               "이 기능을 쓸 권한이 없습니다. / This token may not do this.")
            g.api_user = user
            return view(*args, **kwargs)

        wrapped.staff_roles = roles or tuple(Role)
        return wrapped

    return decorator
