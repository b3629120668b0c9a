"""The statistics service and GET /api/v1/stats: centre-local periods, funnel, guards."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.stats.figures import (
    Period,
    StatsError,
    consultations_over_time,
    parse_period,
    zone_figures,
)
from app.stats.flow import IMPORTED_GROUP, SplitRow, funnel, lead_time, splits
from app.stats.utilisation import utilisation
from tests.stats_helpers import bearer, csv_bytes, make_visit, staff

SEOUL = ZoneInfo("Asia/Seoul")


def kst(*parts) -> datetime:
    return datetime(*parts, tzinfo=SEOUL)


def finance(period: Period) -> tuple[int, int]:
    (figures,) = zone_figures([period])
    return figures["finance"].consultations, figures["finance"].finance_amount_krw


def test_period_edges_are_inclusive_centre_local_days(ctx):
    # 23:30 KST on the 31st is 14:30 UTC on the 31st; 00:10 KST on 6.1 is still 5.31 in UTC.
    make_visit("finance", kst(2026, 5, 31, 23, 30), outcome={"finance_amount_krw": 100_000_000})
    make_visit("finance", kst(2026, 6, 1, 0, 10), outcome={"finance_amount_krw": 7})
    make_visit("finance", kst(2026, 5, 1, 0, 0))  # completed without an outcome row
    assert finance(Period(None, date(2026, 5, 31))) == (2, 100_000_000)
    assert finance(Period(date(2026, 5, 31), date(2026, 5, 31))) == (1, 100_000_000)
    assert finance(Period(date(2026, 5, 1), date(2026, 5, 1))) == (1, 0)
    assert finance(Period(date(2026, 6, 1), date(2026, 6, 30))) == (1, 7)
    assert finance(Period(date(2026, 5, 2), date(2026, 5, 30))) == (0, 0)


def test_the_api_counts_the_2330_kst_visit_on_the_31st(app, client):
    with app.app_context():
        make_visit("legal", kst(2026, 5, 31, 23, 30))
    _, token = staff(app)
    client.post("/api/v1/import/consultations", headers=bearer(token),
                data=csv_bytes(["2026-05-31,legal,,,0,0,0,", "2026-06-01,legal,,,0,0,0,"]))

    def legal(**query) -> int:
        response = client.get("/api/v1/stats", query_string=query, headers=bearer(token))
        assert response.status_code == 200
        return response.get_json()["zones"]["legal"]["consultations"]

    assert legal(**{"from": "2026-05-31", "to": "2026-05-31"}) == 2
    assert legal(to="2026-05-31") == 2
    assert legal(**{"from": "2026-06-01", "to": "2026-06-30"}) == 1
    assert legal() == 3  # up to today


def test_only_completed_or_imported_consultations_count(ctx):
    day = kst(2026, 3, 3, 10)
    for hour, status in enumerate(("booked", "checked_in", "cancelled", "no_show")):
        make_visit("legal", day + timedelta(hours=hour), status,
                   outcome={"finance_amount_krw": 5})
    (figures,) = zone_figures([Period(None, date(2026, 3, 31))])
    assert figures["legal"].consultations == 0 and figures["legal"].finance_amount_krw == 0


def test_the_funnel_and_the_no_show_rate(ctx):
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert funnel(march).no_show_rate == 0.0
    for hour, status in enumerate(("completed", "completed", "completed", "no_show",
                                   "cancelled", "booked")):
        make_visit("patent", kst(2026, 3, 10, 9 + hour), status,
                   booked_at=kst(2026, 2, 20, 12))
    make_visit("patent", kst(2026, 4, 1, 10), booked_at=kst(2026, 3, 31, 23, 59))
    # One cohort: the pre-screens made in the period and what became of them. The six made
    # on 2.20 are February's, whenever they were visited; March's one is visited in April.
    flow = funnel(Period(date(2026, 2, 1), date(2026, 2, 28)))
    assert flow.as_dict() == {"intakes": 6, "bookings": 6, "appointments": 6, "completed": 3,
                              "no_show": 1, "cancelled": 1}
    assert flow.no_show_rate == 0.25
    assert funnel(march).as_dict() == {"intakes": 1, "bookings": 1, "appointments": 1,
                                       "completed": 1, "no_show": 0, "cancelled": 0}


def test_lead_time_from_booking_to_visit(ctx):
    make_visit("legal", kst(2026, 3, 10, 10), booked_at=kst(2026, 3, 10, 8))  # same day
    make_visit("legal", kst(2026, 3, 11, 10), booked_at=kst(2026, 3, 1, 10))  # 10 days
    make_visit("legal", kst(2026, 3, 12, 10), "cancelled", booked_at=kst(2026, 1, 1, 10))
    found = lead_time(Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert found.count == 2
    assert found.mean_days == pytest.approx((2 / 24 + 10) / 2, abs=0.05)
    assert [count for _, _, count in found.buckets] == [1, 0, 0, 1, 0]


def test_splits_by_stage_industry_and_region(ctx):
    make_visit("legal", kst(2026, 3, 10, 10), stage="pre_bi", region="경상남도",
               industry="manufacturing")
    make_visit("legal", kst(2026, 3, 10, 11), stage="pre_bi", region="경상남도")
    make_visit("legal", kst(2026, 3, 10, 12), "no_show", stage="established", region="서울특별시")
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    found = splits(march)
    stages = {row.value: (row.intakes, row.consultations) for row in found["stage"]}
    assert stages == {"pre_bi": (2, 2), "established": (1, 0)}
    regions = [(row.value, row.consultations) for row in found["region"]]
    assert regions == [("경상남도", 2), ("서울특별시", 0)]
    industries = {row.value: row.intakes for row in found["industry"]}
    assert industries == {"manufacturing": 1, None: 2}
    from app.stats.imports import import_consultations

    import_consultations(csv_bytes(["2026-03-31,legal,,,0,0,0,"]))
    assert splits(march)["region"][-1] == SplitRow(IMPORTED_GROUP, 0, 1)


def test_consultations_per_week_by_zone_mix_imported_and_live(ctx):
    from app.stats.imports import import_consultations

    import_consultations(csv_bytes(["2026-03-02,legal,,,0,0,0,", "2026-03-15,patent,,,0,0,0,"]))
    make_visit("legal", kst(2026, 3, 15, 23, 30))  # Sunday night: still the first full week
    make_visit("legal", kst(2026, 3, 16, 0, 30))
    series = consultations_over_time(Period(date(2026, 3, 1), date(2026, 3, 20)))
    assert series.weekly and series.starts == [date(2026, 3, 1), date(2026, 3, 2),
                                               date(2026, 3, 9), date(2026, 3, 16)]
    assert series.counts["legal"] == [0, 1, 1, 1]
    assert series.counts["patent"] == [0, 0, 1, 0]
    monthly = consultations_over_time(Period(date(2024, 1, 1), date(2026, 3, 31)))
    assert not monthly.weekly and len(monthly.starts) == 27
    assert monthly.counts["legal"][-1] == 3


def test_utilisation_counts_booked_over_offered(ctx):
    from app.booking.models import Appointment
    from app.extensions import db
    from app.types import local_today

    today = local_today()
    rows = utilisation(Period(today, today + timedelta(days=13)))
    legal = next(r for r in rows if r.level == "zone" and r.zone == "legal")
    assert legal.offered > 0 and legal.booked == 0 and legal.rate == 0.0
    adviser_rows = [r for r in rows if r.level == "adviser" and r.zone == "legal"]
    assert sum(r.offered for r in adviser_rows) == legal.offered

    from app.zones.availability import free_slots

    slot = free_slots("legal", today, today + timedelta(days=13))[0]
    make_visit("legal", slot.start, "booked")
    again = next(r for r in utilisation(Period(today, today + timedelta(days=13)))
                 if r.level == "zone" and r.zone == "legal")
    assert (again.booked, again.offered) == (1, legal.offered)  # a taken slot is still offered
    assert db.session.scalar(select(func.count(Appointment.id))) == 1


@pytest.mark.parametrize("first, last", [
    ("2026-05-02", "2026-05-01"), ("2026-5-1", None), ("20260501", None), (None, "2026-02-30"),
    ("abc", None), (None, "0001-01-01"), (None, "9999-12-31"), ("2026-05-01T00:00", None)])
def test_malformed_dates_and_from_after_to_are_refused(app, client, first, last):
    with pytest.raises(StatsError):
        parse_period(first, last, date(2026, 11, 22))
    _, token = staff(app)
    query = {name: value for name, value in (("from", first), ("to", last)) if value}
    response = client.get("/api/v1/stats", query_string=query, headers=bearer(token))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_without_to_the_period_ends_today(app, client):
    _, token = staff(app)
    body = client.get("/api/v1/stats", query_string={"from": "2026-01-01"},
                      headers=bearer(token)).get_json()
    with app.app_context():
        from app.types import local_today

        assert body["to"] == local_today().isoformat() and body["from"] == "2026-01-01"


def test_the_stats_need_an_admin_token(app, client):
    assert client.get("/api/v1/stats").status_code == 401
    assert client.get("/api/v1/stats", headers=bearer("not-a-token")).status_code == 401
    _, adviser_token = staff(app, "adviser")
    response = client.get("/api/v1/stats", headers=bearer(adviser_token))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_the_openapi_document_lists_the_stats_and_the_import(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/stats"] and "post" in paths["/import/consultations"]


@pytest.mark.slow
def test_the_statistics_run_on_postgres(pg_app):
    """The same queries (day boundaries, bisecting CASE, epoch seconds) on PostgreSQL."""
    from app.stats.imports import import_consultations
    from app.stats.tables import build_dashboard
    from tests.stats_helpers import published_rows

    with pg_app.app_context():
        assert import_consultations(csv_bytes(published_rows())).imported == 971
        make_visit("finance", kst(2026, 7, 17, 23, 30), booked_at=kst(2026, 7, 1, 9),
                   outcome={"finance_amount_krw": 5_000_000})
        as_of = [date(2026, 5, 31), date(2026, 7, 17)]
        board = build_dashboard(Period(date(2026, 1, 1), date(2026, 7, 31)), as_of)
        assert [cells for _, cells in board.published] == [
            ["95", "165 / 32.00", "195 / 128"], ["208", "291 / 111.10", "467 / 142"]]
        assert board.lead.count == 1 and board.lead.mean_days == pytest.approx(16.6, abs=0.1)
        # 2026 finance rows up to 7.31: 134 of spring (31 fell in December 2025), 125 of
        # summer, 1 of 7.18, and the live visit.
        assert sum(board.series.counts["finance"]) == 134 + 125 + 1 + 1
        (figures,) = zone_figures([Period(None, date(2026, 7, 17))])  # the API's query
        assert figures["finance"].finance_amount_krw == 11_110_000_000
        assert funnel(Period(date(2026, 7, 1), date(2026, 7, 31))).completed == 1
