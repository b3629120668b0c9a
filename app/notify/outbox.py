"""The outbox: a message is rendered and written as a row in the caller's transaction.

Templates come in pairs, `templates/notify/<name>.txt` and `.html`; the first line of the
text template is the subject, then one blank line, then the body. Links in a message are
absolute, made from PUBLIC_BASE_URL by `public_url`, because a mail is read far from here.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.notify.models import OutboxMessage
from app.types import utcnow

STATUSES = ("pending", "sent", "failed", "dead")


def public_url(endpoint: str, **values) -> str:
    """The absolute address of a page as the public sees it (PUBLIC_BASE_URL), no request needed."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, url_scheme=base.scheme,
                                       script_name=base.path or "/")
    return adapter.build(endpoint, values, force_external=True)


def render_message(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text body and HTML body of `templates/notify/<template>.txt|.html`."""
    values = {"center_name": current_app.config["CENTER_NAME"],
              "center_name_en": current_app.config["CENTER_NAME_EN"],
              "center_address": current_app.config["CENTER_ADDRESS"],
              "home_url": current_app.config["PUBLIC_BASE_URL"], **context}
    # The messages still show both languages side by side, the Korean half with the default
    # locale's dates, whatever language the page that caused them was in.
    with force_locale("ko"):
        text = render_template(f"notify/{template}.txt", **values)
        subject, _, body = text.lstrip("\n").partition("\n")
        html = render_template(f"notify/{template}.html", subject=subject.strip(), **values)
    return subject.strip(), body.strip("\n") + "\n", html


def enqueue(dedupe_key: str, recipient: str | None, template: str, context: dict, *,
            ics: bytes | None = None, now: datetime | None = None) -> OutboxMessage | None:
    """Write one message to the outbox in the caller's transaction (flushes, never commits).

    Returns the new row, or None when there is nobody to write to or a message with this
    dedupe key exists already (so a job that runs twice writes once). `ics` may hold several
    VCALENDAR objects one after another; each becomes its own attachment.
    """
    if not recipient:
        return None
    exists = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    if db.session.scalar(exists) is not None:
        return None
    subject, text, html = render_message(template, context)
    now = now or utcnow()
    message = OutboxMessage(
        dedupe_key=dedupe_key, kind=template, recipient=recipient, subject=subject[:300],
        body_text=text, body_html=html, ics=ics.decode("utf-8") if ics else None,
        status="pending", attempts=0, next_attempt_at=now, created_at=now)
    try:
        with db.session.begin_nested():  # another process may write the same key meanwhile
            db.session.add(message)
    except IntegrityError:
        return None
    return message


def list_messages(status: str | None = None, limit: int = 100,
                  page: int = 1) -> list[OutboxMessage]:
    """One page of messages, newest first, of one status or all."""
    query = (select(OutboxMessage).order_by(OutboxMessage.id.desc())
             .offset((max(page, 1) - 1) * limit).limit(limit))
    if status in STATUSES:
        query = query.where(OutboxMessage.status == status)
    return list(db.session.scalars(query))


def status_counts() -> dict[str, int]:
    """How many messages are in each status (every status present, zeros included)."""
    rows = db.session.execute(select(OutboxMessage.status, func.count())
                              .group_by(OutboxMessage.status))
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
    if db.session().in_transaction():
        db.session.commit()
    # Take SQLite's write lock before reading, as a read-then-write transaction could be
    # refused when the relay writes in between (PostgreSQL ignores the option).
    db.session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        db.session.rollback()
        raise MessageNotFound(message_id)
    if message.status in ("failed", "dead") and not message.erased:
        before = {"status": message.status, "attempts": message.attempts}
        message.status, message.attempts, message.next_attempt_at = "pending", 0, now
        message.claimed_until, message.last_error = None, None
        if audit:
            audit(before, {"status": "pending", "attempts": 0})
    db.session.commit()
    return message


EXPIRED = "보관 기간 안에 보내지 못해 지웠습니다 / not sent within OUTBOX_KEEP_DAYS: erased unsent"


def prune_outbox(now: datetime | None = None) -> int:
    """Blank the address, subject, bodies, calendar and last error of every message older than
    OUTBOX_KEEP_DAYS, whatever its status; commits. Returns how many were blanked.

    The rows stay (their dedupe keys still stop a second sending). A message still pending
    then never went out and never will: it becomes dead, so the relay cannot send an empty
    one. A message a relay holds at this moment is left for the next run. One conditional
    UPDATE: a second run changes nothing.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["OUTBOX_KEEP_DAYS"])
    pending = OutboxMessage.status == "pending"
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.created_at < cutoff, or_(OutboxMessage.recipient != "", pending),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(recipient="", body_text="", body_html=None, ics=None, subject="",
                status=case((pending, "dead"), else_=OutboxMessage.status),
                last_error=case((pending, EXPIRED), else_=None), claimed_until=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount
