"""statistics rollup

The day-by-zone rollup the statistics read (`zone_days`, app/admin/rollup.py) and its state
row. Both start empty: `init-db` (or the scheduler's daily check) builds the rollup for the
centre's time zone, and until then the statistics read the consultations themselves.

The completed appointments of a date range are now found through (status, starts_at) with
the zone and the pre-screen beside them, which the rollup's recomputation and the splits by
stage, industry and region read; it replaces (status, zone_id, starts_at).

Revision ID: 3a1f0c7d9b42
Revises: c795a6c6ae3e
Create Date: 2026-11-30 00:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3a1f0c7d9b42'
down_revision = 'c795a6c6ae3e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'zone_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('zone_id', sa.Integer(), nullable=False),
        sa.Column('consultations', sa.Integer(), nullable=False),
        sa.Column('finance_amount_krw', sa.BigInteger(), nullable=False),
        sa.Column('patent_transfers', sa.Integer(), nullable=False),
        sa.Column('ip_applications', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['zone_id'], ['zones.id'],
                                name=op.f('fk_zone_days_zone_id_zones')),
        sa.PrimaryKeyConstraint('day', 'zone_id', name=op.f('pk_zone_days')),
    )
    op.create_table(
        'rollup_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rollup_state')),
    )
    op.drop_index('ix_appointments_status_zone_start', table_name='appointments')
    op.create_index('ix_appointments_status_start', 'appointments',
                    ['status', 'starts_at', 'zone_id', 'intake_id'], unique=False)


def downgrade():
    op.drop_index('ix_appointments_status_start', table_name='appointments')
    op.create_index('ix_appointments_status_zone_start', 'appointments',
                    ['status', 'zone_id', 'starts_at'], unique=False)
    op.drop_table('rollup_state')
    op.drop_table('zone_days')
