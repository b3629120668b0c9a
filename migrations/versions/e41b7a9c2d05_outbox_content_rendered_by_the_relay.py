"""outbox content rendered by the relay

A message row now records what to say (`content`: the template's values and the calendar
entries, as JSON) and the relay renders subject, bodies and calendar files when it sends,
so a booking's write transaction no longer renders templates. Rows written before this keep
their rendered columns and no content; the relay sends them as they are.

Revision ID: e41b7a9c2d05
Revises: 5d2e8b6c4a17
Create Date: 2026-12-02 07:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e41b7a9c2d05'
down_revision = '5d2e8b6c4a17'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('outbox', sa.Column('content', sa.Text(), nullable=True))


def downgrade():
    # A message never rendered has nothing to send without its content: it becomes dead
    # (shown to admins) rather than going out empty.
    op.execute("UPDATE outbox SET status = 'dead', last_error = 'not rendered before the "
               "downgrade' WHERE content IS NOT NULL AND status IN ('pending', 'failed')")
    op.drop_column('outbox', 'content')
