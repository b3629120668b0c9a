"""A wide table scrolls sideways on a phone; axe-core ("scrollable-region-focusable",
serious) asks that such a region can be reached by keyboard and is named. Every table
wrapper of the templates is therefore a focusable, named region."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
WRAPPER = re.compile(r'<div class="ons-table-wrap"[^>]*>')


def test_every_table_wrapper_is_a_named_focusable_region():
    wrappers = [(path.relative_to(TEMPLATES).as_posix(), tag)
                for path in sorted(TEMPLATES.rglob("*.html"))
                for tag in WRAPPER.findall(path.read_text(encoding="utf-8"))]
    assert len(wrappers) >= 8
    unnamed = [(name, tag) for name, tag in wrappers
               if 'tabindex="0"' not in tag or 'role="region"' not in tag
               or not re.search(r"aria-label(ledby)?=", tag)]
    assert unnamed == []
