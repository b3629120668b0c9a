"""Bookings: one visit covering several zones, cancel, reschedule and the waitlist."""
