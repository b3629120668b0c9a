"""The outbox: booking changes write their messages in the same transaction, once each."""

from datetime import date, timedelta

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import func, select

from app.booking.errors import SlotTaken
from app.booking.models import WaitlistEntry
from app.booking.services import Request, book_visit, cancel_booking, reschedule_booking
from app.booking.waitlist import expire_offers, join_waitlist
from app.extensions import db
from app.intake.services import submit_intake
from app.notify.models import OutboxMessage
from app.notify.outbox import EXPIRED, enqueue, prune_outbox, resend, status_counts
from app.notify.outbox import render_stored as said
from app.notify.relay import relay_outbox
from app.types import local_today, utcnow
from app.zones.availability import free_slots


def new_intake(n: int = 1, email: str | None = None) -> str:
    """A pre-screen made through the service; returns its token."""
    _, token = submit_intake({
        "company_name": f"알림기업 {n}", "business_number": None, "representative_name": None,
        "contact_name": f"담당자{n}", "email": email or f"firm{n}@example.com",
        "phone": "010-1111-2222", "founded_on": None, "industry": None, "employees": None,
        "region": None, "need_codes": ["contract_review"], "description": "",
        "consent_marketing": False})
    return token


def open_day(zone: str = "legal", after: int = 2) -> date:
    """The first day from `after` days on with a free slot in the zone."""
    return next(d for d in (local_today() + timedelta(days=k) for k in range(after, after + 21))
                if free_slots(zone, d, d))


def book(n: int = 1, zone: str = "legal", day: date | None = None, slot_index: int = 0):
    """Book one appointment for a new pre-screen; returns (booking, private token)."""
    day = day or open_day(zone)
    slot = free_slots(zone, day, day)[slot_index]
    return book_visit(new_intake(n), [Request(zone, slot.adviser_id, slot.start)])


def messages(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def calendars(message: OutboxMessage) -> list[Calendar]:
    return Calendar.from_ical(said(message).ics, multiple=True)


def events(calendar: Calendar) -> list:
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_a_booking_writes_one_confirmation_with_link_and_calendar(ctx):
    booking, token = book()
    [message] = messages()
    appointment = booking.appointments[0]
    assert message.kind == "booked" and message.status == "pending"
    assert message.recipient == "firm1@example.com"
    assert message.dedupe_key == f"booking:{booking.id}:booked"
    subject = said(message).subject
    # In the pre-screen's language, Korean here (tests/test_mail_language.py: English too).
    assert "방문 예약 확정" in subject and "Your visit" not in subject
    text = said(message).text  # the private link is absolute
    assert text.startswith("담당자1님, 안녕하세요.") and "Dear" not in text
    assert f"http://127.0.0.1:5000/booking/{token}" in text
    assert f'href="http://127.0.0.1:5000/booking/{token}"' in said(message).html
    [calendar] = calendars(message)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = events(calendar)
    assert event["UID"] == f"appointment-{appointment.id}@onestop"
    assert event.decoded("DTSTART") == appointment.starts_at
    assert event.decoded("DTEND") == appointment.ends_at
    assert event["SEQUENCE"] == 0
    assert "경상남도" in str(event["LOCATION"])


def test_the_base_url_of_links_is_a_setting(app):
    app.config["PUBLIC_BASE_URL"] = "https://onestop.example.kr/centre"
    with app.app_context():
        _, token = book()
        [message] = messages()
        assert f"https://onestop.example.kr/centre/booking/{token}" in said(message).text


def test_a_refused_booking_writes_no_message(ctx):
    day = open_day()
    slot = free_slots("legal", day, day)[0]
    book_visit(new_intake(1), [Request("legal", slot.adviser_id, slot.start)])
    with pytest.raises(SlotTaken):
        book_visit(new_intake(2), [Request("legal", slot.adviser_id, slot.start)])
    assert [m.recipient for m in messages()] == ["firm1@example.com"]


def test_a_cancellation_cancels_the_same_events_with_a_higher_sequence(ctx):
    booking, token = book()
    uid = f"appointment-{booking.appointments[0].id}@onestop"
    cancel_booking(token, "일정이 바뀌었습니다")
    cancel_booking(token)  # twice: nothing more
    booked, cancelled = messages()
    assert cancelled.kind == "cancelled" and "예약 취소" in said(cancelled).subject
    assert "일정이 바뀌었습니다" in said(cancelled).text
    [calendar] = calendars(cancelled)
    assert calendar["METHOD"] == "CANCEL"
    [event] = events(calendar)
    assert event["UID"] == uid and event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] > events(calendars(booked)[0])[0]["SEQUENCE"]


def test_a_reschedule_cancels_the_old_events_and_publishes_the_new(ctx):
    booking, token = book()
    old = booking.appointments[0]
    day = old.starts_at.date()
    later = next(s for s in free_slots("legal", open_day(after=3), open_day(after=3) + timedelta(
        days=7)) if s.start.date() != day)
    reschedule_booking(token, [Request("legal", later.adviser_id, later.start)])
    [change] = messages("changed")
    cancel, publish = calendars(change)
    assert cancel["METHOD"] == "CANCEL" and publish["METHOD"] == "PUBLISH"
    assert [e["UID"] for e in events(cancel)] == [f"appointment-{old.id}@onestop"]
    assert events(cancel)[0]["SEQUENCE"] == 1
    [new_event] = events(publish)
    assert new_event.decoded("DTSTART") == later.start
    assert new_event["UID"] != f"appointment-{old.id}@onestop"
    assert f"/booking/{token}" in said(change).text and "이전 일정" in said(change).text


def test_enqueue_writes_a_dedupe_key_once_and_skips_nobody(ctx):
    context = {"company": "A", "contact": "B", "visit_date": local_today(), "appointments": [],
               "manage_url": "x", "calendar_url": "y"}
    assert enqueue("test:1", "a@example.com", "booked", context) is not None
    assert enqueue("test:1", "a@example.com", "booked", context) is None
    assert enqueue("test:2", None, "booked", context) is None
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_freed_slot_mails_the_offer_and_an_expired_one_mails_the_next(ctx):
    day = open_day()
    booked = [book(10 + i, day=day, slot_index=0) for i in range(len(free_slots("legal", day,
                                                                                 day)))]
    join_waitlist(new_intake(1), "legal", day)
    join_waitlist(new_intake(2), "legal", day)
    cancel_booking(booked[0][1])
    [offer] = messages("offer")
    assert offer.recipient == "firm1@example.com"
    assert "http://127.0.0.1:5000/booking/offer/" in said(offer).text
    first = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.status == "offered"))
    with time_machine.travel(first.offer_expires_at + timedelta(seconds=1), tick=False):
        [(entry, token)] = expire_offers()
    second = messages("offer")[1]
    assert second.recipient == "firm2@example.com"
    assert f"/booking/offer/{token}" in said(second).text


def test_prune_blanks_every_old_message_and_keeps_their_keys(ctx):
    for n in range(4):
        book(n, slot_index=0)
    sent, failed, dead, pending = messages()
    recent_id = enqueue("test:recent", "recent@example.com", "booked", {
        "company": "A", "contact": "B", "visit_date": local_today(), "appointments": [],
        "manage_url": "x", "calendar_url": "y"}, now=utcnow() + timedelta(days=100))
    sent.status, failed.status, dead.status = "sent", "failed", "dead"
    failed.last_error = "SMTPRecipientsRefused: {'firm1@example.com': (550, b'no such user')}"
    db.session.commit()
    with time_machine.travel(utcnow() + timedelta(days=181), tick=False):
        assert prune_outbox() == 4
        assert prune_outbox() == 0
    db.session.expire_all()
    recent = db.session.get(OutboxMessage, recent_id)
    for message in (sent, failed, dead, pending):
        assert (message.recipient, message.subject, message.body_text) == ("", "", "")
        assert message.body_html is None and message.ics is None and message.erased
        assert message.content is None and message.dedupe_key.endswith(":booked")
    assert failed.last_error is None
    # A message that never went out does not keep its body for ever, nor waits to go out empty.
    # It says so with a code, which the outbox page shows in its reader's language.
    assert pending.status == "dead" and pending.last_error == EXPIRED
    assert recent.recipient == "recent@example.com" and recent.status == "pending"
    assert status_counts() == {"pending": 1, "sent": 1, "failed": 1, "dead": 2}


def test_an_erased_message_is_never_sent_nor_queued_again(ctx):
    book()
    [message] = messages()
    with time_machine.travel(utcnow() + timedelta(days=181), tick=False):
        assert prune_outbox() == 1
        assert relay_outbox() == {}
        assert resend(message.id).status == "dead"
    assert message.attempts == 0 and message.recipient == ""


def test_a_message_a_relay_holds_is_pruned_only_once_it_is_let_go(ctx):
    book()
    [message] = messages()
    later = utcnow() + timedelta(days=181)
    message.claimed_until = later + timedelta(minutes=5)
    db.session.commit()
    with time_machine.travel(later, tick=False):
        assert prune_outbox() == 0
    with time_machine.travel(later + timedelta(minutes=6), tick=False):
        assert prune_outbox() == 1
    db.session.expire_all()
    assert message.erased and message.status == "dead" and message.claimed_until is None
