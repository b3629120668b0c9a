"""zones and pre-screens belong to a centre

The first step of the network (issue 14): `zones`, `closures`, `routing_rules` and `intakes`
gain `centre_id` (centres.id), and every existing row is given the default centre
(DEFAULT_CENTRE's row, else the first centre made), so nothing is lost and a one-centre
database works as before. Zone codes become unique inside a centre (every centre may have a
`legal` zone) instead of everywhere. Institutions, advisers, rotations and exceptions reach
their centre through their zone and are not changed. A routing rule's centre may later be
NULL (a national base rule); every existing rule is the default centre's own.

On SQLite the tables are copied (batch mode) with foreign keys off (migrations/env.py), so
that dropping the old `intakes` neither fails nor cascades to `intake_needs`.

Revision ID: f3b8d2a6c915
Revises: a7c3e5f1b2d4
Create Date: 2026-12-03 08:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

# revision identifiers, used by Alembic.
revision = 'f3b8d2a6c915'
down_revision = 'a7c3e5f1b2d4'
branch_labels = None
depends_on = None

# (table, whether centre_id is required) — as the models say after this revision.
TABLES = (("zones", True), ("closures", True), ("routing_rules", False), ("intakes", True))


def _default_centre_id(bind) -> int | None:
    """As app/centres/services.default_centre_id, copied (a migration keeps its rules)."""
    code = current_app.config.get("DEFAULT_CENTRE") if has_app_context() else None
    found = None
    if code:
        found = bind.execute(sa.text("SELECT id FROM centres WHERE code = :code"),
                             {"code": code}).scalar()
    if found is None:
        found = bind.execute(sa.text("SELECT id FROM centres ORDER BY id LIMIT 1")).scalar()
    return found


def upgrade():
    bind = op.get_bind()
    centre_id = _default_centre_id(bind)
    for table, _required in TABLES:
        op.add_column(table, sa.Column('centre_id', sa.Integer(), nullable=True))
        if centre_id is not None:
            bind.execute(sa.text(f"UPDATE {table} SET centre_id = :id"), {"id": centre_id})
    for table, required in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if required:
                batch_op.alter_column('centre_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_centre_id_centres'),
                                        'centres', ['centre_id'], ['id'])
            batch_op.create_index(batch_op.f(f'ix_{table}_centre_id'), ['centre_id'],
                                  unique=False)
            if table == "zones":
                batch_op.drop_constraint('uq_zones_code', type_='unique')
                batch_op.create_unique_constraint('uq_zones_centre_code', ['centre_id', 'code'])


def downgrade():
    for table, _required in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "zones":
                batch_op.drop_constraint('uq_zones_centre_code', type_='unique')
                batch_op.create_unique_constraint('uq_zones_code', ['code'])
            batch_op.drop_index(batch_op.f(f'ix_{table}_centre_id'))
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_centre_id_centres'),
                                     type_='foreignkey')
            batch_op.drop_column('centre_id')
