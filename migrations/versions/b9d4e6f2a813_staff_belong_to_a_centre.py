"""staff belong to a centre; the national role; institution codes unique per zone

Issue 14, the roles: `users` gains `centre_id` (centres.id). Every existing admin and
adviser is given the default centre (DEFAULT_CENTRE's row, else the first centre made), so
a one-centre database works as before. The new role `national` (the national programme
office) has no centre, and only it: a CHECK says so. Institution codes become unique inside
their zone instead of everywhere, so that every centre's finance zone may have a `kodit`.

Revision ID: b9d4e6f2a813
Revises: f3b8d2a6c915
Create Date: 2026-12-03 14:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

# revision identifiers, used by Alembic.
revision = 'b9d4e6f2a813'
down_revision = 'f3b8d2a6c915'
branch_labels = None
depends_on = None


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
    op.add_column('users', sa.Column('centre_id', sa.Integer(), nullable=True))
    centre_id = _default_centre_id(bind)
    if centre_id is not None:
        bind.execute(sa.text("UPDATE users SET centre_id = :id"), {"id": centre_id})
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_users_centre_id_centres'),
                                    'centres', ['centre_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_users_centre_id'), ['centre_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_users_role_known'), "role IN ('admin', 'adviser', 'national')")
        batch_op.create_check_constraint(
            batch_op.f('ck_users_centre_by_role'), "(role = 'national') = (centre_id IS NULL)")
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_institutions_code', type_='unique')
        batch_op.create_unique_constraint('uq_institutions_zone_code', ['zone_id', 'code'])


def downgrade():
    # Without the role a national login becomes a signed-out admin (nothing is deleted).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_centre_by_role'), type_='check')
    op.get_bind().execute(sa.text(
        "UPDATE users SET role = 'admin', active = false WHERE role = 'national'"))
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_institutions_zone_code', type_='unique')
        batch_op.create_unique_constraint('uq_institutions_code', ['code'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_role_known'),
                                         "role IN ('admin', 'adviser')")
        batch_op.drop_index(batch_op.f('ix_users_centre_id'))
        batch_op.drop_constraint(batch_op.f('fk_users_centre_id_centres'), type_='foreignkey')
        batch_op.drop_column('centre_id')
