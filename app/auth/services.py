"""Staff accounts and API tokens."""

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.auth.audit import record_change
from app.auth.errors import AccountError
from app.auth.models import ROLES, ApiToken, User
from app.centres.models import Centre
from app.centres.services import default_centre
from app.extensions import db
from app.states import Role
from app.tokens import hash_token, new_token
from app.zones.models import Adviser, Institution, Zone

MIN_PASSWORD_LENGTH = 10


def load_session_user(session_id: str) -> User | None:
    """The user a session cookie names, if its session version is still current."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def find_user(email: str) -> User | None:
    """The staff user with this e-mail address (case-insensitive)."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    email: str,
    role: str,
    password: str,
    name: str | None = None,
    zone_code: str | None = None,
    institution_id: int | None = None,
    centre_code: str | None = None,
) -> User:
    """A new staff user; an adviser also gets the adviser record of their zone. An admin or
    adviser belongs to the centre named (the default centre when none is); the national
    programme office belongs to none and has no zone."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(_("Role must be one of %(roles)s.", roles=", ".join(ROLES)))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("The password needs at least %(count)s characters.",
                              count=MIN_PASSWORD_LENGTH))
    if "@" not in email:
        raise AccountError(_("Not an e-mail address."))
    if find_user(email):
        raise AccountError(_("This user exists already: %(email)s", email=email))
    zone = institution = centre = None
    if role == Role.NATIONAL:
        if centre_code or zone_code or institution_id is not None:
            raise AccountError(_("The national role belongs to no centre and no zone."))
    else:
        centre = (db.session.scalar(select(Centre).where(Centre.code == centre_code))
                  if centre_code else default_centre())
        if centre is None:
            raise AccountError(_("Unknown centre: %(centre)s", centre=centre_code or "-"))
    if role == Role.ADVISER:
        if not zone_code:
            raise AccountError(_("An adviser needs a zone (--zone)."))
        zone = db.session.scalar(select(Zone).where(
            Zone.centre_id == centre.id, Zone.code == zone_code))
        if zone is None:
            raise AccountError(_("Unknown zone: %(zone)s", zone=zone_code))
        if institution_id is not None:
            institution = db.session.get(Institution, institution_id)
            if institution is None or institution.zone_id != zone.id:
                raise AccountError(_("No such institution in this zone: %(institution)s",
                                      institution=institution_id))
    user = User(
        email=email,
        name=name or email.split("@")[0],
        role=role,
        centre_id=centre.id if centre is not None else None,
        password_hash=generate_password_hash(password, method="scrypt"),
    )
    db.session.add(user)
    if zone is not None:
        db.session.add(Adviser(user=user, name=user.name, zone=zone, institution=institution))
    db.session.commit()
    return user


def create_api_token(user: User, name: str = "") -> str:
    """A new Bearer token for the user; the plain token is returned once and never stored."""
    token, digest = new_token()
    api_token = ApiToken(user=user, token_hash=digest, name=name)
    db.session.add(api_token)
    db.session.flush()
    record_change(user, "create_token", "api_token", api_token.id, after={"name": name})
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    """The active user a Bearer token belongs to, unless it was revoked."""
    api_token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    if api_token is None or not api_token.user.active:
        return None
    return api_token.user
