"""The adviser's side of a visit: agenda, availability, check-in, no-show, outcomes."""

from app.visits import views, views_schedule

bp = views.bp
# The modules that declare the blueprint's routes: importing them is what attaches them.
VIEWS = (views, views_schedule)
