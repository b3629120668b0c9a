"""Routing engine: matching rules, scoring, reasons, and accuracy on a labelled set."""

import re

import pytest

from app.intake.demo_rules import INSTITUTIONS, NEEDS, RULES, ZONES
from app.intake.routing import NeedRule, Rule, normalise, route

# What firms actually write in the pre-screen, labelled with the zone a centre coordinator would
# send them to first and, for finance, the institution when the text makes it clear.
# (description, expected top zone, expected institution or None)
LABELLED: list[tuple[str, str, str | None]] = [
    # Korean
    ("제조 설비 증설을 위해 10억 정도 시설자금 대출이 필요합니다", "finance", "kdb"),
    ("공동창업자와 지분 문제로 분쟁이 생겼어요", "legal", None),
    ("개발한 센서 기술로 특허를 내고 싶은데 어떻게 시작해야 할지 모르겠습니다", "patent", None),
    (
        "기술력은 있는데 매출이 없어서 은행에서 대출이 안 됩니다. 기술보증 받을 수 있을까요?",
        "finance",
        "kibo",
    ),
    (
        "거래처가 물품대금 3천만원을 6개월째 안 주고 있습니다. 내용증명부터 보내야 하나요?",
        "legal",
        None,
    ),
    ("브랜드 이름을 상표등록 하려고 하는데 비슷한 이름이 이미 있는지 궁금합니다", "patent", None),
    ("직원이 퇴사하면서 고객 정보를 가지고 나갔습니다", "legal", None),
    ("다음 달 직원 급여 줄 운전자금이 부족해서 대출 상담 받고 싶어요", "finance", "ibk"),
    ("신용보증서를 발급받아 은행 대출을 받으려고 합니다", "finance", "kodit"),
    (
        "대기업과 공동개발 계약을 맺는데 계약서에 불리한 조항이 있는지 봐주세요",
        "legal",
        None,
    ),
    (
        "우리 제품 디자인을 중국 업체가 베껴서 팔고 있어요. 디자인 등록은 안 해뒀습니다",
        "patent",
        None,
    ),
    ("개인사업자에서 법인 전환을 하려고 하는데 절차와 정관 작성이 궁금합니다", "legal", None),
    ("대학 연구실의 기술을 이전받아 사업화하고 싶습니다", "patent", None),
    (
        "시리즈A 투자 유치를 준비 중인데 정책금융기관에서 직접 투자도 받을 수 있는지 알고 싶어요",
        "finance",
        "kdb",
    ),
    (
        "근로계약서 없이 일한 아르바이트생이 주휴수당을 달라고 노동청에 진정을 넣었어요",
        "legal",
        None,
    ),
    ("해외 진출을 앞두고 미국과 유럽에 특허를 출원하려면 비용이 얼마나 드나요?", "patent", None),
    ("창업한 지 2년 된 식품 제조업체입니다. 원재료 구매 자금이 필요합니다", "finance", None),
    (
        "경쟁사에서 우리가 특허를 침해했다고 경고장을 보내왔습니다. 소송까지 갈까 걱정입니다",
        "legal",
        None,
    ),
    ("앱 서비스 출시 전에 이용약관과 개인정보처리방침을 만들어야 합니다", "legal", None),
    ("매출채권보험 가입이랑 보증 한도를 늘리는 상담을 받고 싶습니다", "finance", "kodit"),
    (
        "신제품 아이디어가 있는데 이미 비슷한 특허가 있는지 선행기술 조사를 하고 싶어요",
        "patent",
        None,
    ),
    ("공장 부지를 매입해서 신축하려고 합니다. 장기 저리 자금이 있을까요?", "finance", "kdb"),
    (
        "예비창업자인데 정부 정책자금에는 어떤 것이 있는지 전반적으로 알고 싶습니다",
        "finance",
        None,
    ),
    ("직무발명 보상 규정을 만들고 싶습니다", "patent", None),
    ("임대인이 계약 기간 중인데 사무실을 비워달라고 합니다", "legal", None),
    ("기술평가를 받아 보증을 받으면 금리가 낮아진다고 들었습니다", "finance", "kibo"),
    (
        "창업 초기라 법인 설립 절차를 알고 싶고, 나중에는 정책자금도 알아볼 예정입니다",
        "legal",
        None,
    ),
    ("특허청에서 의견제출통지서를 받았는데 어떻게 대응해야 하나요", "patent", None),
    # English
    ("We want to license our battery patent to a larger company", "patent", None),
    (
        "We need a loan of about 1 billion won to buy new production equipment for our factory",
        "finance",
        "kdb",
    ),
    (
        "My co-founder left the company and still holds 40% of the shares. What can we do?",
        "legal",
        None,
    ),
    (
        "We are a deep-tech startup with strong technology but little revenue. "
        "Can we get a technology guarantee?",
        "finance",
        "kibo",
    ),
    ("A customer has not paid our invoices for five months", "legal", None),
    (
        "We'd like to register our brand name and logo as a trademark in Korea and the US",
        "patent",
        None,
    ),
    ("Please review the distribution agreement a Japanese partner sent us", "legal", None),
    ("We need working capital to cover payroll until our next big order is paid", "finance", "ibk"),
    (
        "Is someone already holding a patent on a similar product? "
        "We want a prior art search before we spend on development",
        "patent",
        None,
    ),
    (
        "We need to dismiss an employee for repeated misconduct and want to do it properly",
        "legal",
        None,
    ),
    ("Looking for a credit guarantee so that the bank will lend to us", "finance", "kodit"),
    (
        "We plan to raise a Series B round and are interested in policy investment "
        "from a state bank",
        "finance",
        "kdb",
    ),
    ("How do we protect our product design from copycats?", "patent", None),
    (
        "We are setting up a joint venture with a foreign company and need help with the "
        "shareholders agreement",
        "legal",
        None,
    ),
    (
        "Our university spin-off wants to acquire the rights to the professor's invention",
        "patent",
        None,
    ),
    ("Can we get an overdraft facility or a short-term bank loan for our SME?", "finance", "ibk"),
    (
        "An investor sent us a term sheet with a liquidation preference and an anti-dilution "
        "clause. Is this normal?",
        "legal",
        None,
    ),
    ("I am a foreign founder and want to incorporate a company in Korea", "legal", None),
    ("We are thinking about filing a PCT application for our sensor technology", "patent", None),
    (
        "We need funding to scale our production line, maybe 5 billion won in total",
        "finance",
        "kdb",
    ),
    (
        "Another company is using a name very similar to ours and customers are confused",
        "patent",
        None,
    ),
    ("Our patent application got an office action rejecting two claims", "patent", None),
    (
        "Which policy finance programs are available for a three-year-old manufacturing SME?",
        "finance",
        None,
    ),
    (
        "We want to sue a former distributor who keeps selling counterfeit goods under our brand",
        "legal",
        None,
    ),
    (
        "We received a technology appraisal rating and want to know what guarantee amount we "
        "could get",
        "finance",
        "kibo",
    ),
    ("A competitor copied our patented feature. We want to take them to court.", "legal", None),
    # Mixed
    (
        "IP 전략을 세우고 싶습니다. 핵심 기술을 특허로 보호할지 영업비밀로 둘지 고민입니다",
        "patent",
        None,
    ),
    ("KIBO 보증을 받고 있는데 한도를 늘릴 수 있을까요?", "finance", "kibo"),
    ("SaaS 서비스 terms of service 검토 부탁드립니다", "legal", None),
    ("R&D 과제로 개발한 기술을 사업화하려는데 자금이 필요합니다", "finance", None),
    ("We got a 내용증명 from a former employee claiming unpaid overtime", "legal", None),
    ("Series A 투자계약서 검토가 필요합니다", "legal", None),
    ("IBK에서 운전자금 대출 상담 가능할까요?", "finance", "ibk"),
    ("We want to apply for 신용보증 to get a bank loan for working capital", "finance", "kodit"),
    ("Our startup needs help with 상표 registration before launching in Korea", "patent", None),
    ("NDA 없이 투자자에게 기술 자료를 보여줘도 될까요?", "legal", None),
    # A second batch, written after the rules were first tuned, to check they generalise.
    ("화장품 브랜드를 운영 중인데 해외 쇼핑몰에서 짝퉁이 팔리고 있습니다", "patent", None),
    ("직원 5명인데 취업규칙을 꼭 만들어야 하나요?", "legal", None),
    ("스마트팜 장비 생산을 위한 공장을 짓고 싶은데 자금이 부족합니다", "finance", "kdb"),
    ("프로그램 소스코드를 보호하는 방법이 궁금합니다", "patent", None),
    ("투자자가 우선주로 투자하겠다는데 조건이 괜찮은지 모르겠어요", "legal", None),
    ("외상 매출이 많아서 거래처 부도가 걱정됩니다", "finance", "kodit"),
    ("벤처기업 인증을 받고 싶습니다", "finance", None),
    ("발명한 제품을 대기업에 팔고 싶어요", "patent", None),
    ("프리랜서 개발자와 외주 계약 중 문제가 생겼습니다", "legal", None),
    ("수출 물량이 늘어서 원자재 구입 자금 대출이 필요합니다", "finance", "ibk"),
    ("온라인 쇼핑몰을 하는데 소비자가 환불을 거부당했다고 소비자원에 신고했습니다", "legal", None),
    ("퇴직한 직원이 경쟁사로 이직해서 같은 제품을 만들고 있습니다", "legal", None),
    ("우리 회사 캐릭터를 다른 업체가 무단으로 쓰고 있어요", "patent", None),
    ("반도체 장비 국산화를 위해 대규모 설비투자가 필요합니다", "finance", "kdb"),
    ("매출은 꾸준한데 담보가 없어서 은행 문턱이 높습니다", "finance", None),
    ("사무실 이전 비용과 인건비가 부족합니다", "finance", None),
    ("특허 받은 기술을 다른 회사에 팔고 싶습니다", "patent", None),
    ("동업자가 회사 돈을 개인적으로 썼습니다", "legal", None),
    ("해외 바이어와 수출 계약서를 영문으로 작성해야 합니다", "legal", None),
    ("새로 만든 음료 이름을 다른 사람이 못 쓰게 하고 싶어요", "patent", None),
    ("We are being sued by a former supplier", "legal", None),
    ("We want to know whether our new logo conflicts with existing marks", "patent", None),
    ("Our restaurant chain wants a loan to open three new branches", "finance", None),
    ("Can a foreigner be the CEO of a Korean corporation?", "legal", None),
    ("We developed a new algorithm; can software be patented in Korea?", "patent", None),
    ("We need a guarantee letter from a public institution to get a bank loan", "finance", None),
    ("Our employee claims she was harassed by her manager", "legal", None),
    ("We would like to sell our technology to a Chinese buyer", "patent", None),
    ("We need money to buy a CNC machine and expand the plant", "finance", "kdb"),
    ("Help with GDPR compliance for our EU customers", "legal", None),
    (
        "We are a biotech startup and want to know if a KIBO guarantee or a KODIT guarantee "
        "fits us better",
        "finance",
        None,
    ),
    ("Our cofounder wants to leave; how do we buy back his stake?", "legal", None),
    ("We need about 300 million won for raw materials for the next quarter", "finance", "ibk"),
    ("A big company asked us to sign an MOU and share our technical data", "legal", None),
    ("Can we register the shape of our bottle?", "patent", None),
    ("We have a Chinese distributor who stopped paying and disappeared", "legal", None),
    ("Our app name is already taken by someone else's registration", "patent", None),
    (
        "We want to build a second plant in Changwon and need long-term financing",
        "finance",
        "kdb",
    ),
    ("Is our invention novel enough to get a patent?", "patent", None),
    ("What documents do we need for the policy loan from KODIT?", "finance", "kodit"),
]


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
    assert result[0].reasons == [
        "선택한 항목 ‘계약서 검토’ → 법률존 / Selected need ‘Contract review’ → Legal zone"
    ]
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
        "‘특허 출원’ 표현이 특허존에 해당합니다 / ‘특허 출원’ matched the patent zone"
    ]
    for score in route("We need a patent and a contract review", [], RULES, ZONES):
        ko, en = ZONES[score.zone]
        assert all(ko in r and en.lower() in r.lower() for r in score.reasons)


def test_reasons_put_ticked_needs_first_and_the_institution_last():
    result = route(
        "기술보증 받을 수 있나요?", [_need("policy_fund_consult")], RULES, ZONES, INSTITUTIONS
    )
    (finance,) = result
    assert finance.reasons[0].startswith("선택한 항목 ‘정책자금 상담’")
    assert any("‘기술보증’" in r for r in finance.reasons)
    assert finance.reasons[-1] == "기술보증기금(KIBO)이 적합합니다 / KIBO fits"


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
    assert top.reasons[-1].startswith(f"{ko}({en})")


def test_institution_ties_follow_the_rules_order():
    rules = [Rule("finance", "kodit", "guarantee", 2.0), Rule("finance", "kibo", "tech", 2.0)]
    assert route("tech guarantee", [], rules, ZONE_NAMES)[0].institution == "kodit"
    assert route("tech guarantee", [], rules[::-1], ZONE_NAMES)[0].institution == "kibo"


def test_zone_without_institution_evidence_has_none():
    result = route("대출 상담", [], [Rule("finance", None, "대출", 2.0)], ZONE_NAMES)
    assert result[0].institution is None
    assert len(result[0].reasons) == 1


def test_institution_reason_uses_the_right_particle_and_unknown_names():
    rules = [Rule("finance", "x", "loan", 1.0)]
    names = {"x": ("하나은행", "Hana")}
    assert route("loan", [], rules, ZONE_NAMES, names)[0].reasons[-1] == (
        "하나은행(Hana)이 적합합니다 / Hana fits"
    )
    names = {"x": ("우리카드", "Woori")}
    assert (
        route("loan", [], rules, ZONE_NAMES, names)[0].reasons[-1].startswith("우리카드(Woori)가")
    )
    assert route("loan", [], rules, ZONE_NAMES)[0].reasons[-1] == "x이(가) 적합합니다 / x fits"


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
