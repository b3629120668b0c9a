"""Whose facts a page shows in a network: the privacy policy of the centre it is asked for
(its footer link keeps the page's centre), and a centre's staff see their own centre's
name, address and phone on their pages, not the default centre's."""

import re

from tests.centre_helpers import NETWORK_STAFF, SECOND, make_second_centre


def test_the_privacy_policy_is_the_named_centres(app, client):
    make_second_centre(app)
    busan = client.get(f"/privacy?centre={SECOND}").get_data(as_text=True)
    assert "부산창조경제혁신센터" in busan and "051-000-0000" in busan
    home = client.get("/privacy").get_data(as_text=True)
    assert "부산창조경제혁신센터" not in home and "055-000-0000" in home


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
