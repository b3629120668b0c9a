"""The audit log: every staff change is written with who, what, before and after."""

from flask import has_request_context, request

from app.auth.models import AuditEntry, User
from app.extensions import db


def record_change(actor: User | None, action: str, entity: str, entity_id, *,
                  before: dict | None = None, after: dict | None = None) -> AuditEntry:
    """Add an audit entry to the current transaction (flushes nothing; the caller commits)."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None, action=action, entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=before, after=after,
        address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
