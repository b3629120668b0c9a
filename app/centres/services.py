"""Which centre a request is for, and the centre's facts as pages and messages show them.

One deployment holds one centre for now: the default centre (DEFAULT_CENTRE, else the first
centre made) is every request's. Its facts are read once per request (or job) and kept on
`flask.g` as plain values (`CentreFacts`), which no commit, rollback or closed session
changes. A page whose database is busy or emptied still shows the centre made from the
CENTER_* settings.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields

from flask import current_app, g, has_app_context
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.centres.models import Centre, tel_url
from app.extensions import db
from app.transactions import side_read

log = logging.getLogger(__name__)

# The centre a database is given when it has none (the migration that made the table did
# the same with its own copy of these rules).
DEFAULT_CODE = "gyeongnam"
_CACHE = "onestop_centre"


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
