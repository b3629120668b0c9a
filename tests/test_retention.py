"""The retention purge, whole: pre-screens, their links and outcome texts, imported names.

Run as the scheduler runs it (the job `intake-retention-purge`), under a time-travel helper.
"""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.booking.models import Booking
from app.booking.services import cancel_booking
from app.booking.waitlist import join_waitlist
from app.extensions import db
from app.intake.jobs import PERSONAL_FIELDS
from app.intake.models import Intake
from app.notify.models import OutboxMessage
from app.notify.outbox import prune_outbox
from app.notify.scheduler import REGISTRY
from app.stats.figures import Period
from app.stats.flow import funnel, lead_time, splits
from app.stats.imports import import_consultations
from app.stats.models import ImportedConsultation
from app.stats.rollup import check_rollup
from app.types import local_datetime, local_today, to_local, utcnow
from app.visits.models import Outcome
from app.zones.availability import free_slots
from tests.stats_helpers import bearer, csv_bytes, make_visit, staff
from tests.test_outbox import book, new_intake, open_day


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def run_purge(app):
    """The job as the scheduler runs it, by its fixed id."""
    return app.extensions[REGISTRY]["intake-retention-purge"].func()


def outcome_of(appointment_id: int) -> Outcome:
    return db.session.scalar(select(Outcome).where(Outcome.appointment_id == appointment_id))


def complete(booking, summary: str, follow_up: str, amount: int = 0) -> Outcome:
    """Record an outcome of the booking's first appointment, directly."""
    appointment = booking.appointments[0]
    appointment.status = "completed"
    outcome = Outcome(appointment_id=appointment.id, summary=summary, follow_up=follow_up,
                      finance_amount_krw=amount, patent_transfers=1, ip_applications=2)
    db.session.add(outcome)
    db.session.commit()
    return outcome


def expire(intake: Intake) -> datetime:
    """A moment just after the pre-screen's retention ends."""
    return intake.retention_until + timedelta(minutes=1)


def test_one_run_erases_the_pre_screen_its_links_and_its_outcome_text(ctx, client):
    day = open_day()
    old_booking, old_token = book(1, day=day)
    kept_booking, kept_token = book(2, day=day, slot_index=1)
    cancel_booking(old_token, "대표 홍길동 개인 사정")
    old_booking.reminder_token_hash = "f" * 64
    old_outcome = complete(old_booking, "알림기업 1 홍길동 대표와 보증 상담",
                           "김담당에게 서류 요청", amount=300_000_000)
    kept_outcome = complete(kept_booking, "알림기업 2 상담", "다음 주 재방문")
    recorded_at = old_outcome.recorded_at
    old, kept = old_booking.intake, kept_booking.intake
    kept.retention_until = old.retention_until + timedelta(days=30)
    db.session.commit()
    with at(expire(old)):
        run_purge(ctx)
    db.session.expire_all()
    # The pre-screen, its booking's link and its outcome's text: all in the same run.
    assert all(getattr(old, name) is None for name in PERSONAL_FIELDS)
    assert old_outcome.summary == "" and old_outcome.follow_up == ""
    assert old_outcome.recorded_at == recorded_at
    assert (old_outcome.finance_amount_krw, old_outcome.patent_transfers,
            old_outcome.ip_applications) == (300_000_000, 1, 2)
    assert old_booking.token_hash.startswith("purged:")
    assert old_booking.reminder_token_hash is None and old_booking.cancel_reason is None
    assert client.get(f"/booking/{old_token}").status_code == 404
    # The other firm keeps everything.
    assert kept.email == "firm2@example.com" and kept.purged_at is None
    assert kept_outcome.summary == "알림기업 2 상담" and kept_outcome.follow_up == "다음 주 재방문"
    assert client.get(f"/booking/{kept_token}").status_code == 200


def test_a_second_run_changes_nothing(ctx):
    booking, _ = book(1)
    complete(booking, "알림기업 1 상담", "")
    with at(expire(booking.intake)):
        first = run_purge(ctx)
        second = run_purge(ctx)
    assert first == {"intakes": 1, "bookings": 1, "waitlist": 0, "outcomes": 1, "imports": 0}
    assert second == dict.fromkeys(first, 0)


def test_an_outcome_recorded_after_the_purge_is_blanked_by_the_next_run(ctx):
    booking, _ = book(1)
    with at(expire(booking.intake)):
        run_purge(ctx)
    outcome = complete(booking, "나중에 적은 기록", "후속")
    with at(expire(booking.intake) + timedelta(hours=1)):
        assert run_purge(ctx)["outcomes"] == 1
    db.session.expire_all()
    assert outcome.summary == "" and outcome.follow_up == ""


def test_the_waitlist_link_of_a_purged_pre_screen_is_revoked(ctx):
    day = open_day()
    for n in range(len(free_slots("legal", day, day))):
        book(10 + n, day=day)
    entry = join_waitlist(new_intake(1), "legal", day)
    entry.token_hash = "e" * 64  # as an offer leaves it
    db.session.commit()
    with at(expire(entry.intake)):
        assert run_purge(ctx)["waitlist"] == 1
    db.session.expire_all()
    assert entry.token_hash is None and entry.intake.purged_at is not None


IMPORT_HEADER = ("date,zone,company_name,business_number,finance_amount_krw,patent_transfers,"
                 "ip_applications,summary")


def import_days(*days) -> None:
    """Import one finance consultation of a named firm on each day."""
    rows = [f"{day.isoformat()},finance,주식회사 한빛 {n},124-81-00998,1000000,0,0,보증 상담 {n}"
            for n, day in enumerate(days)]
    import_consultations(csv_bytes(rows, header=IMPORT_HEADER))


def imported() -> list[ImportedConsultation]:
    db.session.expire_all()
    return list(db.session.scalars(select(ImportedConsultation).order_by(ImportedConsultation.id)))


def test_imported_names_go_once_their_consultation_is_older_than_the_retention(ctx):
    days = ctx.config["IMPORT_RETENTION_DAYS"]
    assert days == ctx.config["INTAKE_RETENTION_DAYS"] == 1095
    today = local_today()
    old, edge, recent = (today - timedelta(days=days + 1), today - timedelta(days=days),
                         today - timedelta(days=days - 1))
    import_days(old, edge, recent)
    run_purge(ctx)
    first, second, third = imported()
    for row in (first, second):
        assert (row.company_name, row.business_number, row.summary) == ("", None, "")
    assert third.company_name == "주식회사 한빛 2" and third.business_number == "1248100998"
    assert third.summary == "보증 상담 2"
    assert [row.finance_amount_krw for row in (first, second, third)] == [1000000] * 3
    assert [row.day for row in (first, second, third)] == [old, edge, recent]
    tomorrow = local_datetime(today + timedelta(days=1), time(0, 30))
    with at(tomorrow):
        assert run_purge(ctx)["imports"] == 1
        assert run_purge(ctx)["imports"] == 0
    assert imported()[2].company_name == "" and imported()[2].business_number is None


def test_the_import_retention_is_its_own_setting(app):
    app.config["IMPORT_RETENTION_DAYS"] = 365
    with app.app_context():
        today = local_today()
        import_days(today - timedelta(days=366), today - timedelta(days=300))
        assert run_purge(app)["imports"] == 1
        assert [row.company_name for row in imported()] == ["", "주식회사 한빛 1"]


def everything(client, token: str, last) -> dict:
    """What the statistics say: the API, cumulative and for a period, and the splits."""
    answers = {}
    for name, query in (("cumulative", {"to": last.isoformat()}),
                        ("recent", {"from": (last - timedelta(days=60)).isoformat(),
                                    "to": last.isoformat()})):
        response = client.get("/api/v1/stats", query_string=query, headers=bearer(token))
        assert response.status_code == 200
        answers[name] = response.get_json()
    period = Period(None, last)
    answers["splits"] = splits(period)
    answers["funnel"] = funnel(period)
    answers["lead_time"] = lead_time(period)
    return answers


def purge_between_two_readings(app, client) -> tuple[dict, dict]:
    """Visits, outcomes and imports; the statistics read, the purge run, read again."""
    token = staff(app)[1]
    with app.app_context():
        now = utcnow()
        start = datetime.combine(local_today() - timedelta(days=20), time(1), tzinfo=UTC)
        make_visit("finance", start, outcome={
            "summary": "한빛 대표 상담", "follow_up": "서류", "finance_amount_krw": 5 * 10**8},
            stage="bi", industry="manufacturing", region="경상남도")
        make_visit("patent", start + timedelta(hours=2), outcome={
            "summary": "특허 이전", "follow_up": "", "patent_transfers": 2, "ip_applications": 1},
            stage="post_bi", industry="ict", region="부산광역시")
        make_visit("legal", start + timedelta(days=1), status="no_show", stage="pre_bi")
        make_visit("legal", start + timedelta(days=2), status="cancelled", stage="bi")
        today = local_today()
        import_days(today - timedelta(days=1200), today - timedelta(days=1100),
                    today - timedelta(days=10))
        later = now + timedelta(days=31)  # make_visit's pre-screens are kept 30 days
        last = to_local(later).date()
        with at(later):
            before = everything(client, token, last)
            counts = run_purge(app)
            after = everything(client, token, last)
            assert check_rollup() == 0  # the rollup agrees with a recount
        assert counts["intakes"] == 4 and counts["outcomes"] == 2 and counts["imports"] == 2
        assert db.session.scalar(select(Intake.id).where(Intake.purged_at.is_(None))) is None
        assert {o.summary for o in db.session.scalars(select(Outcome))} == {""}
        assert len(db.session.scalars(select(Booking)).all()) == 4
    return before, after


def test_the_statistics_answer_the_same_before_and_after_a_purge(app, client):
    before, after = purge_between_two_readings(app, client)
    assert after == before
    zones = before["cumulative"]["zones"]
    assert zones["finance"]["consultations"] == 4  # one live, three imported
    assert zones["finance"]["finance_amount_krw"] == 5 * 10**8 + 3 * 1000000
    assert zones["patent"]["patent_transfers"] == 2
    assert {row.value for row in before["splits"]["industry"]} >= {"manufacturing", "ict"}


def test_the_job_list_has_no_separate_booking_purge(app):
    assert "intake-retention-purge" in app.extensions[REGISTRY]
    assert "booking-forget-purged" not in app.extensions[REGISTRY]


@pytest.mark.slow
def test_the_purge_and_the_outbox_prune_on_postgres(pg_app):
    before, after = purge_between_two_readings(pg_app, pg_app.test_client())
    assert after == before
    with pg_app.app_context():
        book(1)
        with at(utcnow() + timedelta(days=181)):
            assert prune_outbox() == 1 and prune_outbox() == 0
        [message] = db.session.scalars(select(OutboxMessage))
        assert message.erased and message.status == "dead"
