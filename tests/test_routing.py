"""Routing engine: matching rules, scoring, reasons, and accuracy on a labelled set."""

import re

import pytest

from app.demo.rules import INSTITUTIONS, NEEDS, RULES, ZONES
from app.intake.routing import NeedRule, Rule, explain, explained, normalise, route
from tests.routing_examples import LABELLED


def evaluate(
    examples: list[tuple[str, str, str | None]] = LABELLED,
    rules: list[Rule] = RULES,
) -> dict:
    """Top-zone and institution accuracy of the routing rules on labelled descriptions."""
    zone_hits = institution_hits = institution_total = 0
    misses: list[str] = []
    for text, zone, institution in examples:
        result = route(text, [], rules, ZONES, INSTITUTIONS)
        top = result[0] if result else None
        if top is not None and top.zone == zone:
            zone_hits += 1
        else:
            misses.append(f"zone {zone} != {top.zone if top else None}: {text}")
        if institution is not None:
            institution_total += 1
            if top is not None and top.institution == institution:
                institution_hits += 1
            else:
                misses.append(f"institution {institution} != {top and top.institution}: {text}")
    return {
        "zone_accuracy": zone_hits / len(examples),
        "institution_accuracy": institution_hits / institution_total if institution_total else 1.0,
        "examples": len(examples),
        "institution_examples": institution_total,
        "misses": misses,
    }


def routing_accuracy() -> float:
    """Share of labelled descriptions whose top zone is the expected one."""
    return evaluate()["zone_accuracy"]


ZONE_NAMES = {
    "legal": ("법률존", "Legal zone"),
    "finance": ("금융존", "Finance zone"),
    "patent": ("특허존", "Patent zone"),
}


def _zones(description: str, rules: list[Rule], needs: tuple[NeedRule, ...] = ()) -> list[str]:
    return [s.zone for s in route(description, needs, rules, ZONE_NAMES)]


def _need(code: str) -> NeedRule:
    return next(n for n in NEEDS if n.code == code)


def test_normalise_folds_width_case_and_spaces():
    assert normalise("  ＰＡＴＥＮＴ\t 출원\n") == "patent 출원"
    assert normalise("") == ""


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("특허", "우리 기술로 특허를 받고 싶어요"),
        ("특허 출원", "특허출원 절차가 궁금합니다"),
        ("특허 출원", "특허 출원 비용은?"),
        ("특허 출원", "특허를 출원하려고 합니다"),
        ("상표 등록", "상표 등록 문의"),
        ("상표 등록", "브랜드 상표등록을 하고 싶습니다"),
        ("상표등록", "상표 등록 문의"),
        ("기술 이전", "대학의 기술을 이전받고 싶습니다"),
        ("운전자금", "운전 자금이 부족합니다"),
    ],
)
def test_korean_survives_particles_and_spacing(phrase, text):
    assert _zones(text, [Rule("patent", None, phrase, 1.0)]) == ["patent"]


def test_short_korean_word_is_not_made_across_a_space():
    rules = [Rule("legal", None, "고소", 3.0)]
    assert _zones("환불을 거부당했다고 소비자원에 신고했습니다", rules) == []
    assert _zones("상대방을 고소하려고 합니다", rules) == ["legal"]


@pytest.mark.parametrize("text", ["We ship worldwide", "a quick tip", "zip files", "IPO plans"])
def test_short_acronym_does_not_match_inside_words(text):
    assert _zones(text, [Rule("patent", None, "ip", 2.0)]) == []


@pytest.mark.parametrize("text", ["Our IP strategy", "IP-based business", "IP를 보호", "(ip)"])
def test_short_acronym_matches_as_a_whole_word(text):
    assert _zones(text, [Rule("patent", None, "ip", 2.0)]) == ["patent"]


def test_r_and_d_matches_as_a_word():
    rules = [Rule("finance", "kibo", "r&d", 1.5)]
    assert _zones("R&D 과제 사업화 자금", rules) == ["finance"]
    assert _zones("hr&dev team", rules) == []


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("patent", "We hold two Patents"),
        ("patent", "our patented process"),
        ("license", "licensing our technology"),
        ("company", "large companies"),
        ("prior art", "a prior-art search"),
        ("prior art", "PRIOR   ART"),
        ("term sheet", "the termsheet from the VC"),
        ("co-founder", "my co founder"),
    ],
)
def test_english_matches_at_word_starts(phrase, text):
    assert _zones(text, [Rule("legal", None, phrase, 1.0)]) == ["legal"]


@pytest.mark.parametrize(("phrase", "text"), [("patent", "impatient"), ("legal", "illegally")])
def test_english_does_not_match_inside_a_word(phrase, text):
    assert _zones(text, [Rule("legal", None, phrase, 1.0)]) == []


def test_phrase_counts_once_however_often_it_appears():
    (score,) = route(
        "patent, patent, patents", [], [Rule("patent", None, "patent", 2.0)], ZONE_NAMES
    )
    assert score.raw == 2.0
    assert score.score == 1.0
    assert len(score.reasons) == 1


def test_nothing_matched_gives_no_zones():
    assert route("안녕하세요. 부산의 카페입니다.", [], RULES, ZONES, INSTITUTIONS) == []
    assert route("", [], RULES, ZONES, INSTITUTIONS) == []


def test_needs_alone_route_with_an_empty_description():
    result = route("", [_need("contract_review")], RULES, ZONES, INSTITUTIONS)
    assert [(s.zone, s.score, s.raw) for s in result] == [("legal", 1.0, 3.0)]
    assert result[0].reasons == [{"kind": "need", "need": "계약서 검토",
                                  "need_en": "Contract review",
                                  "zone": "법률존", "zone_en": "Legal zone"}]
    assert result[0].institution is None


def test_mixed_needs_give_several_zones_sorted_by_score():
    needs = [
        _need("contract_review"),
        _need("patent_application"),
        _need("trademark"),
        _need("tech_guarantee"),
    ]
    result = route("", needs, RULES, ZONES, INSTITUTIONS)
    assert [s.zone for s in result] == ["patent", "legal", "finance"]
    assert [s.score for s in result] == [0.5, 0.25, 0.25]
    assert result[2].institution == "kibo"
    assert [s.score for s in result] == sorted((s.score for s in result), reverse=True)


def test_zone_ties_follow_the_zone_order_given():
    rules = [Rule("patent", None, "patent", 1.0), Rule("legal", None, "contract", 1.0)]
    assert _zones("patent contract", rules) == ["legal", "patent"]
    reordered = {"patent": ZONE_NAMES["patent"], "legal": ZONE_NAMES["legal"]}
    assert [s.zone for s in route("patent contract", [], rules, reordered)] == ["patent", "legal"]


def test_scores_are_shares_that_sum_to_one():
    text = "특허 출원과 투자계약서 검토, 그리고 기술보증 상담을 받고 싶습니다"
    result = route(text, [_need("trademark")], RULES, ZONES, INSTITUTIONS)
    assert len(result) == 3
    assert sum(s.score for s in result) == pytest.approx(1.0, abs=0.02)
    assert all(0 < s.score <= 1 for s in result)
    total = sum(s.raw for s in result)
    for s in result:
        assert s.score == round(s.raw / total, 2)


def test_reasons_name_the_phrase_and_the_zone():
    result = route(
        "특허 출원을 하고 싶어요", [], [Rule("patent", None, "특허 출원", 3.0)], ZONE_NAMES
    )
    assert result[0].reasons == [
        {"kind": "phrase", "phrase": "특허 출원", "zone": "특허존", "zone_en": "Patent zone"}]
    for score in route("We need a patent and a contract review", [], RULES, ZONES):
        ko, en = ZONES[score.zone]
        assert all((r["zone"], r["zone_en"]) == (ko, en) for r in score.reasons)


def test_reasons_put_ticked_needs_first_and_the_institution_last():
    result = route(
        "기술보증 받을 수 있나요?", [_need("policy_fund_consult")], RULES, ZONES, INSTITUTIONS
    )
    (finance,) = result
    assert finance.reasons[0]["need"] == "정책자금 상담"
    assert any(r.get("phrase") == "기술보증" for r in finance.reasons)
    assert finance.reasons[-1] == {"kind": "institution", "institution": "기술보증기금",
                                   "institution_en": "KIBO"}


@pytest.mark.parametrize(
    ("text", "institution"),
    [
        ("기술력은 있지만 담보가 없어 기술보증을 받고 싶습니다", "kibo"),
        ("We would like a technology guarantee based on our patents", "kibo"),
        ("신용보증서를 받아 은행에서 대출을 받으려 합니다", "kodit"),
        ("We need a credit guarantee for our bank", "kodit"),
        ("공장 신축을 위한 시설자금 대출이 필요합니다", "kdb"),
        ("We need a facility loan for new production equipment", "kdb"),
        ("운전자금 대출을 받고 싶어요", "ibk"),
        ("We need working capital and an overdraft", "ibk"),
    ],
)
def test_finance_texts_pick_the_institution(text, institution):
    top = route(text, [], RULES, ZONES, INSTITUTIONS)[0]
    assert (top.zone, top.institution) == ("finance", institution)
    ko, en = INSTITUTIONS[institution]
    assert top.reasons[-1] == {"kind": "institution", "institution": ko, "institution_en": en}


def test_institution_ties_follow_the_rules_order():
    rules = [Rule("finance", "kodit", "guarantee", 2.0), Rule("finance", "kibo", "tech", 2.0)]
    assert route("tech guarantee", [], rules, ZONE_NAMES)[0].institution == "kodit"
    assert route("tech guarantee", [], rules[::-1], ZONE_NAMES)[0].institution == "kibo"


def test_zone_without_institution_evidence_has_none():
    result = route("대출 상담", [], [Rule("finance", None, "대출", 2.0)], ZONE_NAMES)
    assert result[0].institution is None
    assert len(result[0].reasons) == 1


def _read(app, language: str, reasons: list, html: bool = False) -> list[str]:
    with app.test_request_context(f"/?lang={language}"):
        return [str(explain(reason, html)) for reason in reasons]


@pytest.mark.parametrize(("names", "korean"), [
    ({"x": ("하나은행", "Hana Bank")}, "하나은행이 적합합니다"),
    ({"x": ("우리카드", "Woori Card")}, "우리카드가 적합합니다"),
    ({}, "x이(가) 적합합니다"),  # an institution without names: its code
])
def test_the_institution_reason_takes_the_particle_its_name_needs(app, names, korean):
    reasons = route("loan", [], [Rule("finance", "x", "loan", 1.0)], ZONE_NAMES, names)[0].reasons
    assert _read(app, "ko", reasons[-1:]) == [korean]
    english = names.get("x", ("x", "x"))[1]
    assert _read(app, "en", reasons[-1:]) == [f"{english} fits"]


def test_reasons_are_read_in_the_readers_language(app):
    rules = [Rule("patent", None, "특허 출원", 3.0)]
    reasons = route("특허 출원을 하고 싶어요", [_need("trademark")], rules, ZONE_NAMES)[0].reasons
    assert _read(app, "ko", reasons) == [
        "선택한 항목 ‘상표 등록’ → 특허존", "‘특허 출원’ 표현이 특허존에 해당합니다"]
    assert _read(app, "en", reasons) == [
        "Selected need ‘Trademark registration’ → Patent zone",
        "‘특허 출원’ matched the patent zone"]
    # On a page the quoted phrase is the firm's own words, which no language test reads.
    assert _read(app, "en", reasons[1:], html=True) == [
        '‘<span translate="no">특허 출원</span>’ matched the patent zone']
    assert _read(app, "en", [{"kind": "phrase", "phrase": "<b>", "zone": "특허존",
                              "zone_en": "Patent zone"}], html=True) == [
        '‘<span translate="no">&lt;b&gt;</span>’ matched the patent zone']


def test_a_reason_stored_in_both_languages_at_once_is_read_by_its_half(app):
    old = "선택한 항목 ‘계약서 검토’ → 법률존 / Selected need ‘Contract review’ → Legal zone"
    assert _read(app, "ko", [old]) == ["선택한 항목 ‘계약서 검토’ → 법률존"]
    assert _read(app, "en", [old]) == ["Selected need ‘Contract review’ → Legal zone"]
    stored = [{"code": "legal", "score": 1.0, "reasons": [old], "institution_id": None}]
    with app.test_request_context("/?lang=en"):
        assert explained(stored) == [{**stored[0], "reasons": [
            "Selected need ‘Contract review’ → Legal zone"]}]


def test_blank_phrases_and_non_positive_weights_are_ignored():
    rules = [Rule("legal", None, "  ", 1.0), Rule("legal", None, "contract", 0.0)]
    assert route("contract", [], rules, ZONE_NAMES) == []


def test_demo_needs_cover_each_zone():
    codes = [n.code for n in NEEDS]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in codes)
    for zone in ZONES:
        assert sum(n.zone == zone for n in NEEDS) >= 6
    assert _need("contract_review").label == "계약서 검토"
    assert _need("contract_review").label_en == "Contract review"
    assert {n.weight for n in NEEDS} == {3.0}
    finance = [n for n in NEEDS if n.zone == "finance"]
    assert {n.institution for n in finance} == {*INSTITUTIONS, None}
    assert all(n.institution is None for n in NEEDS if n.zone != "finance")


def test_demo_rules_do_not_count_one_phrase_twice():
    # "co-founder" and "cofounder" match the same texts, so both would double the weight.
    seen = [re.sub(r"[\s\-]", "", normalise(r.phrase)) for r in RULES]
    assert sorted(p for p in seen if seen.count(p) > 1) == []


def test_demo_rules_are_valid_and_each_phrase_matches_itself():
    assert {r.zone for r in RULES} == set(ZONES)
    assert {r.institution for r in RULES} == {*INSTITUTIONS, None}
    assert all(r.weight > 0 and r.phrase == r.phrase.strip() and r.phrase for r in RULES)
    for rule in RULES:
        assert route(rule.phrase, [], [rule], ZONES), rule.phrase


def _has_hangul(text: str) -> bool:
    return any("가" <= ch <= "힣" for ch in text)


def _has_latin_words(text: str) -> bool:
    return sum(ch.isascii() and ch.isalpha() for ch in text) > 10


def test_labelled_set_is_big_and_bilingual():
    korean = [t for t, _, _ in LABELLED if _has_hangul(t) and not _has_latin_words(t)]
    english = [t for t, _, _ in LABELLED if not _has_hangul(t)]
    assert len(LABELLED) >= 40
    assert len(korean) >= 15
    assert len(english) >= 15
    assert len(LABELLED) > len(korean) + len(english)  # some mixed
    assert {zone for _, zone, _ in LABELLED} == set(ZONES)


def test_labelled_accuracy():
    result = evaluate()
    print(
        f"\nrouting_accuracy={result['zone_accuracy']:.3f} "
        f"institution_accuracy={result['institution_accuracy']:.3f} "
        f"({result['examples']} examples, {result['institution_examples']} with institution)"
    )
    for miss in result["misses"]:
        print("  miss:", miss)
    assert result["zone_accuracy"] >= 0.9
    assert result["institution_accuracy"] >= 0.8


if __name__ == "__main__":
    outcome = evaluate()
    print(f"routing_accuracy={outcome['zone_accuracy']:.3f}")
    print(f"institution_accuracy={outcome['institution_accuracy']:.3f}")
    for miss in outcome["misses"]:
        print("miss:", miss)
