"""Reading a page as its reader does, to check that it speaks one language.

`visible_text(html)` is the text a person sees or hears: the elements' text and the
attributes read out (aria-label, title, alt, placeholder), without scripts, styles and
anything marked `translate="no"` — names and data that people typed (a firm, an adviser,
an address, a token) and the language selector's self-named choices. A template marks those
so; everything else on a page is the product's own words and must be in the page's language.

    assert not hangul(html)              # an English page
    assert not english_words(html)       # a Korean page
"""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
# A Latin word with a lower-case letter: 'Sign', 'e-mail' (acronyms such as KODIT or API, and
# formats such as YYYY-MM-DD, are the same in both languages).
LATIN_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skip = (self.skipping or tag in ("script", "style")
                or (values.get("translate") or "").lower() == "no")
        if not skip:
            self.chunks.extend(values[name] for name in READ_ATTRIBUTES if values.get(name))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        # Close up to the matching element (HTML lets </li>, </p> go unsaid).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    """The page's own words, chunk by chunk, without what is marked translate="no"."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.chunks


def hangul(html: str) -> list[str]:
    """The chunks of the page's own words that hold Hangul (none, on an English page)."""
    return [chunk for chunk in visible_text(html) if HANGUL.search(chunk)]


def english_words(html: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The chunks that hold an English word (none, on a Korean page), ignoring `allowed`."""
    permitted = {word.lower() for word in allowed}
    return [chunk for chunk in visible_text(html)
            if any(word.lower() not in permitted for word in LATIN_WORD.findall(chunk))]


def html_lang(html: str) -> str | None:
    """The `lang` of the page's <html> element."""
    found = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", html)
    return found.group(1) if found else None
