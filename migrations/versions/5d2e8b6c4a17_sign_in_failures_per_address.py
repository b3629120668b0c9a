"""sign-in failures per e-mail and address

Failures were counted on the account (`users.failed_logins`, `users.locked_until`), so anyone
could keep a known account locked. They are now counted per typed e-mail (a keyed digest) and
client address in `sign_in_failures`; the two user columns go. They are dropped with a plain
ALTER TABLE (SQLite 3.35+ and PostgreSQL both have it) rather than a batch copy of `users`,
which the foreign keys pointing at it would refuse on a populated SQLite database.

Revision ID: 5d2e8b6c4a17
Revises: 3a1f0c7d9b42
Create Date: 2026-12-01 00:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d2e8b6c4a17'
down_revision = 'cb760bbade97'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email_digest', sa.String(length=64), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures')),
        sa.UniqueConstraint('email_digest', 'address',
                            name=op.f('uq_sign_in_failures_email_digest')),
    )
    op.create_index(op.f('ix_sign_in_failures_last_failed_at'), 'sign_in_failures',
                    ['last_failed_at'], unique=False)
    op.drop_column('users', 'locked_until')
    op.drop_column('users', 'failed_logins')


def downgrade():
    # A server default, as existing rows need a value; the original column had none.
    op.add_column('users', sa.Column('failed_logins', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.add_column('users', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    op.drop_index(op.f('ix_sign_in_failures_last_failed_at'), table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
