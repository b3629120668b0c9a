"""Fill the English catalogue's empty entries with their msgids, which are English already.

`make translations` runs it after `pybabel update`: a new msgid arrives in
translations/en already translated (an English editor may still reword it there), while the
Korean catalogue waits for a person; the suite fails until it has one (tests/test_i18n.py).
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "translations/en/LC_MESSAGES/messages.po"


def fill(path: Path = CATALOGUE) -> int:
    """Give every untranslated or fuzzy entry its msgid (both forms for a plural); return
    how many were filled."""
    with path.open("rb") as file:
        catalogue = read_po(file)
    filled = 0
    for message in catalogue:
        if not message.id:
            continue
        plural = isinstance(message.id, tuple)
        empty = not all(message.string) if plural else not message.string
        if empty or message.fuzzy:
            message.string = tuple(message.id) if plural else message.id
            message.flags.discard("fuzzy")
            filled += 1
    with path.open("wb") as file:
        write_po(file, catalogue, width=None, no_location=True, sort_output=True,
                 ignore_obsolete=True)
    return filled


if __name__ == "__main__":
    print(f"{fill()} English entries filled from their msgids", file=sys.stderr)
