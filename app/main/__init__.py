"""The home page and what every page shares: errors, security headers, filters."""

from app.main import views

bp = views.bp
# The modules that declare the blueprint's routes: importing them is what attaches them.
VIEWS = (views,)
