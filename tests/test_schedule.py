"""An adviser's availability: rules, exceptions, and bookings never stranded silently."""

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.booking.models import Appointment
from app.extensions import db
from app.types import to_local
from app.visits.schedule import (
    ScheduleError,
    StrandedAppointments,
    add_exception,
    add_rotation_rule,
    delete_rotation_rule,
)
from app.zones.models import Adviser, RotationRule


def admin_user() -> User:
    return db.session.scalar(select(User).where(User.role == "admin"))


def test_rules_with_end_before_start_or_overlapping_are_refused(ctx):
    adviser = db.session.scalars(select(Adviser)).first()
    rule = adviser.rotation_rules[0]
    with pytest.raises(ScheduleError) as bad_hours:
        add_rotation_rule(admin_user(), adviser.id, weekday=5, start_time=time(12),
                          end_time=time(10), valid_from=rule.valid_from)
    assert "end_time" in bad_hours.value.fields
    with pytest.raises(ScheduleError):
        add_rotation_rule(admin_user(), adviser.id, weekday=rule.weekday,
                          start_time=time(11), end_time=time(12, 30),
                          valid_from=rule.valid_from)
    with pytest.raises(ScheduleError):
        add_rotation_rule(admin_user(), adviser.id, weekday=5, start_time=time(10),
                          end_time=time(11), valid_from=rule.valid_from,
                          valid_until=rule.valid_from - timedelta(days=1))
    saturday = add_rotation_rule(admin_user(), adviser.id, weekday=5, start_time=time(10),
                                 end_time=time(12), valid_from=rule.valid_from)
    assert saturday.id


def test_removing_a_rule_that_strands_a_booking_asks_first(app, booked):
    appointment_id, _ = booked
    with app.app_context():
        appointment = db.session.get(Appointment, appointment_id)
        local = to_local(appointment.starts_at)
        rule = next(r for r in db.session.scalars(select(RotationRule).where(
            RotationRule.adviser_id == appointment.adviser_id))
            if r.weekday == local.weekday() and r.start_time <= local.time() < r.end_time)
        with pytest.raises(StrandedAppointments) as refused:
            delete_rotation_rule(admin_user(), rule.id)
        assert [a.id for a in refused.value.appointments] == [appointment_id]
        assert db.session.get(RotationRule, rule.id) is not None  # nothing changed
        kept = delete_rotation_rule(admin_user(), rule.id, stranded="keep")
        assert [a.id for a in kept] == [appointment_id]
        assert db.session.get(Appointment, appointment_id).status == "booked"


def test_a_day_off_can_cancel_the_stranded_bookings(app, booked):
    appointment_id, start = booked
    with app.app_context():
        adviser_id = db.session.get(Appointment, appointment_id).adviser_id
        with pytest.raises(StrandedAppointments):
            add_exception(admin_user(), adviser_id, day=start.date(), kind="off")
        add_exception(admin_user(), adviser_id, day=start.date(), kind="off", stranded="cancel")
        appointment = db.session.get(Appointment, appointment_id)
        assert appointment.status == "cancelled"
        assert appointment.booking.status == "cancelled"


def test_the_availability_page_previews_slots_and_asks_about_stranded(client, auth, booked, staff):
    appointment_id, start = booked
    auth.login(staff["adviser_a"])
    page = client.get("/adviser/availability").get_data(as_text=True)
    assert "예약 가능 시간" in page and "ons-slot" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/adviser/availability/exceptions", data={
        "off-csrf_token": token, "off-day": start.date().isoformat(), "off-kind": "off"})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "근무 시간 밖에" in text and "name=\"stranded\" value=\"keep\"" in text
    again = client.post("/adviser/availability/exceptions", data={
        "off-csrf_token": token, "off-day": start.date().isoformat(), "off-kind": "off",
        "stranded": "keep"})
    assert again.status_code == 303


def test_walk_in_registers_and_checks_in(app, client, auth, staff):
    import time_machine

    from app.types import local_datetime, local_today

    auth.login(staff["adviser_a"])
    with app.app_context():
        monday = local_today() + timedelta(days=(7 - local_today().weekday()) % 7 or 7)
        morning = local_datetime(monday, time(9, 30))
    with time_machine.travel(morning, tick=False):
        page = client.get("/adviser/walk-in?zone=legal").get_data(as_text=True)
        choice = re.search(r'name="slot"[^>]*value="([^"]+)"', page).group(1)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        refused = client.post("/adviser/walk-in", data={
            "csrf_token": token, "zone": "legal", "slot": choice, "company_name": "현장기업",
            "contact_name": "방문자", "phone": "010-2222-3333"})
        assert refused.status_code == 422  # no consent
        response = client.post("/adviser/walk-in", data={
            "csrf_token": token, "zone": "legal", "slot": choice, "company_name": "현장기업",
            "contact_name": "방문자", "phone": "010-2222-3333", "consent": "y"})
        assert response.status_code == 303
    with app.app_context():
        appointment = db.session.scalar(select(Appointment))
        assert appointment.status == "checked_in"
        assert appointment.booking.intake.source == "walk_in"


def test_availability_page_of_an_adviser_in_a_closed_zone(app, client, auth, staff):
    from app.zones.models import Zone

    with app.app_context():
        db.session.scalar(select(Zone).where(Zone.code == "legal")).active = False
        db.session.commit()
    auth.login(staff["adviser_a"])
    page = client.get("/adviser/availability")
    assert page.status_code == 200
    assert "예약 가능한 시간이 없습니다" in page.get_data(as_text=True)


def test_cancelling_stranded_bookings_tells_the_firm(app, booked):
    from app.notify.models import OutboxMessage

    appointment_id, start = booked
    with app.app_context():
        adviser_id = db.session.get(Appointment, appointment_id).adviser_id
        before = db.session.scalar(select(db.func.count()).select_from(OutboxMessage))
        add_exception(admin_user(), adviser_id, day=start.date(), kind="off", stranded="cancel")
        kinds = [m.kind for m in db.session.scalars(select(OutboxMessage))]
        assert len(kinds) == before + 1
        assert "cancel" in kinds[-1]


def test_hours_off_strand_only_the_bookings_in_them_one_engine_run_a_day(ctx, monkeypatch):
    """Three bookings of one adviser on two days; an afternoon off strands the afternoon one
    only, and settling them runs the availability engine once per day, not per booking."""
    import app.visits.schedule as schedule
    from app.booking.services import Request, book_visit
    from app.types import local_today
    from app.zones.availability import free_slots
    from tests.test_waitlist import new_intake

    days = [d for d in (local_today() + timedelta(days=k) for k in range(2, 16))
            if free_slots("legal", d, d)][:2]
    adviser_id = free_slots("legal", days[0], days[0])[0].adviser_id
    first_day = free_slots("legal", days[0], days[0], adviser_id=adviser_id)
    morning, afternoon = first_day[0], first_day[-1]
    other_day = free_slots("legal", days[1], days[1], adviser_id=adviser_id)[0]
    ids = [book_visit(new_intake(n), [Request("legal", adviser_id, slot.start)])[0]
           .appointments[0].id for n, slot in enumerate((morning, afternoon, other_day))]
    runs = []

    def counted(*args, **kwargs):
        runs.append(args[1])
        return free_slots(*args, **kwargs)

    monkeypatch.setattr(schedule, "free_slots", counted)
    off_from = to_local(afternoon.start).time()
    with pytest.raises(StrandedAppointments) as refused:
        add_exception(admin_user(), adviser_id, day=days[0], kind="off",
                      start_time=off_from, end_time=time(23, 0))
    assert [a.id for a in refused.value.appointments] == [ids[1]]
    assert sorted(runs) == sorted(days)
