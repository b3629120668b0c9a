"""booking reminder link and attendance answer

Revision ID: b66aa413b75f
Revises: 6eee5aa1fd9c
Create Date: 2026-11-22 04:19:16.856423

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b66aa413b75f'
down_revision = '6eee5aa1fd9c'
branch_labels = None
depends_on = None


def upgrade():
    # The reminder's "still coming?" link: a new random token per reminder, stored hashed.
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('attendance_confirmed_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_bookings_reminder_token_hash'),
                                          ['reminder_token_hash'])


def downgrade():
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_bookings_reminder_token_hash'), type_='unique')
        batch_op.drop_column('attendance_confirmed_at')
        batch_op.drop_column('reminder_token_hash')
