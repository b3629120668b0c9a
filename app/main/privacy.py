"""What the privacy policy states about keeping personal data: each period from its setting."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.lockout import LOCKOUT_MINUTES


def days_text(days: int) -> str:
    """'3 years (1,095 days)' for whole years, else '180 days'."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return ngettext("%(num)s year (%(days)s days)", "%(num)s years (%(days)s days)",
                        years, days=f"{days:,}")
    return ngettext("%(num)s day", "%(num)s days", days)


@dataclass(frozen=True)
class Retention:
    """One kind of record, how long it is kept and what happens then."""

    what: str
    period: str
    then: str


def retention_periods() -> list[Retention]:
    """The periods config.py sets (and app/admin/retention.py, the outbox and the sign-in
    lockout apply), in the reader's language."""
    config = current_app.config
    return [
        Retention(_("Pre-screen, booking and consultation notes"),
                  _("%(period)s from the pre-screen", period=days_text(
                      config["INTAKE_RETENTION_DAYS"])),
                  _("Names, numbers, contacts, the description and the advisers' notes are "
                    "erased; only figures that identify no one stay for the statistics "
                    "(growth stage, industry, region, founding date, employees, needs, "
                    "dates and zones of visits).")),
        Retention(_("E-mails sent to you"),
                  _("%(period)s from sending", period=days_text(config["OUTBOX_KEEP_DAYS"])),
                  _("The address, subject and text are erased.")),
        Retention(_("Past consultations imported from the centre's records"),
                  _("%(period)s from the consultation day", period=days_text(
                      config["IMPORT_RETENTION_DAYS"])),
                  _("The firm's name, business number and summary are erased; the figures "
                    "stay.")),
        Retention(_("Failed staff sign-ins"),
                  ngettext("%(num)s minute after the last failure",
                           "%(num)s minutes after the last failure", LOCKOUT_MINUTES),
                  _("They stop counting then, and are deleted at the next failed sign-in.")),
        Retention(_("Staff accounts and the audit log"),
                  _("As long as the service runs"),
                  _("A staff member who leaves is deactivated, not deleted, so the audit log "
                    "can still say who changed what.")),
    ]
