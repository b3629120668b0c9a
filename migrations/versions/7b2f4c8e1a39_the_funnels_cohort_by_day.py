"""the funnel's cohort by day

Issue 14, the network's statistics: counting the funnel's cohort (the period's pre-screens
and what became of them) from the pre-screens joins each of them to its bookings and
appointments, seconds at the network's size. `cohort_days` keeps the six counts per centre
and centre-local day of the pre-screens, in step with them (app/stats/cohorts.py).

Its rows are counted by the application's own code (local days of the centre's time zone),
not here: the migration clears the rollup's state row instead, so that the statistics read
the consultations and pre-screens themselves (right, only slower) until `init-db`, which
runs this migration and then builds the rollup when its state is missing, has rebuilt both
`zone_days` and `cohort_days`. Nothing is lost: every rollup row is recomputed from the
consultations, the pre-screens and their appointments.

Revision ID: 7b2f4c8e1a39
Revises: d4a7e2c9f160
Create Date: 2026-12-06 21:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7b2f4c8e1a39'
down_revision = 'd4a7e2c9f160'
branch_labels = None
depends_on = None

COUNTS = ("intakes", "bookings", "appointments", "completed", "no_show", "cancelled")


def upgrade():
    op.create_table(
        'cohort_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('centre_id', sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
        sa.ForeignKeyConstraint(['centre_id'], ['centres.id'],
                                name=op.f('fk_cohort_days_centre_id_centres')),
        sa.PrimaryKeyConstraint('day', 'centre_id', name=op.f('pk_cohort_days')),
    )
    op.create_index('ix_cohort_days_centre_day', 'cohort_days', ['centre_id', 'day'],
                    unique=False)
    op.execute("DELETE FROM rollup_state")


def downgrade():
    op.drop_index('ix_cohort_days_centre_day', table_name='cohort_days')
    op.drop_table('cohort_days')
