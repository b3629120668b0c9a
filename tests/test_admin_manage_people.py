"""Advisers through the admin pages: logins, edits, reassignment before deactivation."""

import re
from datetime import time

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.admin.errors import ManageError
from app.admin.manage_people import reassign_appointment
from app.auth.models import AuditEntry, User
from app.auth.services import create_user
from app.booking.models import Appointment
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.outbox import render_stored as said
from app.types import local_today, to_local
from app.visits.schedule import add_rotation_rule
from app.zones.models import Adviser, Institution
from tests.admin_helpers import (
    PASSWORD,
    count,
    entries,
    one,
    zone_id,
)

# Advisers


def adviser_form(app, **change) -> dict:
    finance = zone_id(app, "finance")
    kibo = one(app, Institution, Institution.code == "kibo").id
    return {"email": "New.Adviser@onestop.local", "password": "", "name": "오신규",
            "title": "기술보증기금 과장", "zone_id": str(finance), "institution_id": str(kibo),
            **change}


def test_a_new_adviser_gets_a_login_whose_password_is_shown_once(app, admin):
    response = admin.post("/admin/advisers/new", adviser_form(app))
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    password = re.search(r'<code class="ons-secret">([^<]+)</code>',
                         response.get_data(as_text=True)).group(1)
    user = one(app, User, User.email == "new.adviser@onestop.local")
    assert user.role == "adviser" and check_password_hash(user.password_hash, password)
    adviser = one(app, Adviser, Adviser.user_id == user.id)
    assert (adviser.name, adviser.title) == ("오신규", "기술보증기금 과장")
    [entry] = entries(app, "adviser", "create")
    assert entry.entity_id == str(adviser.id)
    assert entry.after["institution"] == "kibo" and password not in str(entry.after)
    assert password not in admin.get("/admin/advisers").get_data(as_text=True)


def test_a_typed_password_is_kept(app, admin):
    response = admin.post("/admin/advisers/new", adviser_form(app, password="typed pass 12"))
    assert response.status_code == 201
    user = one(app, User, User.email == "new.adviser@onestop.local")
    assert check_password_hash(user.password_hash, "typed pass 12")


@pytest.mark.parametrize("change, field", [
    ({"password": "short"}, "password"),
    ({"email": "lawyer@onestop.local"}, "email"),
    ({"email": "no-at-sign"}, "email"),
    ({"institution_id": "__legal_aid__"}, "institution_id"),  # of another zone
    ({"zone_id": "12345"}, "zone_id"),
    ({"name": ""}, "name"),
])
def test_bad_advisers_are_refused(app, admin, change, field):
    if change.get("institution_id") == "__legal_aid__":
        change = {"institution_id": str(one(app, Institution, Institution.code == "legal_aid").id)}
    users = count(app, User)
    response = admin.post("/admin/advisers/new", adviser_form(app, **change))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(app, User) == users and count(app, AuditEntry) == 0


def test_editing_an_adviser_checks_the_institution_and_renames_the_login(app, admin):
    adviser = one(app, Adviser, Adviser.name == "최산업")
    finance = str(adviser.zone_id)
    legal_aid = str(one(app, Institution, Institution.code == "legal_aid").id)
    bad = admin.post(f"/admin/advisers/{adviser.id}", {
        "name": "최산업", "zone_id": finance, "institution_id": legal_aid})
    assert bad.status_code == 422
    assert one(app, Adviser, Adviser.id == adviser.id).institution_id == adviser.institution_id
    ok = admin.post(f"/admin/advisers/{adviser.id}", {
        "name": "최산업2", "title": "차장", "zone_id": finance,
        "institution_id": str(adviser.institution_id)})
    assert ok.status_code == 303
    assert one(app, User, User.id == adviser.user_id).name == "최산업2"
    [entry] = entries(app, "adviser", "update")
    assert entry.before == {"name": "최산업", "title": "한국산업은행 차장"}


def test_an_inactive_zone_takes_no_new_advisers_but_keeps_its_own(app, admin):
    patent = zone_id(app, "patent")
    assert admin.post(f"/admin/zone/{patent}/active", {"active": "0"}).status_code == 303
    adviser = one(app, Adviser, Adviser.name == "한지식")
    kept = admin.post(f"/admin/advisers/{adviser.id}", {
        "name": "한지식", "title": "수석 변리사", "zone_id": str(patent),
        "institution_id": str(adviser.institution_id)})
    assert kept.status_code == 303
    moved = admin.post(f"/admin/advisers/{one(app, Adviser, Adviser.name == '최산업').id}", {
        "name": "최산업", "zone_id": str(patent)})
    assert moved.status_code == 422
    assert "운영하지 않는 상담존입니다" in moved.get_data(as_text=True)


def test_an_adviser_with_bookings_keeps_their_zone(app, admin, booked):
    lawyer = one(app, Appointment, Appointment.id == booked[0]).adviser_id
    response = admin.post(f"/admin/advisers/{lawyer}", {
        "name": "김정의", "zone_id": str(zone_id(app, "patent"))})
    assert response.status_code == 422
    assert "예약된 상담이 남아 있어" in response.get_data(as_text=True)


def second_lawyer(app, weekday: int) -> int:
    """Another legal adviser on duty all day on that weekday."""
    with app.app_context():
        user = create_user("second@onestop.local", "adviser", PASSWORD, name="이대리",
                           zone_code="legal")
        colleague = user.adviser.id
        add_rotation_rule(user, colleague, weekday=weekday, start_time=time(9),
                          end_time=time(18), valid_from=local_today())
    return colleague


def test_deactivating_an_adviser_first_reassigns_their_bookings(app, admin, booked):
    appointment_id, start = booked
    lawyer = one(app, Appointment, Appointment.id == appointment_id).adviser_id
    with app.app_context():
        weekday = to_local(start).weekday()
    plan = admin.get(f"/admin/advisers/{lawyer}/deactivate").get_data(as_text=True)
    assert "넘겨야 할 상담 1건" in plan and "비어 있는 상담위원이 없습니다" in plan
    refused = admin.post(f"/admin/advisers/{lawyer}/deactivate")
    assert refused.status_code == 422
    assert one(app, Adviser, Adviser.id == lawyer).active is True

    colleague = second_lawyer(app, weekday)
    plan = admin.get(f"/admin/advisers/{lawyer}/deactivate").get_data(as_text=True)
    assert f'<option value="{colleague}">이대리</option>' in plan
    moved = admin.post(f"/admin/advisers/{lawyer}/reassign",
                       {"appointment_id": str(appointment_id), "adviser_id": str(colleague)})
    assert moved.status_code == 303
    assert one(app, Appointment, Appointment.id == appointment_id).adviser_id == colleague
    [entry] = entries(app, "appointment", "reassign")
    assert (entry.before["adviser"], entry.after["adviser"]) == ("김정의", "이대리")
    with app.app_context():  # the firm is told who it will meet, at the same time as before
        [notice] = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "reassigned")).all()
        visit = db.session.get(Appointment, appointment_id)
        assert notice.recipient == visit.booking.intake.email and said(notice).ics is None
        subject = said(notice).subject
        assert "상담위원 변경" in subject and "Your adviser" not in subject  # a Korean pre-screen
        assert "이대리" in said(notice).text and "이전 상담위원: 김정의" in said(notice).text
        assert f"{to_local(start):%H:%M}" in said(notice).text and "이대리" in said(notice).html
        assert f"일정: {to_local(start):%Y년 %-m월 %-d일}" in said(notice).text  # the day, too

    assert "앞으로 예약된 상담이 없습니다" in admin.get(
        f"/admin/advisers/{lawyer}/deactivate").get_data(as_text=True)
    assert admin.post(f"/admin/advisers/{lawyer}/deactivate").status_code == 303
    adviser = one(app, Adviser, Adviser.id == lawyer)
    assert adviser.active is False and one(app, User, User.id == adviser.user_id).active is False
    [entry] = entries(app, "adviser", "deactivate")
    assert entry.after == {"active": False, "login_active": False}
    assert admin.post(f"/admin/advisers/{lawyer}/reactivate").status_code == 303
    assert one(app, User, User.id == adviser.user_id).active is True


def test_reassigning_to_a_busy_or_foreign_adviser_is_refused(app, admin, booked):
    appointment_id, _ = booked
    lawyer = one(app, Appointment, Appointment.id == appointment_id).adviser_id
    patent = one(app, Adviser, Adviser.name == "한지식").id
    idle = second_lawyer(app, weekday=6)  # on duty on Sundays only
    for other in (patent, idle, lawyer):
        response = admin.post(f"/admin/advisers/{lawyer}/reassign",
                              {"appointment_id": str(appointment_id), "adviser_id": str(other)})
        assert response.status_code == 422
    assert one(app, Appointment, Appointment.id == appointment_id).adviser_id == lawyer
    assert entries(app, "appointment", "reassign") == []
    assert count(app, OutboxMessage, OutboxMessage.kind == "reassigned") == 0


def test_a_reassignment_that_loses_the_race_is_refused(app, booked, monkeypatch):
    """Availability said free, then the unique index said taken: refused, nothing changed."""
    appointment_id, start = booked
    with app.app_context():
        weekday = to_local(start).weekday()
    colleague = second_lawyer(app, weekday)
    monkeypatch.setattr("app.booking.handover.is_free", lambda *args, **kwargs: True)
    with app.app_context():
        mine = db.session.get(Appointment, appointment_id)
        db.session.add(Appointment(  # the colleague's time, taken a moment ago
            booking_id=mine.booking_id, intake_id=mine.intake_id, zone_id=mine.zone_id,
            adviser_id=colleague, starts_at=mine.starts_at, ends_at=mine.ends_at,
            status="completed"))
        db.session.commit()
        actor = db.session.scalar(select(User).where(User.role == "admin"))
        with pytest.raises(ManageError, match="상담할 수 없습니다"):
            reassign_appointment(actor, appointment_id, colleague)
        assert db.session.get(Appointment, appointment_id).adviser_id != colleague
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "reassign")) == 0


def test_the_rotation_link_opens_the_shared_availability_page(app, admin):
    lawyer = one(app, Adviser, Adviser.name == "김정의").id
    response = admin.get(f"/admin/advisers/{lawyer}/rules")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/adviser/availability?adviser_id={lawyer}")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "주간 근무 규칙" in page and "김정의" in page
    assert admin.get("/admin/advisers/999/rules").status_code == 404

