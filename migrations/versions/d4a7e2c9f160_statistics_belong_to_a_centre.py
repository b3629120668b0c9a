"""statistics belong to a centre

Issue 14, the national statistics: the rollup (`zone_days`) and the imported historical
consultations (`imported_consultations`) gain `centre_id` (centres.id), so that a centre's,
a set's and the network's figures filter by it without joining the zones. Every existing
row is given its zone's centre — in a database made before the network, the default centre
(migration f3b8d2a6c915 gave every zone that one) — so nothing is lost and nothing moves.
The network's cumulative tables read whole months: `zone_months` holds the rollup's days
added up by month, filled here from `zone_days`. The funnel's cohort reaches appointments
by their pre-screen: `appointments` gains an index on (intake_id, status), declared beside
the statistics (app/stats/models.py).

Revision ID: d4a7e2c9f160
Revises: b9d4e6f2a813
Create Date: 2026-12-04 19:30:00.000000

"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd4a7e2c9f160'
down_revision = 'b9d4e6f2a813'
branch_labels = None
depends_on = None

TABLES = ("zone_days", "imported_consultations")
INDEXES = {
    "zone_days": ("ix_zone_days_centre_zone_day",
                  ["centre_id", "zone_id", "day", "consultations", "finance_amount_krw",
                   "patent_transfers", "ip_applications"]),
    "imported_consultations": ("ix_imported_consultations_centre_day", ["centre_id", "day"]),
}

# The network's table reads every row zone by zone from this index alone.
NETWORK_INDEX = ["zone_id", "day", "consultations", "finance_amount_krw", "patent_transfers",
                 "ip_applications", "centre_id"]


def upgrade():
    bind = op.get_bind()
    for table in TABLES:
        op.add_column(table, sa.Column('centre_id', sa.Integer(), nullable=True))
        bind.execute(sa.text(
            f"UPDATE {table} SET centre_id = "
            f"(SELECT zones.centre_id FROM zones WHERE zones.id = {table}.zone_id)"))
    for table in TABLES:
        name, columns = INDEXES[table]
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('centre_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_centre_id_centres'),
                                        'centres', ['centre_id'], ['id'])
            batch_op.create_index(name, columns, unique=False)
    op.create_index('ix_appointments_intake_status', 'appointments', ['intake_id', 'status'],
                    unique=False)
    op.create_index('ix_zone_days_zone_day', 'zone_days', NETWORK_INDEX, unique=False)
    op.create_table(
        'zone_months',
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('zone_id', sa.Integer(), nullable=False),
        sa.Column('centre_id', sa.Integer(), nullable=False),
        sa.Column('consultations', sa.Integer(), nullable=False),
        sa.Column('finance_amount_krw', sa.BigInteger(), nullable=False),
        sa.Column('patent_transfers', sa.Integer(), nullable=False),
        sa.Column('ip_applications', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['centre_id'], ['centres.id'],
                                name=op.f('fk_zone_months_centre_id_centres')),
        sa.ForeignKeyConstraint(['zone_id'], ['zones.id'],
                                name=op.f('fk_zone_months_zone_id_zones')),
        sa.PrimaryKeyConstraint('month', 'zone_id', name=op.f('pk_zone_months')),
    )
    op.create_index(op.f('ix_zone_months_centre_id'), 'zone_months', ['centre_id'],
                    unique=False)
    _fill_months(bind)


def _fill_months(bind) -> None:
    """Each month of zone_days added up (months found in Python: SQL spells them apart)."""
    first, last = bind.execute(sa.text("SELECT min(day), max(day) FROM zone_days")).one()
    if first is None:
        return
    first, last = (value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
                   for value in (first, last))
    month = first.replace(day=1)
    insert = sa.text(
        "INSERT INTO zone_months (month, zone_id, centre_id, consultations, "
        "finance_amount_krw, patent_transfers, ip_applications) "
        "SELECT :month, zone_id, centre_id, sum(consultations), sum(finance_amount_krw), "
        "sum(patent_transfers), sum(ip_applications) FROM zone_days "
        "WHERE day >= :month AND day < :next GROUP BY zone_id, centre_id"
    ).bindparams(sa.bindparam("month", type_=sa.Date()), sa.bindparam("next", type_=sa.Date()))
    while month <= last:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        bind.execute(insert, {"month": month, "next": following})
        month = following


def downgrade():
    op.drop_index(op.f('ix_zone_months_centre_id'), table_name='zone_months')
    op.drop_table('zone_months')
    op.drop_index('ix_zone_days_zone_day', table_name='zone_days')
    op.drop_index('ix_appointments_intake_status', table_name='appointments')
    for table in reversed(TABLES):
        name, _columns = INDEXES[table]
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_centre_id_centres'),
                                     type_='foreignkey')
            batch_op.drop_column('centre_id')
