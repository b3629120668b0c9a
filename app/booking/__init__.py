"""Bookings: one visit covering several zones, cancel, reschedule and the waitlist."""

from app.booking import views, views_confirm, views_offer

bp = views.bp
# The modules that declare the blueprint's routes: importing them is what attaches them.
VIEWS = (views, views_confirm, views_offer)
