"""statistics indexes

Covering indexes for the statistics (app/admin/stats.py declares the same ones beside the
queries they serve): consultations per zone over a date range, the funnel by status and
start (with the booking moment, for lead times), and the pre-screen splits by stage, industry and region.

Revision ID: c795a6c6ae3e
Revises: b66aa413b75f
Create Date: 2026-11-22 04:58:06.931365

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c795a6c6ae3e'
down_revision = 'b66aa413b75f'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_imported_consultations_zone_day', 'imported_consultations',
     ['zone_id', 'day', 'finance_amount_krw', 'patent_transfers', 'ip_applications']),
    ('ix_appointments_status_zone_start', 'appointments', ['status', 'zone_id', 'starts_at']),
    ('ix_appointments_start_status', 'appointments',
     ['starts_at', 'status', 'adviser_id', 'zone_id', 'created_at']),
    ('ix_intakes_created_profile', 'intakes', ['created_at', 'stage', 'industry', 'region']),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
