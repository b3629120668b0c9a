"""The relay: claims due outbox rows one at a time and sends them with Flask-Mail.

A row is claimed by one conditional UPDATE (on PostgreSQL its sub-select skips locked rows),
which also counts the attempt, and the claim is committed before the mail server is touched:
no database lock is held while SMTP talks, so bookings never wait on mail. A relay killed
mid-batch leaves only the row it was sending claimed; that row is sent again once its lease
ends, every other row either went out and was marked, or was never claimed.
"""

import hashlib
import logging
import random
import re
import smtplib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_mail import Connection, Message
from sqlalchemy import or_, select, update

from app.extensions import db, mail
from app.notify.models import OutboxMessage
from app.notify.outbox import prune_outbox, render_content
from app.notify.scheduler import ScheduledJob
from app.states import OutboxStatus
from app.types import utcnow

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Claimed:
    """The values of one claimed row, read before the transaction ends.

    `content` is what to say while the message was never rendered; `fresh` marks a copy the
    relay has just rendered from it, which `_finish` keeps on the row.
    """

    id: int
    dedupe_key: str
    recipient: str
    kind: str
    content: str | None
    subject: str
    body_text: str
    body_html: str | None
    ics: str | None
    attempts: int
    fresh: bool = False


def rendered(claimed: Claimed) -> Claimed:
    """The claimed message with its subject, bodies and calendar files rendered (once: a row
    keeps what was rendered, so a retry sends the very same message)."""
    if claimed.content is None:
        return claimed
    message = render_content(claimed.kind, claimed.content)
    return replace(claimed, subject=message.subject, body_text=message.text,
                   body_html=message.html, ics=message.ics, fresh=True)


def _due(now: datetime):
    return (OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))


def claim_next(now: datetime, lease: timedelta) -> Claimed | None:
    """Claim the next due message for this relay and commit; None when nothing is due."""
    oldest = (select(OutboxMessage.id).where(*_due(now))
              .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1)
              .with_for_update(skip_locked=True).scalar_subquery())
    claimed_id = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == oldest, *_due(now))
        .values(claimed_until=now + lease, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)).scalar()
    if claimed_id is None:
        db.session.commit()
        return None
    row = db.session.execute(select(
        OutboxMessage.id, OutboxMessage.dedupe_key, OutboxMessage.recipient, OutboxMessage.kind,
        OutboxMessage.content, OutboxMessage.subject, OutboxMessage.body_text,
        OutboxMessage.body_html, OutboxMessage.ics, OutboxMessage.attempts,
    ).where(OutboxMessage.id == claimed_id)).one()
    db.session.commit()
    return Claimed(*row)


def backoff(attempts: int, base: float, cap: float, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with jitter: between half and all of min(cap, base * 2^(n-1))."""
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=(rng or random).uniform(delay / 2, delay))


def classify(error: Exception) -> tuple[bool, bool]:
    """(permanent, connection lost) for a sending error.

    5xx refusals of a recipient or of the message are permanent; 4xx, refused or silent
    servers and timeouts are transient. A refused sender or failed login is a setting, not
    the message: transient, so the rows wait for the fix instead of failing one by one.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        return all(code >= 500 for code in codes), 421 in codes
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError
                  | smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        return False, True
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500, error.smtp_code == 421
    if isinstance(error, OSError):  # refused, reset, timed out, disconnected
        return False, True
    return True, False  # a message that cannot even be built will not get better


class TimedConnection(Connection):
    """Flask-Mail's connection opened with a socket timeout (Flask-Mail sets none)."""

    def __init__(self, timeout: float):
        super().__init__(mail.init_mail(current_app.config, testing=False))
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP:
        """Connect, greet, STARTTLS and log in, each step bounded by the timeout."""
        factory = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = factory(self.mail.server, self.mail.port, timeout=self.timeout)
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host

    def open(self) -> "TimedConnection":
        """Open the SMTP session now."""
        self.host = self.configure_host()
        return self

    def close(self) -> None:
        """QUIT politely; a server that went away is simply dropped."""
        if self.host is not None:
            try:
                self.host.quit()
            except (smtplib.SMTPException, OSError):
                self.host.close()
            self.host = None


def _calendars(ics: str) -> list[tuple[str, str]]:
    """Each VCALENDAR of an iCalendar stream with its METHOD."""
    parts = ["BEGIN:VCALENDAR" + part for part in ics.split("BEGIN:VCALENDAR")[1:]]
    methods = [next((line.split(":", 1)[1].strip() for line in part.splitlines()
                     if line.startswith("METHOD:")), "PUBLISH") for part in parts]
    return list(zip(parts, methods, strict=True))


def build_message(claimed: Claimed) -> Message:
    """The MIME message of a row, with a Message-ID that stays the same on a resend."""
    message = Message(claimed.subject, recipients=[claimed.recipient], body=claimed.body_text,
                      html=claimed.body_html, sender=current_app.config["MAIL_DEFAULT_SENDER"],
                      extra_headers={"Auto-Submitted": "auto-generated"})
    domain = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "onestop.local"
    digest = hashlib.sha256(claimed.dedupe_key.encode()).hexdigest()[:16]
    message.msgId = f"<outbox-{claimed.id}-{digest}@{domain}>"
    for calendar, method in _calendars(claimed.ics or ""):
        name = "onestop-cancel.ics" if method == "CANCEL" else "onestop-visit.ics"
        message.attach(name, f"text/calendar; method={method}; charset=utf-8",
                       calendar.encode("utf-8"))
    return message


def _finish(claimed: Claimed, now: datetime, error: Exception | None = None,
            permanent: bool = False) -> str:
    """Write the outcome of one attempt and commit; returns the new status.

    One UPDATE with no read before it: a read would make SQLite refuse the write at once
    whenever another connection wrote in between.
    """
    config = current_app.config
    values: dict = {"claimed_until": None}
    if claimed.fresh:
        values.update(subject=claimed.subject, body_text=claimed.body_text,
                      body_html=claimed.body_html, ics=claimed.ics, content=None)
    if error is None:
        values.update(status=OutboxStatus.SENT, sent_at=now, last_error=None)
    else:
        values["last_error"] = f"{type(error).__name__}: {error}"[:2000]
        if permanent:
            values["status"] = OutboxStatus.FAILED
        elif claimed.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
            values["status"] = OutboxStatus.DEAD
        else:
            values.update(status=OutboxStatus.PENDING, next_attempt_at=now + backoff(
                claimed.attempts, config["OUTBOX_RETRY_BASE_SECONDS"],
                config["OUTBOX_RETRY_MAX_SECONDS"]))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == claimed.id)
                       .values(**values).execution_options(synchronize_session=False))
    db.session.commit()
    return values["status"]


def _breaker() -> dict:
    """This relay's memory of an unreachable server (per app; losing it only costs a probe)."""
    return current_app.extensions.setdefault("onestop_relay",
                                             {"failures": 0, "until": None, "refused": False})


def mail_refusal() -> str | None:
    """Why the relay may not send in this configuration: no MAIL_SERVER where the console
    fallback is off (production). None when it may."""
    config = current_app.config
    if config["MAIL_SERVER"] or config.get("MAIL_CONSOLE_FALLBACK"):
        return None
    return _("MAIL_SERVER is not set. In production mail is never written to the log (bodies "
             "carry private links): set MAIL_SERVER to the SMTP relay.")


def relay_outbox(now: datetime | None = None) -> Counter:
    """Send the due messages (at most OUTBOX_BATCH_SIZE); returns how many ended in each status.

    Without MAIL_SERVER the message is written to the log instead and counts as sent, in
    development and tests only (MAIL_CONSOLE_FALLBACK); in production nothing is claimed, the
    messages stay pending and the refusal is logged once. While the server is unreachable it
    is probed at most once per backoff period, however many messages wait, so an outage
    neither hammers it nor keeps the database busy.
    """
    config, breaker = current_app.config, _breaker()
    refusal = mail_refusal()
    if refusal:
        if not breaker["refused"]:
            log.error("outbox relay: nothing sent, messages stay pending. %s", refusal)
            breaker["refused"] = True
        return Counter()
    if breaker["until"] and (now or utcnow()) < breaker["until"]:
        return Counter()
    lease = timedelta(seconds=config["OUTBOX_LEASE_SECONDS"])
    outcome: Counter = Counter()
    connection: TimedConnection | None = None
    try:
        for _batch in range(config["OUTBOX_BATCH_SIZE"]):
            claimed = claim_next(now or utcnow(), lease)
            if claimed is None:
                break
            try:
                claimed = rendered(claimed)
            except Exception as error:  # a message that cannot be rendered never will be
                outcome[_finish(claimed, now or utcnow(), error, permanent=True)] += 1
                log.warning("outbox %s not rendered: %s", claimed.id,
                            without_addresses(f"{type(error).__name__}: {error}"))
                continue
            try:
                if not config["MAIL_SERVER"]:  # MAIL_CONSOLE_FALLBACK, checked above
                    log.info("mail (no MAIL_SERVER) to %s: %s\n%s", claimed.recipient,
                             claimed.subject, claimed.body_text)
                else:
                    connection = connection or TimedConnection(
                        config["MAIL_TIMEOUT_SECONDS"]).open()
                    connection.send(build_message(claimed))
            except Exception as error:  # every failure is recorded on the row, none escapes
                permanent, lost = classify(error)
                outcome[_finish(claimed, now or utcnow(), error, permanent)] += 1
                log.warning("outbox %s not sent: %s", claimed.id, without_addresses(str(error)))
                if lost:  # the server is down or gone: the rest waits
                    breaker["failures"] += 1
                    breaker["until"] = (now or utcnow()) + backoff(
                        breaker["failures"], config["OUTBOX_RETRY_BASE_SECONDS"],
                        config["OUTBOX_RETRY_MAX_SECONDS"])
                    break
                continue
            breaker.update(failures=0, until=None)
            outcome[_finish(claimed, now or utcnow())] += 1
    finally:
        if connection is not None:
            connection.close()
    return outcome


_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


def without_addresses(text: str) -> str:
    """An SMTP error as the log keeps it: a refusal often names the recipient; the log does not."""
    return _ADDRESS.sub("<address>", text)


def relay_job() -> None:
    """The scheduled relay run."""
    relay_outbox()


def prune_job() -> None:
    """The scheduled blanking of old finished messages."""
    prune_outbox()


JOBS = [
    ScheduledJob("outbox-relay", relay_job, "OUTBOX_INTERVAL_SECONDS", refuses=mail_refusal),
    ScheduledJob("outbox-prune", prune_job, 24 * 3600),
]
