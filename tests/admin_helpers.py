"""What the admin management tests share: a signed-in admin client and small readers."""


import re

from sqlalchemy import func, select

from app.auth.models import AuditEntry
from app.auth.services import create_user
from app.extensions import db
from app.zones.models import Zone

PASSWORD = "admin password 1"


def sign_in(app, client, email: str, role: str = "admin", **extra) -> None:
    """Make a staff user and put their session in the client (no login page needed)."""
    with app.app_context():
        user = create_user(email, role, PASSWORD, **extra)
        user_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True


class Admin:
    """A signed-in admin's test client that fills in the CSRF token of its session."""

    def __init__(self, app, client):
        self.app, self.client, self.token = app, client, None

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        if self.token is None:
            page = self.client.get("/admin/zones").get_data(as_text=True)
            self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)


def one(app, model, *where):
    """The first row that matches, read in its own app context."""
    with app.app_context():
        return db.session.scalar(select(model).where(*where))


def count(app, model, *where) -> int:
    """How many rows match."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def entries(app, entity: str, action: str | None = None) -> list[AuditEntry]:
    """The audit entries about an entity (of one action), oldest first, actors loaded."""
    with app.app_context():
        query = select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        found = list(db.session.scalars(query))
        for entry in found:
            _ = entry.actor  # loaded while the session is open
        return found


def zone_id(app, code: str) -> int:
    """A zone's id by its code."""
    return one(app, Zone, Zone.code == code).id


# A valid new zone as the page posts it.
ZONE = {"code": "tax", "name": "세무존", "name_en": "Tax zone", "slot_minutes": "40",
        "buffer_minutes": "5", "min_notice_hours": "12", "horizon_days": "30",
        "opens_at": "10:00", "closes_at": "16:00", "sort_order": "4", "active": "y",
        "description": "세무사가 상담합니다.", "description_en": "A tax accountant advises."}


def admin_client(app, client) -> Admin:
    """A freshly made admin, signed in on the client."""
    sign_in(app, client, "boss@onestop.local")
    return Admin(app, client)
