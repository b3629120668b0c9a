"""industry as a code

`intakes.industry` held free text: the page stored its combined label ("제조업 /
Manufacturing"), API clients sent what they liked ("manufacturing", "ICT & software"), so one
industry could be several rows of the statistics. Each stored value becomes the code of the
industry it names: a code, the Korean or the English label or the combined one, in any case,
with spaces around or repeated, and with "ㆍ" for "·". A value that names none of them
becomes `other` (the upgrade logs how many rows that was); a blank one becomes NULL (not
given).

The column gets no CHECK: on SQLite adding one rebuilds `intakes`, which three tables
reference, and so would every industry added later. The pre-screen form is the one way in.

No other table holds an industry: the rollup (`zone_days`) is per day and zone, and imported
consultations carry no company profile.

Downgrade writes the combined labels back (so `other` reads "기타 / Other", whatever it
was before).

The list is copied here, not imported: a migration must keep doing what it did when the
app's list changes.

Revision ID: cb760bbade97
Revises: 3a1f0c7d9b42
Create Date: 2026-12-01 00:00:00.000000

"""
import logging
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'cb760bbade97'
down_revision = '3a1f0c7d9b42'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

INDUSTRIES = (
    ("manufacturing", "제조업", "Manufacturing"),
    ("ict", "정보통신·소프트웨어", "ICT & software"),
    ("bio_health", "바이오·헬스케어", "Bio & health"),
    ("energy_environment", "에너지·환경", "Energy & environment"),
    ("wholesale_retail", "도소매·유통", "Wholesale & retail"),
    ("construction", "건설", "Construction"),
    ("agriculture_food", "농림수산·식품", "Agriculture & food"),
    ("culture_content", "문화·콘텐츠", "Culture & content"),
    ("professional_services", "전문·과학기술 서비스", "Professional & scientific services"),
    ("tourism_services", "관광·서비스", "Tourism & services"),
    ("other", "기타", "Other"),
)
_DOTS = str.maketrans({"\u318d": "·", "\u30fb": "·", "\u2027": "·", "\u2219": "·"})
_SLASH = re.compile(r"\s*/\s*")

intakes = sa.table("intakes", sa.column("industry", sa.String))


def _key(value):
    folded = unicodedata.normalize("NFKC", value.translate(_DOTS))
    return _SLASH.sub(" / ", " ".join(folded.split())).casefold()


def code_of(value):
    """The code a stored value stands for: None for a blank one, `other` for the unknown."""
    if not value.strip():
        return None
    names = {_key(name): code for code, ko, en in INDUSTRIES
             for name in (code, ko, en, f"{ko} / {en}")}
    return names.get(_key(value), "other")


def _rewrite(new_value):
    """Give every distinct stored value its new value; returns {old: (new, rows)}."""
    bind = op.get_bind()
    found = bind.execute(sa.select(intakes.c.industry, sa.func.count())
                         .where(intakes.c.industry.is_not(None))
                         .group_by(intakes.c.industry)).all()
    changed = {}
    for value, rows in found:
        new = new_value(value)
        if new != value:
            bind.execute(intakes.update().where(intakes.c.industry == value)
                         .values(industry=new))
            changed[value] = (new, rows)
    return changed


def upgrade():
    known = {_key(name) for row in INDUSTRIES for name in (*row, f"{row[1]} / {row[2]}")}
    changed = _rewrite(code_of)
    unknown = sum(rows for old, (new, rows) in changed.items()
                  if new == "other" and _key(old) not in known)
    if unknown:
        log.warning("industry: %d pre-screen(s) named no industry of the list; now 'other'",
                    unknown)


def downgrade():
    combined = {code: f"{ko} / {en}" for code, ko, en in INDUSTRIES}
    _rewrite(lambda value: combined.get(value, value))
