"""Which centre a staff request is for, resolved once from the signed-in user.

An admin or adviser belongs to one centre (`users.centre_id`): every staff page and call of
theirs is about that centre, whatever it names. Naming another centre (`?centre=CODE`, a
body's or an import row's `centre`) is 403 `forbidden` and changes nothing; naming their
own is allowed. An unknown code is 404 `not_found`. The national programme office belongs
to no centre: it reads the default centre's figures, one centre's (`centre=CODE`), a set
(`centre=a,b`) or the whole network (`centre=all`), and never a firm's personal data (the
guards keep it off those pages: app/auth/decorators.py).

Views call `staff_centre()` or `stats_scope()` once and pass the result down as a value;
services filter by the id they are given (app/centres/services.py's rule for the public).
"""

from dataclasses import dataclass

from flask import g, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import select

from app.centres.errors import UnknownCentre
from app.centres.models import Centre
from app.centres.services import CentreFacts, centre_by_code, current_centre
from app.errors import DomainError
from app.extensions import db

ALL = "all"
_STAFF_CACHE = "onestop_staff_centre"


class OtherCentre(DomainError, PermissionError):
    """A centre's staff named another centre (API: 403 `forbidden`; a page: 403)."""

    status, code = 403, "forbidden"

    def __init__(self, centre: str):
        super().__init__(_("You may act only for your own centre, not %(code)s.",
                           code=repr(centre)))
        self.centre = centre


def _facts_by_id(centre_id: int) -> CentreFacts:
    centre = db.session.get(Centre, centre_id)
    if centre is None:  # the foreign key forbids it; a deleted row is no centre at all
        raise UnknownCentre(str(centre_id))
    return CentreFacts.of(centre)


def _named(code: str | None) -> str | None:
    if code is None and has_request_context():
        code = request.args.get("centre")
    return code.strip() if isinstance(code, str) and code.strip() else None


def own_centre(user, code: str | None = None) -> CentreFacts:
    """The centre of an admin's or adviser's request: their own. `code` (else the query's
    `?centre=`) may name it; naming another is OtherCentre (403), an unknown code 404.
    Their centre counts even when it is inactive (its staff still wind it down)."""
    mine = g.get(_STAFF_CACHE)
    if mine is None or mine.id != user.centre_id:
        mine = _facts_by_id(user.centre_id)
        setattr(g, _STAFF_CACHE, mine)
    code = _named(code)
    if code is not None and code != mine.code:
        if code == ALL or "," in code:  # the network, or a set: more than their own centre
            raise OtherCentre(code)
        if db.session.scalar(select(Centre.id).where(Centre.code == code)) is None:
            raise UnknownCentre(code)
        raise OtherCentre(code)
    return mine


def staff_centre(user, code: str | None = None) -> CentreFacts:
    """The one centre a staff request is about: an admin's or adviser's own (see
    `own_centre`), or for the national office the centre named (else the default one)."""
    if user.centre_id is not None:
        return own_centre(user, code)
    code = _named(code)
    return centre_by_code(code) if code is not None else current_centre()


@dataclass(frozen=True)
class StatsScope:
    """The centres a statistics request reads: one, a chosen set, or the whole network.

    `centres` are the centres in it (by code); `network` says that it is every centre (the
    ministry's table); `ids` are what the queries filter by (None: no filter, every centre).
    """

    centres: tuple[CentreFacts, ...]
    network: bool = False

    @property
    def ids(self) -> tuple[int, ...] | None:
        return None if self.network else tuple(c.id for c in self.centres)

    @property
    def single(self) -> CentreFacts | None:
        """The one centre, when the scope is one centre (not the network)."""
        return self.centres[0] if len(self.centres) == 1 and not self.network else None

    @property
    def key(self) -> str:
        """The scope as the `centre` parameter says it (`all`, `a,b` or one code)."""
        return ALL if self.network else ",".join(c.code for c in self.centres)


def _all_centres() -> tuple[CentreFacts, ...]:
    return tuple(CentreFacts.of(c) for c in db.session.scalars(
        select(Centre).order_by(Centre.code)))


def stats_scope(user, code: str | None = None) -> StatsScope:
    """The centres a statistics page or call reads for this user: an admin their own centre
    (another is 403); the national office the default centre, `CODE`, `a,b` or `all`."""
    if user.centre_id is not None:
        return StatsScope((own_centre(user, code),))
    code = _named(code)
    if code is None:
        return StatsScope((current_centre(),))
    if code == ALL:
        return StatsScope(_all_centres(), network=True)
    codes = list(dict.fromkeys(part.strip() for part in code.split(",") if part.strip()))
    known = {c.code: c for c in _all_centres()}
    for one in codes:
        if one not in known:
            raise UnknownCentre(one)
    return StatsScope(tuple(known[one] for one in sorted(codes)))
