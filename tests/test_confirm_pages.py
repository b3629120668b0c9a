"""The pages mail links lead to: "still coming?", the waitlist offer, and the admin outbox."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from app.auth.models import AuditEntry
from app.booking.jobs import reminder_due, send_reminders
from app.booking.models import Booking, WaitlistEntry
from app.booking.services import cancel_booking
from app.booking.waitlist import join_waitlist
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.outbox import render_stored as said
from app.types import utcnow
from app.zones.availability import free_slots
from tests.test_booking_pages import csrf
from tests.test_outbox import book, messages, new_intake, open_day


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:5000")


def reminded(app) -> tuple[int, str]:
    """A booking whose reminder was written; returns its id and the reminder's confirm path."""
    with app.app_context():
        booking, _ = book(day=open_day(after=3))
        due = reminder_due(booking.appointments[0].starts_at, app.config["REMINDER_HOUR"])
        with time_machine.travel(due + timedelta(minutes=1), tick=False):
            send_reminders()
        [reminder] = messages("reminder")
        url = re.search(r"http://\S+/booking/confirm/\S+", said(reminder).text).group(0)
        return booking.id, path_of(url)


def test_the_reminder_link_confirms_the_visit(app, client):
    booking_id, path = reminded(app)
    page = client.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "내일 방문하시나요?" in text and "네, 방문합니다" in text
    response = client.post(path, data={"csrf_token": csrf(text), "answer": "confirm"})
    assert response.status_code == 303
    text = client.get(path).get_data(as_text=True)
    assert "참석을 확인하셨습니다" in text and "네, 방문합니다" not in text
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert booking.attendance_confirmed_at is not None and booking.status == "booked"


def test_the_reminder_link_cancels_the_visit_and_says_so_by_mail(app, client):
    booking_id, path = reminded(app)
    text = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf(text), "answer": "cancel",
                                       "reason": "출장"})
    assert response.status_code == 303
    assert "취소된 예약" in client.get(path).get_data(as_text=True)
    with app.app_context():
        [notice] = messages("cancelled")
        assert "출장" in said(notice).text and "METHOD:CANCEL" in said(notice).ics


def test_a_get_changes_nothing_and_a_wrong_link_is_404(app, client):
    booking_id, path = reminded(app)
    client.get(path)
    with app.app_context():
        assert db.session.get(Booking, booking_id).attendance_confirmed_at is None
    assert client.get("/booking/confirm/not-a-token").status_code == 404
    assert client.post(path, data={"answer": "confirm"}).status_code == 400  # no CSRF token


def offered(app) -> tuple[str, WaitlistEntry]:
    """A waitlist offer made by a cancellation; returns the offer page path and the entry."""
    with app.app_context():
        day = open_day()
        taken = [book(10 + n, day=day) for n in range(len(free_slots("legal", day, day)))]
        join_waitlist(new_intake(1), "legal", day)
        cancel_booking(taken[0][1])
        [offer] = messages("offer")
        entry = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.status == "offered"))
        url = re.search(r"http://\S+/booking/offer/\S+", said(offer).text).group(0)
        return path_of(url), entry


def test_the_offer_page_shows_the_held_slot_and_books_it(app, client):
    path, _ = offered(app)
    page = client.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "자리가 났습니다" in text and "이 시간으로 예약" in text
    response = client.post(path, data={"csrf_token": csrf(text)})
    assert response.status_code == 303 and "/booking/" in response.headers["Location"]
    manage = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "방문 예약 확인" in manage
    with app.app_context():
        assert [m.recipient for m in messages("booked")][-1] == "firm1@example.com"
    assert client.get(path).status_code == 410  # used: closed


def test_an_expired_offer_gets_a_friendly_page(app, client):
    path, entry = offered(app)
    with time_machine.travel(entry.offer_expires_at + timedelta(seconds=1), tick=False):
        page = client.get(path)
    assert page.status_code == 410
    assert "마감된 제안입니다" in page.get_data(as_text=True)
    assert client.get("/booking/offer/nope").status_code == 410


def test_the_outbox_page_is_for_admins_and_resends_a_dead_message(app, client, auth, staff):
    with app.app_context():
        book()
        message = db.session.scalar(select(OutboxMessage))
        message.status, message.attempts, message.last_error = "dead", 10, "OSError: refused"
        db.session.commit()
        message_id = message.id
    assert client.get("/admin/outbox").status_code == 302  # signed out: to the login
    auth.login(staff["adviser_a"])
    assert client.get("/admin/outbox").status_code == 403
    admin = app.test_client()
    auth.on(admin).login(staff["admin"])
    page = admin.get("/admin/outbox?status=dead")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "OSError: refused" in text and "다시 보내기" in text
    assert 'aria-current="page"' in text
    response = admin.post(f"/admin/outbox/{message_id}/resend",
                                 data={"csrf_token": csrf(text), "status": "dead"})
    assert response.status_code == 303
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        assert (message.status, message.attempts, message.last_error) == ("pending", 0, None)
        assert message.next_attempt_at <= utcnow()
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "outbox"))
        assert entry.action == "resend" and entry.before == {"status": "dead", "attempts": 10}
    assert admin.post("/admin/outbox/999999/resend",
                             data={"csrf_token": csrf(text)}).status_code == 404


def test_an_erased_message_offers_no_resend_and_refuses_one(app, staff, auth):
    from app.notify.outbox import prune_outbox

    with app.app_context():
        book()
        with time_machine.travel(utcnow() + timedelta(days=181), tick=False):
            assert prune_outbox() == 1
        message_id = db.session.scalar(select(OutboxMessage.id))
    admin = app.test_client()
    auth.on(admin).login(staff["admin"])
    text = admin.get("/admin/outbox?status=dead").get_data(as_text=True)
    assert "보관 기간 안에 보내지 못해 지웠습니다." in text and "다시 보내기" not in text
    response = admin.post(f"/admin/outbox/{message_id}/resend",
                          data={"csrf_token": csrf(text), "status": "dead"},
                          follow_redirects=True)
    assert "다시 보낼 수 없습니다" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).status == "dead"
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "outbox")) is None


def test_the_outbox_pages_through_every_message_newest_first(app, staff, auth):
    from app.notify.outbox import enqueue

    with app.app_context():
        for n in range(250):
            enqueue(f"test:{n}", f"firm{n}@example.com", "weekly", {
                "name": "관리자", "week_start": utcnow().date(), "week_end": utcnow().date(),
                "counts": {}, "zones": [], "outbox": {}, "admin_url": "http://x/"})
        for message in db.session.scalars(select(OutboxMessage).limit(30)):
            message.status = "dead"  # the 30 oldest
        db.session.commit()
    admin = app.test_client()
    auth.on(admin).login(staff["admin"])

    def shown(query: str) -> list[str]:
        text = admin.get(f"/admin/outbox{query}").get_data(as_text=True)
        return re.findall(r"firm(\d+)@example.com", text)

    first = admin.get("/admin/outbox").get_data(as_text=True)
    assert shown("") == [str(n) for n in range(249, 149, -1)]  # the newest hundred
    assert 'href="/admin/outbox?page=2"' in first and 'href="/admin/outbox?page=3"' in first
    assert shown("?page=3") == [str(n) for n in range(49, -1, -1)]
    assert shown("?page=99") == shown("?page=3")  # past the end: the last page
    assert shown("?page=0") == shown("")
    dead = admin.get("/admin/outbox?status=dead").get_data(as_text=True)
    assert len(re.findall(r"firm\d+@example.com", dead)) == 30
    assert "page=2" not in dead  # one page: no page links
