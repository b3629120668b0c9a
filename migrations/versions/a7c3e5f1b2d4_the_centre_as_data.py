"""the centre as data

The centre's facts were settings (CENTER_NAME, CENTER_NAME_EN, CENTER_ADDRESS); they become
a row of the new `centres` table, which an admin edits (`/admin/centre`) and the network of
issue 14 grows. The upgrade makes that one row from the settings as they are when it runs:
code DEFAULT_CENTRE (else `gyeongnam`), the two names, the address and its 시·도 (the
address's first word when it is one), CENTER_PHONE; opening hours, directions and the
privacy officer start blank. No other table changes.

The rules are copied here, not imported: a migration must keep doing what it did when the
app's code changes.

Revision ID: a7c3e5f1b2d4
Revises: 5c61b9c11149
Create Date: 2026-12-03 07:00:00.000000

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

# revision identifiers, used by Alembic.
revision = 'a7c3e5f1b2d4'
down_revision = '5c61b9c11149'
branch_labels = None
depends_on = None

DEFAULT_CODE = "gyeongnam"


def _settings() -> dict:
    return dict(current_app.config) if has_app_context() else {}


def _region(address: str) -> str:
    first = address.split(maxsplit=1)[0] if address.strip() else ""
    return first if first.endswith(("도", "시")) else ""


def upgrade():
    centres = op.create_table(
        'centres',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('name_en', sa.String(length=100), nullable=False),
        sa.Column('region', sa.String(length=20), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('address_en', sa.String(length=200), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('hours', sa.String(length=200), nullable=False),
        sa.Column('hours_en', sa.String(length=200), nullable=False),
        sa.Column('directions_url', sa.String(length=500), nullable=False),
        sa.Column('privacy_officer', sa.String(length=100), nullable=False),
        sa.Column('privacy_department', sa.String(length=100), nullable=False),
        sa.Column('privacy_phone', sa.String(length=20), nullable=False),
        sa.Column('privacy_email', sa.String(length=254), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_centres')),
        sa.UniqueConstraint('code', name=op.f('uq_centres_code')),
    )
    settings = _settings()
    address = (settings.get("CENTER_ADDRESS") or "")[:200]
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":  # as the app's UTCDateTime stores it there
        now = now.replace(tzinfo=None)
    blank = dict.fromkeys(("address_en", "hours", "hours_en", "directions_url",
                           "privacy_officer", "privacy_department", "privacy_phone",
                           "privacy_email"), "")
    op.bulk_insert(centres, [{
        "code": (settings.get("DEFAULT_CENTRE") or DEFAULT_CODE)[:32],
        "name": (settings.get("CENTER_NAME") or "")[:100],
        "name_en": (settings.get("CENTER_NAME_EN") or "")[:100],
        "region": _region(address)[:20], "address": address,
        "phone": (settings.get("CENTER_PHONE") or "")[:20],
        **blank, "active": True, "created_at": now, "updated_at": now,
    }])


def downgrade():
    op.drop_table('centres')
