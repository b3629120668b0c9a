"""The pre-screen (사전문진): the form, growth stage, routing and stored intakes."""

from app.intake import views

bp = views.bp
# The modules that declare the blueprint's routes: importing them is what attaches them.
VIEWS = (views,)
