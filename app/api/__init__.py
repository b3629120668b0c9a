"""The JSON API v1 over the same services and forms as the pages (see API.md)."""

from app.api import staff, stats, views

bp = views.bp
# The modules that declare the blueprint's routes: importing them is what attaches them.
VIEWS = (views, staff, stats)
