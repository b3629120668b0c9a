"""The availability page holds two forms (a weekly rule, a time off): each with ids of its
own, every label pointing at a field of its own form, and plain words for the week cycle."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.extensions import db
from app.zones.models import Adviser, RotationRule
from tests.admin_helpers import admin_client


class Forms(HTMLParser):
    """Every id on the page, and per form the ids of its fields and its labels' targets."""

    def __init__(self):
        super().__init__()
        self.ids, self.forms, self.form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "form":
            self.form = {"action": attrs.get("action"), "fields": set(), "labels": []}
            self.forms.append(self.form)
        elif self.form is not None and tag in ("input", "select", "textarea") and "id" in attrs:
            self.form["fields"].add(attrs["id"])
        elif tag == "label" and "for" in attrs:
            (self.form or {"labels": []})["labels"].append(attrs["for"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


def parsed(html: str) -> Forms:
    found = Forms()
    found.feed(html)
    return found


@pytest.mark.parametrize("who", ["adviser", "admin"])
def test_no_id_repeats_and_every_label_points_into_its_own_form(app, client, auth, staff, who):
    if who == "adviser":
        auth.login(staff["adviser_a"])
        url = "/adviser/availability"
    else:
        admin_client(app, client)
        with app.app_context():
            url = f"/adviser/availability?adviser_id={db.session.scalar(select(Adviser.id))}"
    page = client.get(url).get_data(as_text=True)
    found = parsed(page)
    repeated = {i for i in found.ids if found.ids.count(i) > 1}
    assert repeated == set()
    forms = {f["action"]: f for f in found.forms}
    rule, time_off = forms["/adviser/availability/rules"], forms["/adviser/availability/exceptions"]
    assert rule["labels"] and time_off["labels"]
    for form in found.forms:  # the adviser picker too
        assert set(form["labels"]) <= form["fields"], form
    assert "rule-start_time" in rule["fields"] and "off-start_time" in time_off["fields"]
    # the time off's "From" label focuses the time off's own field, not the rule's
    assert re.search(r'<label for="off-start_time">', page)


def test_the_week_cycle_is_said_in_plain_words(client, auth, staff):
    auth.login(staff["adviser_a"])
    page = client.get("/adviser/availability").get_data(as_text=True)
    assert "격주 근무일 때 시작 주" in page and "반복 주기 (주)" in page
    assert "주 순서" not in page and "0부터" not in page
    english = client.get("/adviser/availability?lang=en").get_data(as_text=True)
    assert "Start week, if not every week" in english and "offset" not in english.lower()


def test_the_start_week_counts_from_one(app, client, auth, staff):
    auth.login(staff["adviser_a"])
    page = client.get("/adviser/availability").get_data(as_text=True)
    token = re.search(r'name="rule-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/adviser/availability/rules", data={
        "rule-csrf_token": token, "rule-weekday": "6", "rule-start_time": "10:00",
        "rule-end_time": "12:00", "rule-valid_from": "2026-12-06", "rule-every_n_weeks": "2",
        "rule-start_week": "2"})
    assert response.status_code == 303
    with app.app_context():
        rule = db.session.scalar(select(RotationRule).where(RotationRule.weekday == 6))
        assert (rule.every_n_weeks, rule.week_offset) == (2, 1)
    refused = client.post("/adviser/availability/rules", data={
        "rule-csrf_token": token, "rule-weekday": "6", "rule-start_time": "13:00",
        "rule-end_time": "14:00", "rule-valid_from": "2026-12-06", "rule-every_n_weeks": "2",
        "rule-start_week": "3"})
    assert refused.status_code == 422
    assert 'id="rule-every_n_weeks-error"' in refused.get_data(as_text=True)
