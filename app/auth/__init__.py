"""Staff sign-in, roles, API tokens and the audit log."""

from app.auth import views

bp = views.bp
# The modules that declare the blueprint's routes: importing them is what attaches them.
VIEWS = (views,)
