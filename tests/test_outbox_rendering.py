"""The outbox records what to say in the booking's transaction; the relay renders it, once."""

from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from app.centres.services import current_centre, ensure_centre, forget_current_centre
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.outbox import enqueue, render_stored, subject_of
from app.notify.relay import relay_outbox
from app.types import local_today, to_local, utcnow
from tests.helpers import free_port
from tests.smtp import mail_config, smtp_server
from tests.test_outbox import book


def only_row() -> OutboxMessage:
    db.session.expire_all()
    [row] = db.session.scalars(select(OutboxMessage))
    return row


def test_a_booking_records_what_to_say_and_renders_nothing_while_it_writes(ctx):
    booking, token = book()
    row = only_row()
    assert row.content is not None and (row.subject, row.body_text, row.ics) == ("", "", None)
    said = render_stored(row)  # what the relay will send
    assert "방문 예약 확정" in said.subject and f"/booking/{token}" in said.text
    [calendar] = Calendar.from_ical(said.ics, multiple=True)
    [event] = [c for c in calendar.walk() if c.name == "VEVENT"]
    # A local time comes back from the row in its own zone, so the file keeps its VTIMEZONE.
    assert event["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert event.decoded("DTSTART") == booking.appointments[0].starts_at
    assert subject_of(row) == said.subject


def test_the_relay_renders_once_and_a_retry_sends_the_very_same_message(ctx):
    book()
    ctx.config.update(mail_config(free_port()))  # nothing listens: the first try fails
    assert relay_outbox() == {"pending": 1}
    row = only_row()
    assert row.content is None and "방문 예약 확정" in row.subject
    centre = current_centre().name
    assert centre in row.body_text
    ensure_centre().name = "이름을 바꾼 센터"  # would change a fresh rendering
    db.session.commit()
    forget_current_centre()
    with smtp_server() as (server, port):
        ctx.config.update(mail_config(port))
        assert relay_outbox(now=row.next_attempt_at + timedelta(minutes=1)) == {"sent": 1}
    [got] = server.received
    sent = got.message.get_body(("plain",)).get_content()
    assert centre in sent and "이름을 바꾼 센터" not in sent
    assert only_row().body_text == row.body_text


def test_a_message_that_cannot_be_rendered_fails_with_its_reason_and_is_still_listed(
        app, admin):
    with app.app_context():
        assert enqueue("test:broken", "firm@example.com", "no_such_template",
                       {"when": to_local(utcnow()), "day": local_today()})
        db.session.commit()
        with smtp_server() as (server, port):
            app.config.update(mail_config(port))
            assert relay_outbox() == {"failed": 1}
        row = only_row()
        assert server.received == [] and "TemplateNotFound" in row.last_error
        assert row.content is not None  # kept: nothing was rendered, so nothing is lost
        assert subject_of(row) is None
    page = admin.client.get("/admin/outbox")
    assert page.status_code == 200 and "TemplateNotFound" in page.get_data(as_text=True)


def test_the_outbox_page_shows_the_subject_of_a_message_not_yet_sent(app, admin):
    with app.app_context():
        book()
    page = admin.client.get("/admin/outbox?status=pending").get_data(as_text=True)
    assert "방문 예약 확정" in page
