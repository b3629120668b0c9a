"""A recommendation as the result page says it: a strength word and one or two plain
reasons per zone (the stored evidence stays whole, in `explain`'s words, for "details")."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from app.intake.routing import explain
from app.main.i18n import localized

# A zone's share of the evidence -> the word the page shows (best first). A share is not a
# chance of approval, so no percentage is shown to the firm.
STRENGTHS = ((0.5, "strong", _l("Strong match")), (0.25, "good", _l("Good match")),
             (0.0, "possible", _l("Possible")))


def strength(score: float) -> tuple[str, str]:
    """(key, word) for a zone's score: strong, good or possible."""
    key, word = next(((key, word) for floor, key, word in STRENGTHS if score >= floor),
                     STRENGTHS[-1][1:])
    return key, str(word)


def _quoted(texts: list[str], html: bool, own_words: bool) -> str:
    if html:
        mark = Markup('<span translate="no">‘%s’</span>') if own_words else Markup("‘%s’")
        return Markup(", ").join(mark % text for text in texts)
    return ", ".join(f"‘{text}’" for text in texts)


def plain_reasons(reasons: list, html: bool = False) -> list[str]:
    """At most two sentences: the needs the firm ticked, said once; else the strongest
    phrase of its description that matched (and how many more did)."""
    needs = [localized(r.get("need"), r.get("need_en")) for r in reasons
             if isinstance(r, dict) and r.get("kind") == "need"]
    phrases = [r.get("phrase", "") for r in reasons
               if isinstance(r, dict) and r.get("kind") == "phrase"]
    said = []
    if needs:
        said.append(ngettext("You chose the need %(needs)s.", "You chose the needs %(needs)s.",
                             len(needs), needs=_quoted(needs, html, False)))
    if phrases and len(said) < 2:
        more = len(phrases) - 1
        text = _quoted(phrases[:1], html, True)
        if more:
            said.append(ngettext("Your description mentions %(phrase)s and %(num)d more "
                                 "related term.",
                                 "Your description mentions %(phrase)s and %(num)d more "
                                 "related terms.", more, phrase=text))
        else:
            said.append(_("Your description mentions %(phrase)s.", phrase=text))
    if not said:  # reasons stored before they were data: their own words, the first one
        said = [explain(r, html) for r in reasons[:1]]
    return [Markup(s) for s in said] if html else said


def presented(recommendation: list[dict], html: bool = False) -> list[dict]:
    """A stored recommendation for the result page: each zone with its strength word, its
    plain reasons, and every reason in words (for those who want the detail)."""
    shown = []
    for rec in recommendation:
        reasons = list(rec.get("reasons", ()))
        key, word = strength(rec.get("score", 0.0))
        shown.append({**rec, "strength": key, "strength_label": word,
                      "plain_reasons": plain_reasons(reasons, html),
                      "reasons": [explain(reason, html) for reason in reasons]})
    return shown

