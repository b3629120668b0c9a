"""The home page of a network: the centre finder (centres by region, the nearest one
suggested for the region chosen, no JavaScript needed); a centre's own home at
`/?centre=CODE`; a one-centre deployment keeps its home (tests/test_centres.py, test_i18n)."""

import re

import pytest

from app.centres.models import Centre
from app.extensions import db
from app.main.regions import BY_CODE, REGIONS, nearest, region_of
from app.zones.models import Zone
from tests.language_helpers import english_words, hangul, html_lang

OTHERS = [
    dict(code="seoul", name="서울창조경제혁신센터",
         name_en="Seoul Creative Economy Innovation Center",
         region="서울특별시", address="서울특별시 중구 세종대로 1", phone="02-000-0000"),
    dict(code="busan", name="부산창조경제혁신센터",
         name_en="Busan Creative Economy Innovation Center",
         region="부산", address="부산광역시 동구 중앙대로 180", phone="051-000-0000"),
    dict(code="jeonnam", name="전남창조경제혁신센터",
         name_en="Jeonnam Creative Economy Innovation Center", region="전라남도",
         address="전라남도 여수시 어딘가 1", phone="061-000-0000"),
]


@pytest.fixture
def network(app):
    """Three more centres beside the demo's Gyeongnam (Busan's region typed short), and an
    inactive one that no page lists."""
    with app.app_context():
        rows = [Centre(**facts) for facts in OTHERS]
        rows.append(Centre(code="closed", name="닫힌 센터", region="제주특별자치도",
                           active=False))
        db.session.add_all(rows)
        db.session.flush()
        db.session.add(Zone(centre_id=rows[1].id, code="legal", name="부산 법률존",
                            name_en="Busan legal zone", description="부산의 변호사 상담"))
        db.session.commit()
    return OTHERS


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_a_network_home_lists_every_active_centre_by_region(client, network):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    listed = page[page.index("id=\"centres-title\""):]
    regions = re.findall(r'class="ons-region-title">([^<]+)<', listed)
    assert regions == ["서울특별시", "부산광역시", "전라남도", "경상남도"]  # the regions' order
    for facts in network:
        assert facts["name"] in listed and facts["address"] in listed
        assert f'href="tel:{facts["phone"].replace("-", "")}"' in listed
        assert f'href="/intake/?centre={facts["code"]}"' in listed
        assert f'href="/?centre={facts["code"]}"' in listed
    assert "경남창조경제혁신센터" in listed and 'href="/intake/?centre=gyeongnam"' in listed
    assert "닫힌 센터" not in page
    assert 'id="suggested-title"' not in page  # nothing chosen yet
    assert '<label for="region">' in page and 'name="region"' in page
    assert page.count("<h1") == 1


def test_choosing_a_region_with_a_centre_suggests_that_centre(client, network):
    page = client.get("/?region=busan").get_data(as_text=True)
    suggested = _section(page, "suggested-title")
    assert "부산창조경제혁신센터" in suggested and 'href="/intake/?centre=busan"' in suggested
    assert "has no centre" not in suggested and "없" not in suggested
    assert '<option value="busan" selected>' in page


def test_a_region_without_a_centre_suggests_the_nearest_regions(client, network):
    page = client.get("/?region=ulsan").get_data(as_text=True)  # Ulsan: next to Busan
    suggested = _section(page, "suggested-title")
    assert "부산창조경제혁신센터" in suggested
    assert "울산광역시에는 아직 센터가 없습니다" in suggested and "부산광역시" in suggested
    page = client.get("/?region=gwangju").get_data(as_text=True)  # Gwangju: next to Jeonnam
    assert "전남창조경제혁신센터" in _section(page, "suggested-title")
    page = client.get("/?region=gyeonggi").get_data(as_text=True)
    assert "서울창조경제혁신센터" in _section(page, "suggested-title")
    # Jeju's only centre is inactive: the nearest active one across the sea, Jeonnam's.
    page = client.get("/?region=jeju").get_data(as_text=True)
    assert "전남창조경제혁신센터" in _section(page, "suggested-title")


def test_a_region_may_be_named_in_korean_too(client, network):
    page = client.get("/?region=경남").get_data(as_text=True)
    assert "경남창조경제혁신센터" in _section(page, "suggested-title")


def test_the_finders_header_and_footer_belong_to_no_one_centre(app, client, network):
    from app.centres.services import default_centre

    with app.app_context():
        home = default_centre()
        home_phone, home_address = home.phone, home.address
    page = client.get("/").get_data(as_text=True)
    header, footer = page.split("<main", 1)[0], page.split("<footer", 1)[1]
    assert 'href="/intake/"' not in page  # no way into the default centre's pre-screen
    assert "<strong>창조경제혁신센터</strong>" in footer and "카드" in footer
    assert home.name not in footer and home_phone not in footer
    assert not home_address or home_address not in footer
    assert 'class="ons-privacy-link"' in footer
    assert "ons-brand" in header
    english = client.get("/?lang=en").get_data(as_text=True).split("<footer", 1)[1]
    assert "<strong>Creative Economy Innovation Centres</strong>" in english
    assert "Each centre's address and phone are on its card above." in english


def test_an_unknown_region_is_a_clear_error_and_the_finder_still_works(client, network):
    response = client.get("/?region=atlantis")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and 'id="region-error"' in page
    assert "목록에서 지역을 고르세요" in page
    assert "서울창조경제혁신센터" in page


def test_the_finder_speaks_english_on_request(client, network):
    page = client.get("/?region=ulsan&lang=en").get_data(as_text=True)
    assert html_lang(page) == "en"
    assert "Find your centre" in page and "Your nearest centre" in page
    assert "Ulsan has no centre yet; the nearest one is in Busan." in page
    assert "Busan Creative Economy Innovation Center" in page
    assert hangul(page) == []


def test_the_finder_speaks_korean_by_default(client, network):
    page = client.get("/?region=ulsan").get_data(as_text=True)
    assert html_lang(page) == "ko" and "가장 가까운 센터" in page
    assert english_words(page, allowed=("Onestop",)) == []


def test_a_centres_own_home_shows_its_zones_and_its_pre_screen(client, network):
    page = client.get("/?centre=busan").get_data(as_text=True)
    main = page.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    assert "부산 법률존" in main and "부산의 변호사 상담" in page
    assert "특허존" not in page  # Gyeongnam's zones are not Busan's
    assert 'href="/intake/?centre=busan"' in main and 'href="/intake/"' not in main
    assert "<strong>부산창조경제혁신센터</strong>" in main and 'href="/">' in main  # another
    assert "051-000-0000" in page.split("<footer", 1)[1]  # the footer is Busan's
    assert client.get("/?centre=nowhere").status_code == 404
    assert client.get("/?centre=closed").status_code == 404


def test_one_centre_keeps_its_home_without_a_finder(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="region"' not in page and "특허존" in page
    assert 'href="/intake/"' in page and "centre=" not in page


def test_every_region_is_reachable_and_its_neighbours_are_regions():
    assert len(REGIONS) == 17
    for region in REGIONS:
        assert all(code in BY_CODE for code in region.neighbours)
        for other in REGIONS:  # every centre is found from everywhere
            assert nearest(region, {other.code})[0] == other
    assert region_of("강원도") == BY_CODE["gangwon"] and region_of("전라북도").code == "jeonbuk"
    assert region_of("경상남도").code == "gyeongnam" and region_of("Atlantis") is None
    assert nearest(BY_CODE["ulsan"], {"busan", "gyeongnam"}) == (BY_CODE["busan"], 1)


@pytest.mark.browser
@pytest.mark.parametrize("language", ("ko", "en"))
def test_the_finder_in_the_browser(network, live, page, language):
    """Choosing a region in the form (a plain GET form: no script needed) suggests the
    nearest centre; one language, axe-core finds nothing serious, nothing wider than a 390 px
    phone (screenshots tests/artifacts/finder-<language>-*.png)."""
    from tests.browser import check_page

    page.goto(f"{live.url}/?lang={language}")
    check_page(page, language, "01-finder", walk="finder", phone=True)
    page.select_option("#region", "ulsan")
    page.get_by_role("button", name="센터 추천받기" if language == "ko"
                     else "Suggest a centre").click()
    suggested = page.locator(".ons-suggestion").inner_text()
    assert ("부산창조경제혁신센터" if language == "ko"
            else "Busan Creative Economy Innovation Center") in suggested
    check_page(page, language, "02-suggested", walk="finder", phone=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
