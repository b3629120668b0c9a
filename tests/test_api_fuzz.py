# Schemathesis against the served /api/v1/openapi.json: every operation, an admin's Bearer token,
# positive cases aimed at real intakes, bookings, slots and valid business numbers, negative ones.
# Checks: no 5xx, and every answer documented (status, content type, body schema, headers).
"""The API never answers 5xx and never answers off its OpenAPI document."""


import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.extensions import db
from tests.conftest import fresh_database
from tests.fuzz_hostile import hostile
from tests.fuzz_world import World, build_world, business_numbers

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
# Fuzzed examples per operation (the coverage phase adds its own); the run of all 17
# operations takes about a minute on two cores once nothing fails.
MAX_EXAMPLES = 150

schemathesis.openapi.format("business-number", business_numbers())


@pytest.fixture(scope="module")
def fuzz_app(db_templates, tmp_path_factory):
    """One app for the whole run, on a copy of the demo database; a 500 is an answer here
    (not a raised exception), so the not_a_server_error check sees and reports it."""
    url = fresh_database(db_templates["demo"], tmp_path_factory.mktemp("fuzz"), keep=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url,
                      "PROPAGATE_UNEXPECTED_ERRORS": False})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def fuzz_world(fuzz_app) -> World:
    world = build_world(fuzz_app)
    AIMS.update(_aims(world))
    return world


def _apply(case, drawn: dict):
    """Put the drawn values into the case: a whole body, or entries of a location."""
    for location, values in drawn.items():
        if location == "body":
            case.body = values
        else:
            getattr(case, location).update(values)
    return case


def _aims(world: World) -> dict:
    """Per operation, the parts of a positive case to replace with real things."""
    intake, booking = st.sampled_from(world.intakes), st.sampled_from(world.bookings)
    # Yesterday's visits: the first is checked in and given an outcome, the other is a
    # no-show; visits to come refuse both (409); 1 can be cancelled, 2 and 4 moved.
    visits, bookings = world.appointments, world.bookings
    done, missed = (visits[0], visits[1]), (visits[3], visits[1])
    period = st.tuples(world.days(), world.days()).map(sorted)
    dates = period.map(lambda pair: {"from": pair[0], "to": pair[1]})
    slots_query = st.tuples(dates, st.sampled_from(world.zones)).map(
        lambda parts: {**parts[0], "zone": parts[1]})
    adviser = st.fixed_dictionaries({}, optional={"adviser_id": st.sampled_from(world.advisers)})
    agenda = st.tuples(world.days(), adviser).map(lambda parts: {"date": parts[0], **parts[1]})

    def path(name, strategy):
        return {"path_parameters": st.fixed_dictionaries({name: strategy})}

    return {
        "POST /intakes": {"body": world.intake_body()},
        "GET /intakes/{token}": path("token", intake),
        "GET /slots": {"query": slots_query},
        "GET /plans": {"query": st.fixed_dictionaries(
            {"intake_token": intake}, optional={"date": world.days()})},
        "POST /bookings": {"body": st.fixed_dictionaries({
            "intake_token": intake, "appointments": world.appointments_body()})},
        "GET /bookings/{token}": path("token", booking),
        "POST /bookings/{token}/cancel":
            path("token", st.sampled_from(bookings[:2] + bookings[3:4])),
        "POST /bookings/{token}/reschedule": {
            **path("token", st.sampled_from([bookings[2], bookings[4]])),
            "body": st.fixed_dictionaries({"appointments": world.appointments_body()})},
        "POST /waitlist": {"body": st.fixed_dictionaries({
            "intake_token": intake, "zone": st.sampled_from(world.zones),
            "date": world.days()})},
        "GET /agenda": {"query": agenda},
        "POST /appointments/{appointment_id}/check-in":
            path("appointment_id", st.sampled_from(done)),
        "POST /appointments/{appointment_id}/no-show":
            path("appointment_id", st.sampled_from(missed)),
        "POST /appointments/{appointment_id}/outcome": {
            **path("appointment_id", st.sampled_from(done)), "body": world.outcome_body()},
        "GET /stats": {"query": dates},
        "POST /import/consultations": {"body": world.csv_body()},
    }


# The document as the app serves it, fetched at collection time from an app on an empty
# in-memory database (the route reads none); the calls go to the fuzz app.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}))
schema.config.output.sanitization.update(enabled=False)  # test tokens: show them, to replay
AIMS: dict[str, dict] = {}  # "METHOD /path" -> parts to aim at real things; fuzz_world fills it


@schema.hook
def flatmap_case(context, case):
    """Positive cases: half aimed at real intakes, bookings, slots and appointments, a quarter
    aimed and then made hostile, a quarter as generated. Other cases: half made hostile."""
    parts = AIMS.get(f"{case.method.upper()} {case.path}")
    meta = case.meta
    if parts is None or meta is None or not meta.generation.mode.is_positive:
        return st.one_of(st.just(case), hostile(case))
    aimed = st.fixed_dictionaries(parts).map(lambda drawn: _apply(case, drawn))
    return st.one_of(aimed, aimed, aimed.flatmap(hostile), st.just(case))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_api_answers_as_documented(case, fuzz_app, fuzz_world):
    case.call_and_validate(app=fuzz_app, checks=CHECKS,
                           headers={"Authorization": f"Bearer {fuzz_world.token}"})

