"""A closed day (admin) or a time off (adviser) that still holds bookings: the bookings are
listed and settled in one step, each told to its firm through the outbox or handed to a
colleague free then; nothing is cancelled, every action is audited, a conflict changes
nothing."""

import re
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import AuditEntry, User
from app.auth.services import create_user
from app.booking.errors import BookingConflict
from app.booking.handover import TIME_OFF, booked_during, settle_affected
from app.booking.models import Appointment, Booking
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.outbox import render_message
from app.notify.outbox import render_stored as said
from app.tokens import hash_token
from app.types import local_today, to_local
from app.visits.schedule import add_rotation_rule
from app.zones.models import Closure
from tests.admin_helpers import PASSWORD, count, entries, one
from tests.test_mail_language import URL, VISIT, text_english, text_hangul

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def close_day(app, admin, booked, **extra):
    with app.app_context():
        day = to_local(booked[1]).date()
    response = admin.post("/admin/closures", {"day": day.isoformat(), "zone_id": "",
                                              "reason": "창립기념일", **extra})
    assert response.status_code == 303
    closure = one(app, Closure, Closure.day == day)
    assert response.headers["Location"].endswith(f"/admin/closures/{closure.id}/bookings")
    return closure


def test_a_closed_day_lists_its_bookings_and_tells_the_firms_in_one_step(app, admin, booked):
    appointment_id, start = booked
    closure = close_day(app, admin, booked)
    page = admin.get(f"/admin/closures/{closure.id}/bookings").get_data(as_text=True)
    with app.app_context():
        visit = db.session.get(Appointment, appointment_id)
        company, adviser = visit.booking.intake.company_name, visit.adviser.name
        old_hash, hour = visit.booking.token_hash, f"{to_local(start):%H:%M}"
    assert company in page and adviser in page and hour in page
    assert f'name="choice-{appointment_id}" id="choice-{appointment_id}-notify"' in page
    assert "비어 있는 같은 상담존 상담위원이 없습니다" in page  # the whole centre is closed
    listed = admin.get("/admin/closures").get_data(as_text=True)
    assert "예약 1건: 기업에 알리기" in listed

    done = admin.post(f"/admin/closures/{closure.id}/bookings",
                      {f"choice-{appointment_id}": "notify"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "기업 1곳에 알렸습니다" in text and "기업에 알렸음" in text
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "away")).all()
        visit = db.session.get(Appointment, appointment_id)
        assert visit.status == "booked"  # nothing is cancelled
        assert mail.recipient == visit.booking.intake.email
        message = said(mail)
        assert "센터 휴무" in message.subject and "Onestop" not in message.subject
        assert "취소된 것은 없습니다" in message.text and company in message.text
        token = re.search(r"/booking/([A-Za-z0-9_-]{40,})", message.text).group(1)
        assert visit.booking.token_hash == hash_token(token) != old_hash  # the new link works
    assert [e.after["why"] for e in entries(app, "appointment", "notify_away")] == ["closure"]
    assert admin.client.get(f"/booking/{token}").status_code == 200

    # Told already: the page says so and leaves it by default; a second "notify" of the same
    # appointments writes no second mail and keeps the link of the first.
    again = admin.get(f"/admin/closures/{closure.id}/bookings").get_data(as_text=True)
    assert re.search(rf'id="choice-{appointment_id}-leave" value="leave" checked', again)
    admin.post(f"/admin/closures/{closure.id}/bookings", {f"choice-{appointment_id}": "notify"})
    assert count(app, OutboxMessage, OutboxMessage.kind == "away") == 1
    with app.app_context():
        assert db.session.get(Booking, visit.booking_id).token_hash == hash_token(token)


def test_an_english_pre_screen_is_told_in_english(app, admin, client, intake_payload):
    token = client.post("/api/v1/intakes", json={**intake_payload, "language": "en"}
                        ).get_json()["intake"]["token"]
    with app.app_context():
        first = local_today()
    slot = client.get("/api/v1/slots", query_string={
        "zone": "legal", "from": first.isoformat(),
        "to": (first + timedelta(days=14)).isoformat()}).get_json()["slots"][0]
    booking = client.post("/api/v1/bookings", json={"intake_token": token, "appointments": [
        {"zone": "legal", "adviser_id": slot["adviser_id"], "start": slot["start"]}]}).get_json()
    appointment_id = booking["booking"]["appointments"][0]["id"]
    closure = close_day(app, admin, (appointment_id, datetime.fromisoformat(slot["start"])))
    admin.post(f"/admin/closures/{closure.id}/bookings", {f"choice-{appointment_id}": "notify"})
    with app.app_context():
        message = said(db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.kind == "away")))
        visit = db.session.get(Appointment, appointment_id)
        data = (visit.booking.intake.company_name, visit.booking.intake.contact_name,
                visit.adviser.name)
    assert "The centre is closed" in message.subject
    assert "Nothing has been cancelled" in message.text
    assert text_hangul(message.text, data) == []


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("why", ["closure", "time_off"])
def test_the_away_mail_speaks_one_language(app, why, language):
    with app.app_context():
        subject, text, _html = render_message("away", {**VISIT, "why": why, "manage_url": URL},
                                              language)
    if language == "ko":
        assert text_english(text) == [] and URL in text
        assert ("센터 휴무" if why == "closure" else "상담위원 부재") in subject
    else:
        assert text_hangul(text) == [] and URL in text
        assert ("closed" if why == "closure" else "away") in subject


@pytest.mark.parametrize("choice", ["cancel", "12abc", "-1"])
def test_a_choice_that_is_none_of_the_offered_changes_nothing(app, admin, booked, choice):
    appointment_id, _ = booked
    closure = close_day(app, admin, booked)
    response = admin.post(f"/admin/closures/{closure.id}/bookings",
                          {f"choice-{appointment_id}": choice})
    assert response.status_code == 422
    assert "예약마다 처리 방법을 고르세요" in response.get_data(as_text=True)
    assert count(app, OutboxMessage, OutboxMessage.kind == "away") == 0
    assert entries(app, "appointment") == []


def test_an_unknown_closure_is_404_and_advisers_may_not_settle(app, admin, client, booked):
    assert admin.get("/admin/closures/999/bookings").status_code == 404


def colleague(app, weekday: int, email: str = "second@onestop.local") -> int:
    """Another legal adviser on duty all day on that weekday."""
    with app.app_context():
        user = create_user(email, "adviser", PASSWORD, name="이대리", zone_code="legal")
        add_rotation_rule(user, user.adviser.id, weekday=weekday, start_time=time(9),
                          end_time=time(18), valid_from=local_today())
        return user.adviser.id


def test_time_off_lists_the_bookings_and_hands_one_to_a_free_colleague(
        app, client, auth, staff, booked):
    appointment_id, start = booked
    with app.app_context():
        day = to_local(start).date()
    other = colleague(app, day.weekday())
    auth.login(staff["adviser_a"])
    page = client.get("/adviser/availability").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    stranded = client.post("/adviser/availability/exceptions", data={
        "off-csrf_token": token, "off-day": day.isoformat(), "off-kind": "off"})
    assert stranded.status_code == 409
    assert "유지한 예약은 다음 화면에 나옵니다" in stranded.get_data(as_text=True)
    kept = client.post("/adviser/availability/exceptions", data={
        "off-csrf_token": token, "off-day": day.isoformat(), "off-kind": "off",
        "stranded": "keep"})
    assert kept.status_code == 303 and "/bookings" in kept.headers["Location"]
    listing = client.get(kept.headers["Location"]).get_data(as_text=True)
    assert f'id="choice-{appointment_id}-{other}"' in listing
    assert "이대리</span>에게 넘기기" in listing
    assert "예약 1건이 남아 있습니다" in client.get("/adviser/availability").get_data(True)

    done = client.post(kept.headers["Location"], data={
        "csrf_token": token, f"choice-{appointment_id}": str(other)}, follow_redirects=True)
    assert "상담 1건을 넘겼습니다" in done.get_data(as_text=True)
    with app.app_context():
        moved = db.session.get(Appointment, appointment_id)
        assert (moved.adviser_id, moved.status) == (other, "booked")
        [notice] = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind != "booked")).all()
        assert notice.kind == "reassigned"
    [entry] = entries(app, "appointment", "reassign")
    assert (entry.before["adviser"], entry.after["adviser"]) == ("김정의", "이대리")
    assert "남아 있는 예약 상담이 없습니다" in client.get(
        kept.headers["Location"]).get_data(as_text=True)


def test_a_colleague_taken_meanwhile_refuses_the_whole_step(app, client, auth, staff, booked):
    """Tell one firm and hand one over, but the colleague was booked a moment ago: a clear
    error, and neither the mail nor the handover happens."""
    appointment_id, start = booked
    with app.app_context():
        day = to_local(start).date()
    other = colleague(app, day.weekday())
    with app.app_context():
        lawyer = db.session.scalar(select(User).where(User.email == staff["adviser_a"]))
        mine = db.session.get(Appointment, appointment_id)
        db.session.add(Appointment(  # the colleague's time, taken a moment ago
            booking_id=mine.booking_id, intake_id=mine.intake_id, zone_id=mine.zone_id,
            adviser_id=other, starts_at=mine.starts_at, ends_at=mine.ends_at,
            status="completed"))
        db.session.commit()
        booked_now = booked_during(day, adviser_id=mine.adviser_id)
        with pytest.raises(BookingConflict, match="상담할 수 없습니다"):
            settle_affected(lawyer, {appointment_id: other}, TIME_OFF, booked_now)
        assert db.session.get(Appointment, appointment_id).adviser_id == mine.adviser_id
    assert entries(app, "appointment") == []
    assert count(app, OutboxMessage, OutboxMessage.kind != "booked") == 0


def test_an_adviser_cannot_settle_another_advisers_time_off(app, client, auth, staff, booked):
    appointment_id, start = booked
    with app.app_context():
        lawyer = db.session.scalar(select(User).where(User.email == staff["adviser_a"]))
        from app.visits.schedule import add_exception
        item = add_exception(lawyer, lawyer.adviser.id, day=to_local(start).date(), kind="off",
                             stranded="keep")
        item_id = item.id
    auth.login(staff["adviser_b"])
    page = client.get("/adviser/availability").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    assert client.get(f"/adviser/availability/exceptions/{item_id}/bookings").status_code == 404
    refused = client.post(f"/adviser/availability/exceptions/{item_id}/bookings", data={
        "csrf_token": token, f"choice-{appointment_id}": "notify"})
    assert refused.status_code == 404
    assert count(app, OutboxMessage, OutboxMessage.kind != "booked") == 0


def test_one_mail_per_firm_a_zone_closure_lists_its_zone_only_and_no_email_is_said(app):
    from app.admin.manage_closures import add_closure
    from app.booking.handover import CLOSURE, NOTIFY
    from tests.firm_helpers import FIRST, business_number, make_firm

    with app.app_context():
        actor = db.session.scalar(select(User).where(User.role == "admin"))
        both = make_firm("두존기업", business_number("220810001"), [
            ("lawyer@onestop.local", "booked", None), ("kodit@onestop.local", "booked", None)])
        silent = make_firm("메일없는기업", None, [("lawyer@onestop.local", "booked", None)])
        db.session.get(Appointment, db.session.scalar(select(Appointment.id).where(
            Appointment.intake_id == silent))).booking.intake.email = None
        db.session.commit()
        day = to_local(FIRST).date()
        legal = db.session.scalar(select(Appointment.zone_id).where(
            Appointment.intake_id == silent))
        _closure, zone_only = add_closure(actor, day, legal, "법률존 점검")
        assert {a.zone_id for a in zone_only} == {legal} and len(zone_only) == 2
        db.session.execute(Closure.__table__.delete())
        db.session.commit()
        _closure, whole = add_closure(actor, day, None, "창립기념일")
        assert len(whole) == 3
        settled = settle_affected(actor, {a.id: NOTIFY for a in whole}, CLOSURE, whole)
        assert [a.booking.intake.company_name for a in settled.no_email] == ["메일없는기업"]
        [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "away"))
        text = said(mail).text
        assert text.count("김정의") == 1 and "신용보증기금" in text  # both zones, one message
        told = {int(e.entity_id) for e in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "notify_away"))}
        assert told == {a.id for a in whole if a.booking.intake_id == both}
