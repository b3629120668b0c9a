"""Whose facts a page shows in a network: the privacy policy of the centre it is asked for
(its footer link keeps the page's centre), and a centre's staff see their own centre's
name, address and phone on their pages, not the default centre's."""

import re
from datetime import datetime, time

from sqlalchemy import select

from app.extensions import db
from tests.centre_helpers import NETWORK_STAFF, SECOND, make_second_centre


def test_the_privacy_policy_is_the_named_centres(app, client):
    make_second_centre(app)
    busan = client.get(f"/privacy?centre={SECOND}").get_data(as_text=True)
    assert "부산창조경제혁신센터" in busan and "051-000-0000" in busan
    home = client.get("/privacy").get_data(as_text=True)
    assert "부산창조경제혁신센터" not in home and "055-000-0000" in home
    # Who sees the firm's data: that centre's institutions, not the default centre's.
    assert "부산 법무법인" in busan and "기술보증기금" not in busan
    assert "기술보증기금" in home and "부산 법무법인" not in home
    assert client.get("/privacy?centre=nowhere").status_code == 404


def test_the_footers_privacy_link_keeps_a_second_centres_pages_centre(app, client):
    make_second_centre(app)
    page = client.get(f"/intake/?centre={SECOND}").get_data(as_text=True)
    assert re.search(r'class="ons-privacy-link" href="/privacy\?centre=busan"', page)
    assert re.search(r'class="ons-privacy-link" href="/privacy"',
                     client.get("/intake/").get_data(as_text=True))


def test_a_centres_staff_see_their_own_centre_in_the_footer(app, auth):
    make_second_centre(app)
    busan, home = app.test_client(), app.test_client()
    assert auth.on(busan).login(NETWORK_STAFF["admin_b"]).status_code == 303
    assert auth.on(home).login(NETWORK_STAFF["admin"]).status_code == 303
    footer = busan.get("/admin/").get_data(as_text=True).split('id="krds-footer"')[1]
    assert "부산창조경제혁신센터" in footer and "051-000-0000" in footer
    footer = home.get("/admin/").get_data(as_text=True).split('id="krds-footer"')[1]
    assert "부산창조경제혁신센터" not in footer and "055-000-0000" in footer


def test_an_advisers_morning_agenda_names_their_own_centre(app, client, intake_payload):
    import time_machine

    from app.notify.models import OutboxMessage
    from app.notify.outbox import render_stored
    from app.types import local_datetime
    from app.visits.jobs import send_agendas
    from tests.centre_helpers import book_at

    make_second_centre(app)
    booked = book_at(client, intake_payload, SECOND)
    day = datetime.fromisoformat(booked["slot"]["start"]).date()  # Busan opens at 09:00
    with app.app_context(), time_machine.travel(local_datetime(day, time(8, 1)), tick=False):
        assert send_agendas() == 1
        [agenda] = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "agenda")).all()
        said = render_stored(agenda)
        assert agenda.recipient == NETWORK_STAFF["adviser_b2"]
        assert "부산창조경제혁신센터" in said.text and "051-000-0000" in said.html
        assert "경남" not in said.text
