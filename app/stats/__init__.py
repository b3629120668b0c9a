"""Statistics: the figures, their rollup, the dashboard, exports, the import and the digest."""

from app.stats import views

bp = views.bp
# The modules that declare the blueprint's routes: importing them is what attaches them.
VIEWS = (views,)
