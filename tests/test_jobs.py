"""The scheduled jobs under a time-travel helper: each does its work once, and only when due."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.admin.retention import purge_expired
from app.admin.weekly import send_weekly_summary
from app.auth.models import AuditEntry
from app.booking.jobs import expire_offers_job, reminder_due, send_reminders
from app.booking.models import Appointment, Booking, WaitlistEntry
from app.booking.services import cancel_booking
from app.booking.waitlist import join_waitlist
from app.extensions import db
from app.intake.errors import IntakeNotFound
from app.intake.jobs import PERSONAL_FIELDS
from app.intake.models import Intake
from app.intake.services import get_intake
from app.notify.outbox import render_stored as said
from app.stats.weekly import previous_week
from app.types import local_datetime, to_local, utcnow
from app.visits.jobs import mark_no_shows, send_agendas
from app.zones.availability import free_slots
from tests.test_outbox import book, messages, new_intake, open_day


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def test_the_reminder_goes_out_once_the_day_before_at_its_hour(ctx):
    booking, _ = book(day=open_day(after=3))
    appointment = booking.appointments[0]
    due = reminder_due(appointment.starts_at, ctx.config["REMINDER_HOUR"])
    assert to_local(due).hour == 10
    assert to_local(due).date() == to_local(appointment.starts_at).date() - timedelta(days=1)
    with at(due - timedelta(minutes=1)):
        assert send_reminders() == 0
    with at(due + timedelta(minutes=1)):
        assert send_reminders() == 1
        assert send_reminders() == 0
    with at(due + timedelta(hours=6)):
        assert send_reminders() == 0
    [reminder] = messages("reminder")
    assert reminder.recipient == "firm1@example.com" and "내일 방문 안내" in said(reminder).subject
    assert "http://127.0.0.1:5000/booking/confirm/" in said(reminder).text
    assert appointment.reminded_at == due + timedelta(minutes=1)
    assert booking.reminder_token_hash is not None


def test_no_reminder_for_a_cancelled_visit_or_one_booked_after_its_time(ctx):
    cancelled, token = book(1, day=open_day(after=3))
    cancel_booking(token)
    due = reminder_due(cancelled.appointments[0].starts_at, ctx.config["REMINDER_HOUR"])
    with at(due + timedelta(minutes=5)):
        late, _ = book(2, day=to_local(cancelled.appointments[0].starts_at).date())
        assert send_reminders() == 0
    assert messages("reminder") == []
    assert late.appointments[0].reminded_at is not None  # stamped: its confirmation just went


def test_nobody_checked_in_becomes_a_no_show_once_after_the_end(ctx):
    missed, _ = book(1)
    came, _ = book(2)
    came.appointments[0].status = "checked_in"
    db.session.commit()
    end = max(missed.appointments[0].ends_at, came.appointments[0].ends_at)
    with at(missed.appointments[0].ends_at + timedelta(minutes=29)):
        assert mark_no_shows() == 0
    with at(end + timedelta(minutes=31)):
        assert mark_no_shows() == 1
        assert mark_no_shows() == 0
    db.session.expire_all()
    assert missed.appointments[0].status == "no_show"
    assert came.appointments[0].status == "checked_in"
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "no_show_auto"))
    assert entry.actor_id is None and entry.entity_id == str(missed.appointments[0].id)


def test_each_adviser_gets_the_days_agenda_once_from_its_hour(ctx):
    booking, _ = book(1)
    day = to_local(booking.appointments[0].starts_at).date()
    with at(local_datetime(day, time(7, 59))):
        assert send_agendas() == 0
    with at(local_datetime(day, time(8, 1))):
        assert send_agendas() == 1
        assert send_agendas() == 0
    [agenda] = messages("agenda")
    assert agenda.recipient == booking.appointments[0].adviser.user.email
    assert "알림기업 1" in said(agenda).text and "오늘의 상담 일정" in said(agenda).subject
    assert "알림기업 1 · 예비창업 (PRE-BI)" in said(agenda).text  # the stage by its code
    assert f"/adviser/?day={day.isoformat()}" in said(agenda).text


def test_the_weekly_summary_goes_to_each_admin_once_with_counts_only(ctx):
    book(1)
    book(2)
    today = to_local(utcnow()).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    with at(local_datetime(next_monday, time(7, 50))):
        assert send_weekly_summary() == 0
    with at(local_datetime(next_monday, time(8, 5))):
        assert previous_week(utcnow())[0] == next_monday - timedelta(days=7)
        assert send_weekly_summary() == 1
        assert send_weekly_summary() == 0
    with at(local_datetime(next_monday + timedelta(days=3), time(15))):
        assert send_weekly_summary() == 0
    [summary] = messages("weekly")
    assert summary.recipient == "admin@onestop.local"
    assert "사전문진 접수: 2건" in said(summary).text and "새 예약: 2건" in said(summary).text
    assert "알림기업" not in said(summary).text and "firm1" not in said(summary).text


def counts() -> dict:
    return {
        "intakes": db.session.scalar(select(func.count()).select_from(Intake)),
        "bookings": db.session.scalar(select(func.count()).select_from(Booking)),
        "appointments": dict(db.session.execute(
            select(Appointment.status, func.count()).group_by(Appointment.status)).all()),
        "stages": dict(db.session.execute(
            select(Intake.stage, func.count()).group_by(Intake.stage)).all()),
    }


def test_the_purge_erases_personal_fields_and_keeps_the_counts(ctx, client):
    old_booking, old_token = book(1)
    kept_booking, kept_token = book(2)
    cancel_booking(old_token, "개인 사정으로 취소")
    old, kept = old_booking.intake, kept_booking.intake
    old.retention_until = utcnow() - timedelta(days=1)
    needs = [n.code for n in old.needs]
    db.session.commit()
    before = counts()
    assert purge_expired()["intakes"] == 1
    assert purge_expired()["intakes"] == 0
    db.session.expire_all()
    assert all(getattr(old, name) is None for name in PERSONAL_FIELDS)
    assert old.purged_at is not None and old.stage == "pre_bi" and old.industry is None
    assert [n.code for n in old.needs] == needs
    assert kept.email == "firm2@example.com" and kept.purged_at is None
    # The same run revoked its booking's link and forgot the cancel reason.
    assert old_booking.cancel_reason is None and old_booking.status == "cancelled"
    assert client.get(f"/booking/{old_token}").status_code == 404
    assert client.get(f"/booking/{kept_token}").status_code == 200
    assert counts() == before


def test_the_purged_pre_screen_link_stops_working(ctx):
    token = new_intake(3)
    intake = get_intake(token)
    intake.retention_until = utcnow()
    db.session.commit()
    purge_expired()
    with pytest.raises(IntakeNotFound):
        get_intake(token)


def test_the_expiry_job_hands_an_expired_offer_to_the_next_firm(ctx):
    day = open_day()
    taken = [book(10 + n, day=day) for n in range(len(free_slots("legal", day, day)))]
    join_waitlist(new_intake(1), "legal", day)
    join_waitlist(new_intake(2), "legal", day)
    cancel_booking(taken[0][1])
    first = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.status == "offered"))
    with at(first.offer_expires_at - timedelta(minutes=1)):
        expire_offers_job()
    assert [m.recipient for m in messages("offer")] == ["firm1@example.com"]
    with at(first.offer_expires_at + timedelta(minutes=1)):
        expire_offers_job()
        expire_offers_job()
    assert [m.recipient for m in messages("offer")] == ["firm1@example.com", "firm2@example.com"]
