"""Model -> JSON shapes of API.md."""

from zoneinfo import ZoneInfo

from app.booking.models import Appointment, Booking
from app.booking.services import live_appointments
from app.centres.services import CentreFacts
from app.intake.models import Intake
from app.intake.routing import explained
from app.types import center_tz, to_local
from app.zones.availability import Slot
from app.zones.models import Zone


def centre_json(centre: CentreFacts, zone_codes: list[str]) -> dict:
    """A centre as GET /centres lists it (API.md, Centres)."""
    return {"code": centre.code, "name": centre.name, "name_en": centre.name_en,
            "region": centre.region, "address": centre.address, "phone": centre.phone,
            "zones": zone_codes}


def zone_json(zone: Zone) -> dict:
    return {
        "code": zone.code,
        "name": zone.name,
        "name_en": zone.name_en,
        "slot_minutes": zone.slot_minutes,
        "institutions": [
            {"id": i.id, "name": i.name, "name_en": i.name_en}
            for i in zone.institutions if i.active
        ],
    }


def intake_json(intake: Intake, token: str, full: bool = False) -> dict:
    """The intake object; with full=True also the submitted fields."""
    body = {
        "token": token,
        "stage": intake.stage,
        "recommended_zones": explained(intake.recommendation),  # reasons in Accept-Language
    }
    if full:
        body.update({
            "company_name": intake.company_name,
            "business_number": intake.business_number,
            "representative_name": intake.representative_name,
            "contact_name": intake.contact_name,
            "email": intake.email,
            "phone": intake.phone,
            "founded_on": intake.founded_on.isoformat() if intake.founded_on else None,
            "industry": intake.industry,
            "employees": intake.employees,
            "region": intake.region,
            "needs": [need.code for need in intake.needs],
            "description": intake.description,
            "consent_personal_info": True,
            "consent_marketing": intake.consent_marketing,
            "language": intake.language,
            "created_at": intake.created_at.isoformat(),
        })
    return body


def appointment_json(appointment: Appointment) -> dict:
    """An appointment as a booking shows it."""
    return {
        "id": appointment.id,
        "zone": appointment.zone.code,
        "adviser_id": appointment.adviser_id,
        "adviser_name": appointment.adviser.name,
        "institution": appointment.institution.name if appointment.institution else None,
        "start": to_local(appointment.starts_at).isoformat(),
        "end": to_local(appointment.ends_at).isoformat(),
        "status": appointment.status,
    }


def booking_json(booking: Booking, token: str) -> dict:
    """The booking object of API.md."""
    return {
        "token": token,
        "status": booking.status,
        "date": booking.visit_date.isoformat(),
        "appointments": [appointment_json(a) for a in live_appointments(booking)],
    }


def slot_json(slot: Slot, zone: ZoneInfo | None = None) -> dict:
    """A free slot of GET /slots; `zone` is the centre's time zone when the caller has it (a
    four-week search is ten thousand slots, and finding the zone costs a config lookup)."""
    zone = zone or center_tz()
    return {
        "zone": slot.zone,
        "adviser_id": slot.adviser_id,
        "adviser_name": slot.adviser_name,
        "institution_id": slot.institution_id,
        "institution": slot.institution,
        "start": slot.start.astimezone(zone).isoformat(),
        "end": slot.end.astimezone(zone).isoformat(),
    }
