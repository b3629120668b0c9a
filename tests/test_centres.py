"""The centre's own facts (app/centres): the row the migration makes from the settings, the
request's centre, every page's footer with them, and the messages and calendar files."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from app.centres.models import Centre, tel_url
from app.centres.services import (
    current_centre,
    ensure_centre,
    forget_current_centre,
    region_of,
)
from app.extensions import db
from app.main.commands import prepare_database
from tests.admin_helpers import sign_in
from tests.databases import app_before, revision_before
from tests.language_helpers import english_words, hangul

REVISION = "a7c3e5f1b2d4"
FACTS = {"phone": "055-000-0000", "hours": "평일 09:00–18:00 (점심 12:00–13:00)",
         "hours_en": "Weekdays 09:00–18:00 (lunch 12:00–13:00)",
         "address_en": "22 Changwon-daero 18beon-gil, Uichang-gu, Changwon-si"}


def centres(app) -> list[Centre]:
    with app.app_context():
        rows = list(db.session.scalars(select(Centre).order_by(Centre.id)))
        db.session.expunge_all()
        return rows


def set_facts(app, **values) -> None:
    with app.app_context():
        centre = db.session.scalar(select(Centre))
        for name, value in values.items():
            setattr(centre, name, value)
        db.session.commit()


# ---------------------------------------------------------------- the migration

SETTINGS = {"CENTER_NAME": "부산창조경제혁신센터",
            "CENTER_NAME_EN": "Busan Center for Creative Economy & Innovation",
            "CENTER_ADDRESS": "부산광역시 동구 중앙대로 180", "CENTER_PHONE": "051-000-0000",
            "DEFAULT_CENTRE": "busan"}


@pytest.fixture
def old_app(databases, tmp_path):
    """An app on a database migrated up to just before the centre became data."""
    with app_before(REVISION, tmp_path) as app:
        yield app


def _old_rows(connection) -> None:
    connection.execute(text(
        "INSERT INTO zones (id, code, name, name_en, description, description_en, "
        "what_to_bring, what_to_bring_en, slot_minutes, buffer_minutes, min_notice_hours, "
        "horizon_days, opens_at, closes_at, sort_order, active) VALUES (1, 'legal', '법률존', "
        "'Legal zone', '', '', '', '', 60, 0, 24, 60, '09:00:00', '18:00:00', 1, :yes)"),
        {"yes": True})
    connection.execute(text(
        "INSERT INTO intakes (id, token_hash, created_at, source, stage, recommendation, "
        "consent_personal_info_at, consent_notice_version, consent_marketing, retention_until, "
        "language, company_name) VALUES (1, :hash, '2026-01-05 01:00:00+00', 'online', 'bi', "
        "'[]', '2026-01-05 01:00:00+00', 'v1', :no, '2029-01-05 01:00:00+00', 'ko', '한빛')"),
        {"hash": "a" * 64, "no": False})


def _counts() -> tuple:
    with db.engine.connect() as connection:
        return tuple(connection.execute(text(
            "SELECT (SELECT count(*) FROM zones), (SELECT count(*) FROM intakes), "
            "(SELECT company_name FROM intakes WHERE id = 1)")).one())


def test_the_upgrade_makes_the_centre_from_the_settings_and_keeps_everything(old_app):
    old_app.config.update(SETTINGS)
    with old_app.app_context():
        with db.engine.begin() as connection:
            _old_rows(connection)
        upgrade(revision=REVISION)
        assert _counts() == (1, 1, "한빛")
        [centre] = db.session.scalars(select(Centre)).all()
        assert (centre.code, centre.name, centre.name_en, centre.address, centre.region,
                centre.phone) == ("busan", SETTINGS["CENTER_NAME"], SETTINGS["CENTER_NAME_EN"],
                                  SETTINGS["CENTER_ADDRESS"], "부산광역시", "051-000-0000")
        assert (centre.hours, centre.directions_url, centre.privacy_officer) == ("", "", "")
        assert centre.active and centre.created_at.tzinfo is not None
        assert current_centre().code == "busan"
        db.session.remove()

        downgrade(revision=revision_before(old_app, REVISION))
        assert "centres" not in inspect(db.engine).get_table_names()
        assert _counts() == (1, 1, "한빛")  # nothing else touched
        upgrade(revision=REVISION)  # and forward again
        assert [c.code for c in db.session.scalars(select(Centre))] == ["busan"]


def test_the_default_settings_make_the_gyeongnam_centre(empty_app):
    [centre] = centres(empty_app)
    assert (centre.code, centre.name, centre.region) == ("gyeongnam", "경남창조경제혁신센터",
                                                         "경상남도")
    assert centre.address == empty_app.config["CENTER_ADDRESS"]


def test_init_db_twice_and_on_a_database_without_a_centre_makes_exactly_one(empty_app):
    runner = empty_app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert len(centres(empty_app)) == 1
    with empty_app.app_context():
        db.session.execute(text("DELETE FROM centres"))
        db.session.commit()
        prepare_database()
        prepare_database()
    assert [c.code for c in centres(empty_app)] == ["gyeongnam"]


def test_seed_demo_fills_the_blank_facts_and_keeps_what_an_admin_typed(app):
    [centre] = centres(app)
    assert centre.phone and centre.hours and centre.directions_url.startswith("https://")
    assert centre.privacy_officer and centre.privacy_email
    set_facts(app, phone="02-123-4567", hours="")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    [again] = centres(app)
    assert again.phone == "02-123-4567" and again.hours == centre.hours


def test_ensure_centre_and_the_request_centre_follow_default_centre(app):
    with app.app_context():
        db.session.add(Centre(code="busan", name="부산창조경제혁신센터", name_en="Busan"))
        db.session.commit()
        assert current_centre().code == "gyeongnam"  # the first centre made
        app.config["DEFAULT_CENTRE"] = "busan"
        assert current_centre().code == "gyeongnam"  # kept for the rest of this context
    with app.app_context():  # a new request or job
        assert current_centre().code == "busan" and ensure_centre().code == "busan"
    app.config["DEFAULT_CENTRE"] = "nowhere"  # unknown: the first centre, never a 500
    with app.app_context():
        assert current_centre().code == "gyeongnam"


def test_a_database_without_a_centre_still_shows_the_settings(empty_app):
    # A database without zones: a zone belongs to a centre (issue 14), so the centre row
    # of a database that has zones cannot be deleted.
    app, client = empty_app, empty_app.test_client()
    with app.app_context():
        db.session.execute(text("DELETE FROM centres"))
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert app.config["CENTER_NAME"] in page and app.config["CENTER_ADDRESS"] in page
    assert centres(app) == []  # shown, not stored


@pytest.mark.parametrize(("address", "region"), [
    ("경상남도 창원시 의창구 창원대로18번길 22", "경상남도"),
    ("서울특별시 중구 세종대로 110", "서울특별시"),
    ("세종특별자치시 한누리대로 2130", "세종특별자치시"), ("창원시 의창구", "창원시"),
    ("22 Changwon-daero", ""), ("", ""), ("   ", "")])
def test_the_region_is_the_addresss_first_word_when_it_is_one(address, region):
    assert region_of(address) == region


@pytest.mark.parametrize(("phone", "url"), [
    ("055-000-0000", "tel:0550000000"), ("1588-0000", "tel:15880000"), ("", ""),
    ("０５５", "")])
def test_the_tel_link_holds_the_digits(phone, url):
    assert tel_url(phone) == url


# ---------------------------------------------------------------- every page's footer

PUBLIC = ("/", "/intake/", "/privacy", "/auth/login")


def footer(html: str) -> str:
    return html[html.index('<footer id="krds-footer"'):html.index("</footer>")]


@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_page_shows_the_centres_facts_in_korean(app, client, path):
    set_facts(app, **FACTS)
    html = client.get(f"{path}?lang=ko").get_data(as_text=True)
    part = footer(html)
    assert "경남창조경제혁신센터" in part and "창원대로18번길 22" in part
    assert '<a href="tel:0550000000" translate="no"><strong>055-000-0000</strong></a>' in part
    assert "운영 시간" in part and FACTS["hours"] in part
    assert 'href="https://map.naver.com/p/search/' in part and "찾아오시는 길" in part
    assert '<a class="ons-privacy-link" href="/privacy"' in part
    assert "<strong>개인정보처리방침</strong>" in part
    assert english_words(part) == []


@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_page_shows_the_centres_facts_in_english(app, client, path):
    set_facts(app, **FACTS)
    part = footer(client.get(f"{path}?lang=en").get_data(as_text=True))
    assert "Gyeongnam Center for Creative Economy &amp; Innovation" in part
    assert FACTS["address_en"] in part and FACTS["hours_en"] in part
    assert "창원대로" not in part and "tel:0550000000" in part
    assert "Opening hours" in part and "Directions" in part
    assert "<strong>Privacy policy</strong>" in part
    assert hangul(part) == []


def test_an_english_page_shows_the_korean_address_as_data_when_no_english_is_kept(app, client):
    set_facts(app, address_en="", hours_en="")
    part = footer(client.get("/?lang=en").get_data(as_text=True))
    assert '<span translate="no">경상남도 창원시' in part
    assert hangul(part) == []  # the data is marked, the page's own words are English


def test_a_centre_without_phone_hours_or_directions_shows_what_it_has(app, client):
    set_facts(app, phone="", hours="", hours_en="", directions_url="")
    part = footer(client.get("/").get_data(as_text=True))
    assert "tel:" not in part and "운영 시간" not in part and "찾아오시는 길" not in part
    assert "경남창조경제혁신센터" in part and "개인정보처리방침" in part


@pytest.mark.parametrize("language", ["ko", "en"])
def test_staff_pages_show_the_footer_too(app, client, language):
    sign_in(app, client, "boss@onestop.local")
    html = client.get(f"/admin/zones?lang={language}").get_data(as_text=True)
    part = footer(html)
    assert "tel:" in part and 'href="/privacy"' in part
    assert (hangul(part) if language == "en" else english_words(part)) == []


def test_the_footer_shows_what_an_admin_saved_at_once(app, client):
    client.get("/")
    set_facts(app, phone="02-123-4567")
    assert 'href="tel:021234567"' in client.get("/").get_data(as_text=True)


def test_the_consent_notice_gives_the_centres_phone(app, client):
    html = client.get("/intake/?lang=ko").get_data(as_text=True)
    notice = html[html.index('id="consent-notice"'):html.index("</table>",
                                                               html.index('id="consent-notice"'))]
    assert '<a href="tel:0550000000" translate="no">055-000-0000</a>' in notice
    english = client.get("/intake/?lang=en").get_data(as_text=True)
    assert "call the centre at <a href=\"tel:0550000000\"" in english
    set_facts(app, phone="")
    assert "tel:" not in client.get("/intake/?lang=en").get_data(as_text=True).split(
        'id="consent-notice"')[1].split("</table>")[0]


# ---------------------------------------------------------------- messages and calendar files

def test_messages_and_calendar_files_carry_the_centres_facts(ctx):
    from icalendar import Calendar

    from app.notify.outbox import render_stored
    from tests.test_outbox import book, messages

    centre = ensure_centre()
    centre.name, centre.phone, centre.address = "새이름센터", "02-123-4567", "서울특별시 중구 1"
    db.session.commit()
    forget_current_centre()
    book()
    [message] = messages()
    said = render_stored(message)
    assert "새이름센터" in said.text and "서울특별시 중구 1" in said.text
    assert "02-123-4567" in said.text and 'href="tel:021234567"' in said.html
    [calendar] = Calendar.from_ical(said.ics, multiple=True)
    [event] = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert str(event["LOCATION"]) == "새이름센터 · 서울특별시 중구 1"


def test_an_english_message_and_its_calendar_use_the_english_facts(ctx):
    from icalendar import Calendar

    from app.notify.outbox import render_stored
    from tests.test_outbox import book, messages

    ensure_centre().address_en = "22 Changwon-daero, Changwon"
    db.session.commit()
    forget_current_centre()
    booking, _token = book()
    booking.intake.language = "en"
    db.session.commit()
    from app.booking.notifications import calendar_events

    [event] = calendar_events(booking.appointments, "en")
    assert event.location == ("Gyeongnam Center for Creative Economy & Innovation · "
                              "22 Changwon-daero, Changwon")
    [message] = messages()
    korean = render_stored(message)
    [calendar] = Calendar.from_ical(korean.ics, multiple=True)
    [vevent] = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert str(vevent["LOCATION"]).startswith("경남창조경제혁신센터 · 경상남도 창원시")


def test_a_page_shows_the_footer_while_another_connection_holds_the_write_lock(app):
    """The footer reads on a deferred connection of its own: a busy database never makes an
    error page (here the refused form post) wait for the lock or fail."""
    import sqlite3

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    import time

    set_facts(app, name="이름을 바꾼 센터")
    holder = sqlite3.connect(app.config["DATABASE_PATH"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        response = app.test_client().post("/intake/", data={"company_name": "x"})
        assert time.monotonic() - started < 2  # not the 5 s busy timeout
        assert response.status_code == 400  # the CSRF refusal, with its footer
        assert "이름을 바꾼 센터" in response.get_data(as_text=True)  # read, not the settings
    finally:
        holder.rollback()
        holder.close()
