"""Administration: the management screens, the outbox screen and the audit log."""

from app.admin import (
    blueprint,
    views_centre,
    views_manage,
    views_manage_people,
    views_manage_routing,
    views_network,
    views_outbox,
)

bp = blueprint.bp
# The modules that declare the blueprint's routes: importing them is what attaches them.
VIEWS = (views_centre, views_manage, views_manage_people, views_manage_routing, views_network,
         views_outbox)
