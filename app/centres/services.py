"""Which centre a request is for, and the centre's facts as pages and messages show them.

A deployment holds the network's centres. A request names its centre with `centre` (query
parameter, or a JSON body's field): `request_centre()` resolves it once and keeps it on
`flask.g`, and services are given its id as a value. A request that names none is the
default centre's (DEFAULT_CENTRE, else the first centre made), and so is `current_centre()`,
whose facts every page and message shows for now. Facts are read once per request (or
job) and kept on `flask.g` as plain values (`CentreFacts`), which no commit, rollback or
closed session changes. A page whose database is busy or emptied still shows the centre
made from the CENTER_* settings.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.centres.errors import UnknownCentre
from app.centres.models import Centre, tel_url
from app.extensions import db
from app.transactions import side_read

log = logging.getLogger(__name__)

# The centre a database is given when it has none (the migration that made the table did
# the same with its own copy of these rules).
DEFAULT_CODE = "gyeongnam"
_CACHE = "onestop_centre"
_REQUEST_CACHE = "onestop_request_centre"
_BY_ID_CACHE = "onestop_centres_by_id"


@dataclass(frozen=True)
class CentreFacts:
    """A centre's facts as values (what a page, a message or a service is given)."""

    id: int | None
    code: str
    name: str
    name_en: str = ""
    region: str = ""
    address: str = ""
    address_en: str = ""
    phone: str = ""
    hours: str = ""
    hours_en: str = ""
    directions_url: str = ""
    privacy_officer: str = ""
    privacy_department: str = ""
    privacy_phone: str = ""
    privacy_email: str = ""
    active: bool = True

    @classmethod
    def of(cls, centre: Centre) -> "CentreFacts":
        """The facts of a centre row."""
        return cls(**{f.name: getattr(centre, f.name) for f in fields(cls)})

    @property
    def tel_url(self) -> str:
        """The phone as a `tel:` link, or '' without a phone."""
        return tel_url(self.phone)


def region_of(address: str) -> str:
    """The 시·도 an address starts with ('경상남도 창원시 …' -> '경상남도'), or ''."""
    first = address.split(maxsplit=1)[0] if address.strip() else ""
    return first if first.endswith(("도", "시")) else ""


def initial_values(config: Mapping) -> dict:
    """The first centre's facts from the CENTER_* settings (the rest an admin fills in)."""
    address = config.get("CENTER_ADDRESS") or ""
    return {"code": config.get("DEFAULT_CENTRE") or DEFAULT_CODE,
            "name": config.get("CENTER_NAME") or "", "name_en": config.get("CENTER_NAME_EN") or "",
            "region": region_of(address), "address": address,
            "phone": config.get("CENTER_PHONE") or "", "active": True}


def default_centre(session: Session | None = None) -> Centre | None:
    """The centre a request names none for: DEFAULT_CENTRE's, else the first centre made."""
    session = session or db.session()
    code = current_app.config.get("DEFAULT_CENTRE")
    if code:
        centre = session.scalar(select(Centre).where(Centre.code == code))
        if centre is not None:
            return centre
    return session.scalar(select(Centre).order_by(Centre.id).limit(1))


def default_centre_id(context=None) -> int | None:
    """The default centre's id, as the column default of every centre-owned row made without
    one (a zone, closure, routing rule or pre-screen of a one-centre deployment). Read on the
    connection of the insert (`context`, SQLAlchemy's execution context) when there is one."""
    code = current_app.config.get("DEFAULT_CENTRE") if has_app_context() else None
    run = context.connection.scalar if context is not None else db.session.scalar
    found = run(select(Centre.id).where(Centre.code == code)) if code else None
    return found if found is not None else run(select(Centre.id).order_by(Centre.id).limit(1))


def default_centre_id_sql():
    """The default centre's id as a scalar subquery (a statement asks for it in passing):
    DEFAULT_CENTRE's row first, else the first centre made."""
    code = current_app.config.get("DEFAULT_CENTRE") or ""
    return (select(Centre.id).order_by((Centre.code != code), Centre.id).limit(1)
            .scalar_subquery())


def _from_settings() -> CentreFacts:
    return CentreFacts(id=None, **initial_values(current_app.config))


def _read() -> CentreFacts:
    """Inside the caller's transaction, read there (a failure is the caller's). Outside one,
    read on a deferred connection of its own, closed at once: a page or the relay then opens
    no transaction that would stay open (on SQLite jobs and posts begin IMMEDIATE, holding
    the write lock), and a busy or unreachable database shows the settings' centre."""
    if db.session().in_transaction():
        centre = default_centre()
        return CentreFacts.of(centre) if centre else _from_settings()
    try:
        with side_read() as own:
            centre = default_centre(own)
            return CentreFacts.of(centre) if centre else _from_settings()
    except OperationalError as error:
        log.warning("centre facts unavailable, the settings' shown: %s",
                    str(error.orig).splitlines()[0])
        return _from_settings()


def current_centre() -> CentreFacts:
    """The centre of this request or job, read once and kept for its duration."""
    centre = g.get(_CACHE)
    if centre is None:
        centre = _read()
        setattr(g, _CACHE, centre)
    return centre


def forget_current_centre() -> None:
    """Read the centre afresh next time (after its facts changed)."""
    g.pop(_CACHE, None)
    g.pop(_REQUEST_CACHE, None)
    g.pop(_BY_ID_CACHE, None)


def _active_by_code(code: str) -> CentreFacts | None:
    query = select(Centre).where(Centre.code == code, Centre.active)
    if db.session().in_transaction():
        centre = db.session.scalar(query)
        return CentreFacts.of(centre) if centre else None
    with side_read() as own:
        centre = own.scalar(query)
        return CentreFacts.of(centre) if centre else None


def centre_by_code(code: str) -> CentreFacts:
    """The active centre of a code; UnknownCentre (404) for any other code."""
    centre = _active_by_code(code) if isinstance(code, str) and len(code) <= 32 else None
    if centre is None:
        raise UnknownCentre(code if isinstance(code, str) else str(code))
    return centre


def request_centre(code: str | None = None) -> CentreFacts:
    """The centre this request is for, resolved once and kept for the request: the code
    given (a JSON body's `centre`), else the query's `?centre=CODE`, else the default
    centre. An unknown or inactive code is UnknownCentre (404 `not_found`)."""
    centre = g.get(_REQUEST_CACHE)
    if centre is not None and (code is None or code == centre.code):
        return centre
    if code is None and has_request_context():
        code = request.args.get("centre")
    centre = current_centre() if code is None or code == "" else centre_by_code(code)
    setattr(g, _REQUEST_CACHE, centre)
    return centre


def centre_by_id(centre_id: int | None) -> CentreFacts:
    """The facts of the centre of a row (a pre-screen's, a booking's), active or not, read
    once per request or job; the default centre's for None (a row not flushed yet, whose
    column default is the default centre); UnknownCentre for an id no centre has."""
    if centre_id is None:
        return current_centre()
    default = current_centre()  # read once per request or job anyway: most rows are its
    if default.id == centre_id:
        return default
    known = g.setdefault(_BY_ID_CACHE, {})
    if centre_id not in known:
        centre = db.session.get(Centre, centre_id)
        if centre is None:
            raise UnknownCentre(str(centre_id))
        known[centre_id] = CentreFacts.of(centre)
    return known[centre_id]


def centre_or_default(centre_id: int | None):
    """A query's centre: the id a service was given, else the default centre's as a scalar
    subquery (a caller of a one-centre deployment names none; it costs no statement)."""
    return centre_id if centre_id is not None else default_centre_id_sql()


def list_centres() -> list[CentreFacts]:
    """The active centres, by code."""
    return [CentreFacts.of(c) for c in db.session.scalars(
        select(Centre).where(Centre.active).order_by(Centre.code))]


def is_network() -> bool:
    """Whether this deployment serves more than one active centre (then pages name theirs)."""
    return len(db.session.scalars(select(Centre.id).where(Centre.active).limit(2)).all()) > 1


def ensure_centre() -> Centre:
    """The default centre's row, made from the settings if the database holds none; commits
    only when it made one (so `init-db` and `seed-demo` may run again)."""
    centre = default_centre()
    if centre is None:
        centre = Centre(**initial_values(current_app.config))
        db.session.add(centre)
        db.session.commit()
        forget_current_centre()
    return centre


def centre_values(centre: CentreFacts) -> dict:
    """The centre's facts as the plain values a message shows (see app/notify/outbox.py)."""
    return {"center_name": centre.name, "center_name_en": centre.name_en,
            "center_address": centre.address, "center_address_en": centre.address_en,
            "center_phone": centre.phone, "center_hours": centre.hours,
            "center_hours_en": centre.hours_en}


def current_centre_values() -> dict:
    """The facts of this request's or job's centre, for the outbox."""
    return centre_values(current_centre())
