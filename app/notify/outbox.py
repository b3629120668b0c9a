"""The outbox: a message is written as a row in the caller's transaction, rendered later.

The row records what to say (the template, its values and the calendar entries, as JSON in
`content`); the relay renders subject, bodies and calendar files when it sends, outside any
write transaction, and keeps what it rendered on the row. So a booking holds the write lock
for one INSERT, not for template rendering and iCalendar serialisation.

Templates come in pairs, `templates/notify/<name>.txt` and `.html`, written once with
`_()`/`{% trans %}` and rendered under the message's language (recorded with its content:
the pre-screen's for a firm, Korean for staff); the first line of the text template is the
subject, then one blank line, then the body. Links in a message are absolute, made from
PUBLIC_BASE_URL by `public_url`, because a mail is read far from here.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.notify.ics import CalendarEvent, visit_calendar
from app.notify.models import OutboxMessage
from app.states import Language, OutboxStatus
from app.transactions import write_transaction
from app.types import utcnow

STATUSES = tuple(OutboxStatus)


def public_url(endpoint: str, **values) -> str:
    """The absolute address of a page as the public sees it (PUBLIC_BASE_URL), no request needed."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, url_scheme=base.scheme,
                                       script_name=base.path or "/")
    return adapter.build(endpoint, values, force_external=True)


# app.extensions key of the function giving the centre's facts (set by create_app from
# app/centres: the outbox imports no domain).
CENTRE_VALUES = "onestop_centre_values"


def use_centre_values(app, values: Callable[[], dict]) -> None:
    """Where messages take the centre's facts (`center_name`, `center_address`,
    `center_phone`, ...) from when their context gives none."""
    app.extensions[CENTRE_VALUES] = values


def _centre_values() -> dict:
    values = current_app.extensions.get(CENTRE_VALUES)
    if values is not None:
        return values()
    config = current_app.config  # an app made without the centres step
    return {"center_name": config["CENTER_NAME"], "center_name_en": config["CENTER_NAME_EN"],
            "center_address": config["CENTER_ADDRESS"], "center_phone": config["CENTER_PHONE"]}


def _message_values(context: dict) -> dict:
    """What a template sees: the centre's facts and the home page, then the message's own
    values (a context that carries `center_*` values keeps them)."""
    return {**_centre_values(), "home_url": current_app.config["PUBLIC_BASE_URL"], **context}


def _text(template: str, values: dict) -> tuple[str, str]:
    """Subject and text body of a message, rendered under the locale in force."""
    text = render_template(f"notify/{template}.txt", **values)
    subject, _, body = text.lstrip("\n").partition("\n")
    return subject.strip(), body.strip("\n") + "\n"


def render_message(template: str, context: dict,
                   language: str = Language.KO) -> tuple[str, str, str]:
    """Subject, text body and HTML body of `templates/notify/<template>.txt|.html`, in one
    language (whatever the language of the request or job that renders it)."""
    values = _message_values(context)
    with force_locale(language):
        subject, body = _text(template, values)
        html = render_template(f"notify/{template}.html", subject=subject, **values)
    return subject, body, html


@dataclass(frozen=True)
class CalendarFile:
    """One VCALENDAR attached to a message: its events, published or cancelled."""

    events: Sequence[CalendarEvent]
    cancelled: bool
    sequence: int
    stamp: datetime

    def to_ical(self) -> bytes:
        """The file itself."""
        return visit_calendar(list(self.events), cancelled=self.cancelled,
                              sequence=self.sequence, stamp=self.stamp)


@dataclass(frozen=True)
class Rendered:
    """A message as it is (or was) sent."""

    subject: str
    text: str
    html: str | None
    ics: str | None


def _tagged(value):
    """JSON for the values messages carry: dates and aware datetimes keep their type."""
    if isinstance(value, datetime):
        if isinstance(value.tzinfo, ZoneInfo):  # a local time stays in its zone (DST and all)
            return {"$datetime": value.isoformat(), "zone": value.tzinfo.key}
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"a message value must be JSON, a date or a datetime, not {type(value)}")


def _untagged(item: dict):
    if item.keys() == {"$datetime"}:
        return datetime.fromisoformat(item["$datetime"])
    if item.keys() == {"$datetime", "zone"}:
        return datetime.fromisoformat(item["$datetime"]).astimezone(ZoneInfo(item["zone"]))
    if item.keys() == {"$date"}:
        return date.fromisoformat(item["$date"])
    return item


def _content(context: dict, calendars: Sequence[CalendarFile], language: str) -> str:
    return json.dumps({"context": context, "calendars": [asdict(c) for c in calendars],
                       "language": language},
                      default=_tagged, ensure_ascii=False, separators=(",", ":"))


def _language(stored: dict) -> str:
    # A row written before messages had one language was meant for Korean readers first.
    return stored.get("language", Language.KO)


def render_stored(message: OutboxMessage) -> Rendered:
    """What the message says: rendered from its recorded content if it was not sent yet."""
    if message.content is None:
        return Rendered(message.subject, message.body_text, message.body_html, message.ics)
    return render_content(message.kind, message.content)


def subject_of(message: OutboxMessage) -> str | None:
    """The subject as it is (or will be) sent; None when the message cannot be rendered (the
    relay has recorded why as its last error)."""
    if message.content is None:
        return message.subject
    try:
        stored = json.loads(message.content, object_hook=_untagged)
        with force_locale(_language(stored)):
            subject, _body = _text(message.kind, _message_values(stored["context"]))
    except Exception:  # shown on the outbox page, which must list a broken message too
        return None
    return subject[:300]


def render_content(template: str, content: str) -> Rendered:
    """Subject, bodies and calendar files from a row's recorded content."""
    stored = json.loads(content, object_hook=_untagged)
    subject, text, html = render_message(template, stored["context"], _language(stored))
    files = [CalendarFile(events=[CalendarEvent(**event) for event in c.pop("events")], **c)
             for c in stored["calendars"]]
    ics = b"".join(f.to_ical() for f in files).decode("utf-8") if files else None
    return Rendered(subject[:300], text, html, ics)


def enqueue(dedupe_key: str, recipient: str | None, template: str, context: dict, *,
            calendars: Sequence[CalendarFile] = (), language: str = Language.KO,
            now: datetime | None = None) -> int | None:
    """Write one message to the outbox in the caller's transaction (never commits).

    `language` is the one the message will be rendered in: the applicant's (the pre-screen's)
    for a firm, Korean, the centre's language, for staff.

    Returns the new row's id, or None when there is nobody to write to or a message with
    this dedupe key exists already (so a job that runs twice writes once; another process
    writing the same key meanwhile is caught by the same INSERT ... ON CONFLICT DO NOTHING).
    Each of `calendars` becomes its own attachment.
    """
    if not recipient:
        return None
    now = now or utcnow()
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[db.session.get_bind().dialect.name]
    statement = dialect.insert(OutboxMessage).values(
        dedupe_key=dedupe_key, kind=template, recipient=recipient, subject="", body_text="",
        content=_content(context, calendars, language), status=OutboxStatus.PENDING, attempts=0,
        next_attempt_at=now, created_at=now,
    ).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OutboxMessage.id)
    return db.session.execute(statement).scalar()


def list_messages(status: str | None = None, limit: int = 100,
                  page: int = 1, where=None) -> list[OutboxMessage]:
    """One page of messages, newest first, of one status or all (and, when given, only
    those `where` holds for: the admin screen's centre)."""
    query = (select(OutboxMessage).order_by(OutboxMessage.id.desc())
             .offset((max(page, 1) - 1) * limit).limit(limit))
    if where is not None:
        query = query.where(where)
    if status in STATUSES:
        query = query.where(OutboxMessage.status == status)
    return list(db.session.scalars(query))


def status_counts(where=None) -> dict[str, int]:
    """How many messages are in each status (every status present, zeros included), of
    those `where` holds for when given."""
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    rows = db.session.execute(query if where is None else query.where(where))
    return {status: 0 for status in STATUSES} | dict(rows.all())


class MessageNotFound(LookupError):
    """No outbox message has this id."""


def resend(message_id: int, *, audit: Callable[[dict, dict], object] | None = None,
           now: datetime | None = None) -> OutboxMessage:
    """Put a failed or dead message back in the queue with fresh attempts; commits.

    `audit(before, after)` is called inside the transaction, so the caller's audit entry
    commits together with the change. A pending or sent message is left as it is, and so is
    one whose content the outbox's retention erased.
    """
    now = now or utcnow()
    # The write lock before the read: a read-then-write transaction could be refused when
    # the relay writes in between.
    with write_transaction():
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            raise MessageNotFound(message_id)
        if message.status in (OutboxStatus.FAILED, OutboxStatus.DEAD) and not message.erased:
            before = {"status": message.status, "attempts": message.attempts}
            message.status, message.attempts, message.next_attempt_at = OutboxStatus.PENDING, 0, now
            message.claimed_until, message.last_error = None, None
            if audit:
                audit(before, {"status": OutboxStatus.PENDING, "attempts": 0})
        db.session.commit()
    return message


# The last error prune_outbox records on a message it erased unsent: a code, shown in the
# reader's language by `error_text` (other last errors are the mail server's own words).
EXPIRED = "expired"
EXPIRED_TEXT = _l("Not sent within the retention period (OUTBOX_KEEP_DAYS): erased unsent.")
# What rows erased before the pages spoke one language hold instead of the code.
_EXPIRED_BEFORE = ("보관 기간 안에 보내지 못해 지웠습니다 / "
                   "not sent within OUTBOX_KEEP_DAYS: erased unsent")


def error_text(last_error: str | None) -> str | None:
    """A last error that Onestop wrote itself, in the reader's language; None for one that
    quotes the mail server or an exception (shown as it is)."""
    if last_error in (EXPIRED, _EXPIRED_BEFORE):
        return str(EXPIRED_TEXT)
    return None


def prune_outbox(now: datetime | None = None) -> int:
    """Blank the address, subject, bodies, content, calendar and last error of every message
    older than OUTBOX_KEEP_DAYS, whatever its status; commits. Returns how many were blanked.

    The rows stay (their dedupe keys still stop a second sending). A message still pending
    then never went out and never will: it becomes dead, so the relay cannot send an empty
    one. A message a relay holds at this moment is left for the next run. One conditional
    UPDATE: a second run changes nothing.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["OUTBOX_KEEP_DAYS"])
    pending = OutboxMessage.status == OutboxStatus.PENDING
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.created_at < cutoff, or_(OutboxMessage.recipient != "", pending),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(recipient="", body_text="", body_html=None, ics=None, subject="", content=None,
                status=case((pending, OutboxStatus.DEAD.value), else_=OutboxMessage.status),
                last_error=case((pending, EXPIRED), else_=None), claimed_until=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount
