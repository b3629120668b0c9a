"""Why a visit was cancelled, as `bookings.cancel_reason` keeps it: the firm's own words as
typed, or the code of a reason when Onestop cancelled it, shown in the reader's language
(the page's on the booking page, the pre-screen's in the e-mail)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class CancelReason(StrEnum):
    """A cancellation Onestop made itself."""

    ADVISER_SCHEDULE = "adviser_schedule"  # a change of the adviser's hours left no room


SENTENCES = {CancelReason.ADVISER_SCHEDULE: _l("The adviser's schedule changed")}
# What such a booking holds when it was cancelled before the pages spoke one language.
_STORED_BEFORE = {"상담위원 일정 변경 / The adviser's schedule changed":
                  CancelReason.ADVISER_SCHEDULE}


def reason_text(stored: str | None) -> str | None:
    """A reason Onestop stored, in the reader's language; None for the firm's own words
    (shown as typed, `translate="no"`) and for no reason."""
    if not stored:
        return None
    sentence = SENTENCES.get(_STORED_BEFORE.get(stored, stored))
    return str(sentence) if sentence is not None else None
