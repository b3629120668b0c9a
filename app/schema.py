"""The whole schema: every domain's models module, named in one place."""

from sqlalchemy import MetaData
from sqlalchemy.orm import configure_mappers

from app.auth import models as auth
from app.booking import models as booking
from app.centres import models as centres
from app.intake import models as intake
from app.models import Base
from app.notify import models as notify
from app.stats import models as stats
from app.visits import models as visits
from app.zones import models as zones

MODULES = (auth, booking, centres, intake, notify, stats, visits, zones)


def load_models() -> MetaData:
    """The metadata of every table, for create_all and Alembic, with each relationship
    resolved now: a model module missing from MODULES fails here, not at the first query."""
    configure_mappers()
    return Base.metadata
