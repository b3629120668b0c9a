"""The message a pre-screen sends: its private result link, so a closed tab loses nothing."""

from app.centres.services import centre_by_id, centre_values
from app.intake.models import Intake
from app.notify.outbox import enqueue, public_url


def notify_received(intake: Intake, token: str) -> None:
    """The pre-screen's receipt with its private link: once per pre-screen, in its language,
    from the pre-screen's centre (its name, address and phone)."""
    enqueue(f"intake:{intake.id}:received", intake.email, "received",
            {**centre_values(centre_by_id(intake.centre_id)),
             "company": intake.company_name or "", "contact": intake.contact_name or "",
             "zone_count": len(intake.recommendation or []),
             "result_url": public_url("intake.result", token=token)},
            language=intake.language, now=intake.created_at)
