"""Parsing the booking endpoints' bodies into requests; the plans offered to a pre-screen."""

from flask_babel import gettext as _

from app.api.errors import bad_request, invalid
from app.api.serializers import slot_json
from app.booking.planner import day_plan
from app.booking.services import Request
from app.inputs import InputError, parse_date, parse_id, parse_moment, parse_text
from app.intake.services import get_intake, list_zones
from app.types import center_tz

MAX_APPOINTMENTS = 10  # the service allows three; more is refused before anything is parsed


def parse_requests(items) -> list[Request]:
    """The `appointments` list as Requests, or 422 naming each bad entry."""
    if not isinstance(items, list) or not items or len(items) > MAX_APPOINTMENTS:
        raise invalid({"appointments": [_("Send a list of one to three appointments.")]})
    requests, problems = [], []
    not_an_object = _("Must be an object.")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"[{index}]: {not_an_object}")
            continue
        values = {}
        for name, parse, options in (("zone", parse_text, {"required": True, "max_length": 50}),
                                     ("adviser_id", parse_id, {}),
                                     ("start", parse_moment, {})):
            try:
                values[name] = parse(item.get(name), name, **options)
            except InputError as error:
                problems.append(f"[{index}].{name}: {error.message}")
        if not problems:
            requests.append(Request(values["zone"], values["adviser_id"], values["start"]))
    if problems:
        raise invalid({"appointments": problems})
    return requests


def _zone_codes(raw: str | None, default: list[str], known: set[str]) -> list[str]:
    codes = [code.strip() for code in (raw or "").split(",") if code.strip()] or default
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise bad_request(_("Unknown zone: %(zone)s", zone=", ".join(unknown)))
    return codes


def _institutions(raw: str | None, zones, default: dict[str, int | None]) -> dict:
    """`institution_id`: ids (comma-separated) each for its own zone, or `any`; else the
    pre-screen's recommendation."""
    if raw is None:
        return default
    if raw.strip() == "any":
        return {}
    wanted = dict(default)
    by_id = {i.id: zone.code for zone in zones for i in zone.institutions}
    for part in raw.split(","):
        try:
            institution_id = parse_id(part.strip(), "institution_id")
        except InputError as error:
            raise bad_request(f"institution_id: {error.message}") from error
        if institution_id not in by_id:
            raise bad_request(_("institution_id: no such institution in these zones."))
        wanted[by_id[institution_id]] = institution_id
    return wanted


def plans_answer(args) -> dict:
    """GET /plans: the calendar of the next four weeks and a day's proposed plans for a
    pre-screen, preferring the institution it was recommended (or the one asked for)."""
    try:
        token = parse_text(args.get("intake_token"), "intake_token", required=True,
                           max_length=200)
    except InputError as error:
        raise bad_request(f"intake_token: {error.message}") from error
    intake = get_intake(token)
    try:
        day = parse_date(args.get("date"), "date") if args.get("date") is not None else None
    except InputError as error:
        raise bad_request(f"date: {error.message}") from error
    zones = list_zones(intake.centre_id)
    codes = _zone_codes(args.get("zones"), [rec["code"] for rec in intake.recommendation],
                        {zone.code for zone in zones})
    default = {rec["code"]: rec.get("institution_id") for rec in intake.recommendation}
    wanted = _institutions(args.get("institution_id"), [z for z in zones if z.code in codes],
                           default)
    plan = day_plan(codes, day, institutions=wanted, centre_id=intake.centre_id)
    tz = center_tz()
    return {
        "date": plan.day.isoformat() if plan.day else None,
        "suggested_date": plan.suggested_day.isoformat() if plan.suggested_day else None,
        "institutions": [{
            "zone": code, "institution_id": institution.id, "institution": institution.name,
            "institution_en": institution.name_en,
            "reason": "recommended" if default.get(code) == institution.id else "chosen"}
            for code, institution in plan.preferred.items()],
        "days": [{"date": entry.day.isoformat(), "state": entry.state,
                  "free_zones": [z.code for z in entry.free],
                  "full_zones": [z.code for z in entry.full],
                  "institution_ids": [i.id for i in entry.institution_days]}
                 for entry in plan.calendar.values() if entry.selectable],
        "full_zones": [zone.code for zone in plan.full_zones],
        "plans": [{"preferred": all(plan.is_preferred(s) for s in itinerary
                                    if s.zone in plan.preferred),
                   "appointments": [slot_json(slot, tz) for slot in itinerary]}
                  for itinerary in plan.itineraries],
    }
