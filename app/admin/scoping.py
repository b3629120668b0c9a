"""Which centre a management call acts in, whose rows are whose, and who keeps the
national rows (the needs and the base routing rules): the one place app/admin's services
ask. A view resolves the signed-in admin's centre once (app/centres/scope.py) and passes its
id; a service given none acts in the actor's own centre (None for the national office)."""

from sqlalchemy import func, select

from app.auth.models import User
from app.centres.models import Centre
from app.centres.services import default_centre_id
from app.extensions import db
from app.zones.models import Adviser, Institution, Zone

ANY_CENTRE = object()  # get_row's `centre_id` when the row's centre does not matter


def scope_of(actor: User, centre_id: int | None) -> int | None:
    """The centre a management call acts in: the one the view resolved, else the actor's own
    (None: the national office's national rows)."""
    return centre_id if centre_id is not None else actor.centre_id


def centre_of(row) -> int | None:
    """The centre a managed row belongs to (None: national, such as a need or a base rule)."""
    if isinstance(row, Zone | Centre):
        return row.centre_id if isinstance(row, Zone) else row.id
    if isinstance(row, Institution | Adviser):
        return row.zone.centre_id
    return getattr(row, "centre_id", None)


def network_size() -> int:
    """How many centres the deployment holds."""
    return db.session.scalar(select(func.count(Centre.id))) or 0


def keeps_national(actor: User) -> bool:
    """Whether the actor keeps the national rows (the needs and the base routing rules): the
    national office, or the admin of a deployment of one centre (the network is theirs)."""
    return actor.is_national or (actor.is_admin and network_size() <= 1)


def national_zones() -> list[Zone]:
    """One zone of each code in the network (the default centre's first), in display
    order: what a national row (a need, a base rule) points at."""
    default = default_centre_id()
    zones = db.session.scalars(select(Zone).order_by(Zone.centre_id != default, Zone.centre_id,
                                                     Zone.sort_order, Zone.id))
    seen: dict[str, Zone] = {}
    for zone in zones:
        seen.setdefault(zone.code, zone)
    return sorted(seen.values(), key=lambda z: (z.centre_id != default, z.sort_order, z.id))


# The zone types a centre picks from (API.md's Centres): the three classic zones, the tax
# (세무) and labour (노무) zones of the one-stop support centres; a centre may make new ones.
ZONE_TYPES = ("legal", "finance", "patent", "tax", "labour")


def zone_types(centre_id: int) -> list[str]:
    """The zone codes a centre may still make: the known types and the network's other
    centres' codes it has none of yet."""
    used = set(db.session.scalars(select(Zone.code).where(Zone.centre_id == centre_id)))
    known = list(ZONE_TYPES) + sorted(set(db.session.scalars(select(Zone.code))) - set(ZONE_TYPES))
    return [code for code in known if code not in used]
