"""Routing engine: scores a pre-screen's needs and description against zones, as pure code.

The reasons it gives are stored as data (what matched, and the names in both languages as
they were then) and put into words where they are read, in the reader's language: `explain`.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup

from app.main.i18n import localized


@dataclass(frozen=True)
class Rule:
    """One routing_rules row: a phrase that, found in a description, adds weight to a zone."""

    zone: str
    institution: str | None
    phrase: str
    weight: float


@dataclass(frozen=True)
class NeedRule:
    """One needs row: a need a firm can tick, with the zone (and institution) it points at."""

    code: str
    zone: str
    institution: str | None
    label: str
    label_en: str
    weight: float


@dataclass
class ZoneScore:
    """A recommended zone: its share of the evidence, the evidence, and the best institution."""

    zone: str
    score: float
    raw: float
    reasons: list[dict] = field(default_factory=list)  # see explain()
    institution: str | None = None


_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_SPACE = re.compile(r"\s+")
# Hyphens and spaces vary freely in English ("start-up", "start up", "startup").
_JOINER = r"[\s\-\u2010-\u2015]*"
# Only ASCII letters and digits count as word characters, so "IP를" still matches "ip".
_WORD_START = r"(?<![a-z0-9])"
_WORD_END = r"(?![a-z0-9])"
_SHORT = 3
_SHORT_KOREAN = 2
# Particles that may sit between the words of a Korean phrase.
_PARTICLE = "(?:에서|으로|을|를|이|가|은|는|의|에|와|과|도|로)?"


def normalise(text: str) -> str:
    """NFKC-fold, lowercase and collapse whitespace, so full-width and odd spacing compare equal."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "").lower()).strip()


def _compact(text: str) -> str:
    return _SPACE.sub("", text)


def _english_word(word: str) -> str:
    """Regex for one English word, allowing the spelling changes of -ing/-ed/-es endings."""
    # Matching at word starts already covers "patent" -> "patents"; these cover the rest.
    if len(word) > _SHORT and word.endswith("e"):
        return re.escape(word[:-1]) + "(?:e|ing)"
    if len(word) > _SHORT and word.endswith("y") and word[-2] not in "aeiou":
        return re.escape(word[:-1]) + "(?:y|ie)"
    return re.escape(word)


@lru_cache(maxsize=4096)
def _matcher(phrase: str) -> Callable[[str, str], bool] | None:
    """A test (normalised text, compacted text) -> bool for one phrase; None if it is blank."""
    norm = normalise(phrase)
    if not norm:
        return None
    if _HANGUL.search(norm):
        # Korean attaches particles and drops spaces freely, so compare without any spaces,
        # and let a particle sit between a phrase's words ("기술을 이전" for "기술 이전").
        words = norm.split(" ")
        if len(words) == 1 and len(norm) <= _SHORT_KOREAN:
            # Two syllables are too easily formed across a space ("했다고 소비자" holds 고소).
            return lambda text, _compact_text: norm in text
        if len(words) == 1:
            return lambda _text, compact: norm in compact
        pattern = re.compile(_PARTICLE.join(re.escape(w) for w in words))
        return lambda _text, compact: pattern.search(compact) is not None
    words = [w for w in re.split(r"[\s\-\u2010-\u2015]+", norm) if w]
    body = _JOINER.join(_english_word(w) for w in words)
    if len(_compact(norm)) <= _SHORT:
        # Acronyms like "ip" or "r&d" would otherwise start far too many words.
        body = re.escape(_compact(norm))
        pattern = re.compile(_WORD_START + body + _WORD_END)
    else:
        pattern = re.compile(_WORD_START + body)
    return lambda text, _compact_text: pattern.search(text) is not None


def _matches(phrase: str, text: str, compact: str) -> bool:
    matcher = _matcher(phrase)
    return matcher is not None and matcher(text, compact)


def _lower_first(name: str) -> str:
    """'Patent zone' -> 'patent zone', but leave acronyms such as 'IP zone' alone."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _subject_particle(word: str) -> str:
    """이 after a final consonant, 가 after a vowel; 이(가) when the word does not end in Hangul."""
    last = word.rstrip()[-1:] if word.strip() else ""
    if "가" <= last <= "힣":
        return "이" if (ord(last) - ord("가")) % 28 else "가"
    return "이(가)"


def _institution_reason(code: str, names: Mapping[str, tuple[str, str]]) -> dict:
    ko, en = names.get(code, (code, code))
    return {"kind": "institution", "institution": ko, "institution_en": en}


def route(
    description: str,
    needs: Sequence[NeedRule],
    rules: Sequence[Rule],
    zone_names: Mapping[str, tuple[str, str]],
    institution_names: Mapping[str, tuple[str, str]] = {},  # noqa: B006 - read only
) -> list[ZoneScore]:
    """Score every zone the needs and description point at; best first, scores summing to ~1."""
    text = normalise(description)
    compact = _compact(text)
    raw: dict[str, float] = {}
    need_reasons: dict[str, list[dict]] = {}
    phrase_hits: dict[str, list[tuple[float, dict]]] = {}
    by_institution: dict[str, dict[str, float]] = {}
    institution_order: dict[str, int] = {}

    def zone_name(code: str) -> tuple[str, str]:
        return zone_names.get(code, (code, code))

    def credit(zone: str, institution: str | None, weight: float) -> None:
        raw[zone] = raw.get(zone, 0.0) + weight
        if institution:
            per_zone = by_institution.setdefault(zone, {})
            per_zone[institution] = per_zone.get(institution, 0.0) + weight

    # Ties between institutions go to the one the admins listed first.
    for item in [*rules, *needs]:
        if item.institution and item.institution not in institution_order:
            institution_order[item.institution] = len(institution_order)

    for need in needs:
        if need.weight <= 0:
            continue
        credit(need.zone, need.institution, need.weight)
        ko, en = zone_name(need.zone)
        need_reasons.setdefault(need.zone, []).append(
            {"kind": "need", "need": need.label, "need_en": need.label_en,
             "zone": ko, "zone_en": en})

    if text:
        for rule in rules:
            if rule.weight <= 0 or not _matches(rule.phrase, text, compact):
                continue
            credit(rule.zone, rule.institution, rule.weight)
            ko, en = zone_name(rule.zone)
            reason = {"kind": "phrase", "phrase": rule.phrase.strip(), "zone": ko, "zone_en": en}
            hits = phrase_hits.setdefault(rule.zone, [])
            if all(r != reason for _weight, r in hits):
                hits.append((rule.weight, reason))

    total = sum(w for w in raw.values() if w > 0)
    if total <= 0:
        return []
    zone_order = {code: i for i, code in enumerate(zone_names)}
    results = []
    for zone, weight in raw.items():
        institution = None
        candidates = by_institution.get(zone)
        if candidates:
            institution = min(candidates, key=lambda c: (-candidates[c], institution_order[c]))
        # Strongest phrases first: that is the order a person reads the evidence in.
        hits = sorted(phrase_hits.get(zone, []), key=lambda hit: -hit[0])
        reasons = need_reasons.get(zone, []) + [r for _weight, r in hits]
        if institution:
            reasons.append(_institution_reason(institution, institution_names))
        results.append(ZoneScore(zone, round(weight / total, 2), weight, reasons, institution))
    results.sort(key=lambda s: (-s.raw, zone_order.get(s.zone, len(zone_order)), s.zone))
    return results


def _fits(institution: str) -> str:
    """'%(institution)s fits', its Korean with the particle the name takes (이, 가 or 이(가)):
    one sentence, three translators' contexts."""
    particle = _subject_particle(institution)
    if particle == "이":
        return pgettext("after a final consonant", "%(institution)s fits")
    if particle == "가":
        return pgettext("after a vowel", "%(institution)s fits")
    return pgettext("after a name not ending in Hangul", "%(institution)s fits")


def explain(reason: dict | str, html: bool = False) -> str:
    """A stored reason in the reader's language. With html=True it is markup in which the
    phrase quoted from the firm's description is marked translate="no" (it is their words).

    A reason stored before reasons were data is a "한국어 / English" string: its half.
    """
    if isinstance(reason, str):
        korean, sep, english = reason.partition(" / ")
        return localized(korean, english) if sep else reason
    kind = reason.get("kind")
    zone = localized(reason.get("zone"), reason.get("zone_en"))
    if kind == "need":
        sentence = _("Selected need ‘%(need)s’ → %(zone)s")
        values = {"need": localized(reason.get("need"), reason.get("need_en")), "zone": zone}
    elif kind == "phrase":
        sentence = _("‘%(phrase)s’ matched the %(zone)s")
        phrase = reason.get("phrase", "")
        values = {"zone": localized(reason.get("zone"), _lower_first(reason.get("zone_en") or "")),
                  "phrase": Markup('<span translate="no">%s</span>') % phrase if html else phrase}
    elif kind == "institution":
        name = localized(reason.get("institution"), reason.get("institution_en"))
        sentence, values = _fits(name), {"institution": name}
    else:
        return ""
    return Markup(sentence) % values if html else sentence % values


def explained(recommendation: list[dict], html: bool = False) -> list[dict]:
    """A stored recommendation with its reasons in the reader's language (see explain)."""
    return [{**rec, "reasons": [explain(reason, html) for reason in rec.get("reasons", ())]}
            for rec in recommendation]
