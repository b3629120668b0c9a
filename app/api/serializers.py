"""Model -> JSON shapes of API.md."""

from app.intake.models import Intake
from app.zones.models import Zone


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
        "recommended_zones": intake.recommendation,
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
            "created_at": intake.created_at.isoformat(),
        })
    return body
