"""What staff are told once the bookings a closure or time off left behind are settled."""

from flask import flash
from flask_babel import gettext as _
from flask_babel import ngettext

from app.booking.handover import Settled


def flash_settled(settled: Settled) -> None:
    """One line per kind of action taken, and one per firm that has no e-mail to write to."""
    if settled.told:
        flash(ngettext("%(num)d firm is told (see the outbox).",
                       "%(num)d firms are told (see the outbox).",
                       len({a.booking_id for a in settled.told})), "success")
    if settled.reassigned:
        flash(ngettext("%(num)d consultation handed over; the firm is told.",
                       "%(num)d consultations handed over; the firms are told.",
                       len(settled.reassigned)), "success")
    for appointment in settled.no_email:
        intake = appointment.booking.intake
        flash(_("%(company)s left no e-mail: call %(phone)s.",
                company=intake.company_name or "", phone=intake.phone or "-"), "info")
    if not (settled.told or settled.reassigned or settled.no_email):
        flash(_("Nothing changed."), "info")
