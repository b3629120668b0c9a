"""Which centre a request is for, and the centre's facts as pages and messages show them.

One deployment holds one centre for now: the default centre (DEFAULT_CENTRE, else the first
centre made) is every request's. It is looked up once per request (or job) and kept on
`flask.g`; a page with no centre row at all (a database someone emptied) still shows the
centre made from the CENTER_* settings, unsaved.
"""

from collections.abc import Mapping

from flask import current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.centres.models import Centre
from app.extensions import db

# The centre a database is given when it has none (the migration that made the table did
# the same with its own copy of these rules).
DEFAULT_CODE = "gyeongnam"
_CACHE = "onestop_centre"
_VALUES = "onestop_centre_values"


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


def current_centre() -> Centre:
    """The centre of this request or job, looked up once and kept for its duration."""
    centre = g.get(_CACHE)
    if centre is None:
        centre = default_centre() or Centre(**initial_values(current_app.config))
        setattr(g, _CACHE, centre)
    return centre


def forget_current_centre() -> None:
    """Look the centre up afresh next time (after its facts changed)."""
    g.pop(_CACHE, None)
    g.pop(_VALUES, None)


def ensure_centre() -> Centre:
    """The default centre, made from the settings if the database holds none; commits only
    when it made one (so `init-db` and `seed-demo` may run again)."""
    centre = default_centre()
    if centre is None:
        centre = Centre(**initial_values(current_app.config))
        db.session.add(centre)
        db.session.commit()
        forget_current_centre()
    return centre


def centre_values(centre: Centre) -> dict:
    """The centre's facts as the plain values a message shows (see app/notify/outbox.py)."""
    return {"center_name": centre.name, "center_name_en": centre.name_en,
            "center_address": centre.address, "center_address_en": centre.address_en,
            "center_phone": centre.phone, "center_hours": centre.hours,
            "center_hours_en": centre.hours_en}


def current_centre_values() -> dict:
    """The facts of this request's or job's centre, for the outbox, kept for its duration.

    The relay renders a message outside any transaction and then talks to the mail server;
    a read here on its session would open a transaction (on SQLite one that holds the write
    lock, as jobs begin IMMEDIATE) for all that time. So outside a transaction the facts are
    read on a session of their own, closed at once.
    """
    values = g.get(_VALUES)
    if values is None:
        if db.session().in_transaction():
            values = centre_values(current_centre())
        else:
            with Session(db.engine) as own:
                centre = default_centre(own) or Centre(**initial_values(current_app.config))
                values = centre_values(centre)
        setattr(g, _VALUES, values)
    return values
