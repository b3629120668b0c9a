"""the language of a pre-screen

`intakes.language` ('ko' or 'en') is the language the pre-screen was made in, and so of the
e-mails the firm gets. Every pre-screen made before this was mailed in Korean (beside the
English), so existing rows become 'ko'. The column and its CHECK are added in one plain
ALTER TABLE (SQLite and PostgreSQL both take a column constraint there) rather than a batch
copy of `intakes`, which the foreign keys pointing at it would refuse on a populated SQLite
database; the CHECK belongs to the column, so dropping the column drops it on both.

Revision ID: 5c61b9c11149
Revises: e41b7a9c2d05
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '5c61b9c11149'
down_revision = 'e41b7a9c2d05'
branch_labels = None
depends_on = None

# As app/states.py: Language generates the same CHECK for the models.
LANGUAGES = ('ko', 'en')


def upgrade():
    known = ", ".join(f"'{code}'" for code in LANGUAGES)
    op.execute("ALTER TABLE intakes ADD COLUMN language VARCHAR(2) DEFAULT 'ko' NOT NULL "
               f"CONSTRAINT ck_intakes_language_known CHECK (language IN ({known}))")


def downgrade():
    op.drop_column('intakes', 'language')
