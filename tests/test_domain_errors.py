"""One base for the domains' errors: each family says its status and code once, the API
answers every one in API.md's shape, and a page shows one no form caught with its status."""

import importlib
import inspect

import pytest

from app.api.errors import answer
from app.booking.errors import BookingConflict, InvalidBooking, SlotTaken
from app.errors import DomainError
from app.inputs import InputError
from app.stats.imports import ImportRejected
from app.visits.errors import AppointmentNotFound, InvalidOutcome, NotYetDue, NotYours
from tests.helpers import ROOT

NOT_DOMAIN = {"app.notify.outbox.MessageNotFound"}  # raised with an id, caught by its one view


def error_classes() -> dict[str, type]:
    found = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        module = importlib.import_module(name.removesuffix(".__init__"))
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Exception) and cls.__module__ == module.__name__:
                found[f"{module.__name__}.{cls_name}"] = cls
    return found


def test_every_error_of_the_app_is_a_domain_error():
    classes = error_classes()
    assert len(classes) > 20
    assert sorted(name for name, cls in classes.items()
                  if not issubclass(cls, DomainError) and name not in NOT_DOMAIN) == []


@pytest.mark.parametrize(("error", "status", "body"), [
    (SlotTaken("taken"), 409, {"code": "slot_taken", "message": "taken"}),
    (BookingConflict("held"), 409, {"code": "conflict", "message": "held"}),
    (InvalidBooking("overlap"), 422, {"code": "invalid", "message": "Some fields are not valid.",
                                      "fields": {"appointments": ["overlap"]}}),
    (InvalidBooking("zone", {"zone": ["zone"]}), 422,
     {"code": "invalid", "message": "Some fields are not valid.", "fields": {"zone": ["zone"]}}),
    (AppointmentNotFound("none"), 404, {"code": "not_found", "message": "none"}),
    (NotYours("theirs"), 403, {"code": "forbidden", "message": "theirs"}),
    (NotYetDue("early"), 409, {"code": "conflict", "message": "early"}),
    (InvalidOutcome("check", {"summary": ["long"]}), 422,
     {"code": "invalid", "message": "Some fields are not valid.", "fields": {"summary": ["long"]}}),
    (ImportRejected({"header": ["no date"]}), 422,
     {"code": "invalid", "message": "Some fields are not valid.",
      "fields": {"header": ["no date"]}}),
    (InputError("date", "write YYYY-MM-DD"), 400,
     {"code": "bad_request", "message": "date: write YYYY-MM-DD"}),
])
def test_the_api_answers_each_family_in_api_md_shape(app, error, status, body):
    with app.test_request_context("/api/v1/bookings", headers={"Accept-Language": "en"}):
        response, answered = answer(error).response()
        assert (answered, response.get_json()) == (status, {"error": body})


def test_a_page_shows_a_domain_error_no_form_caught_with_its_status(app):
    def refuse():
        raise BookingConflict("This booking was cancelled already.")

    app.add_url_rule("/refused-for-a-test", view_func=refuse)
    response = app.test_client().get("/refused-for-a-test")
    assert response.status_code == 409
    assert "This booking was cancelled already." in response.get_data(as_text=True)
