"""The demo centre's zones, institutions, needs and routing rules, as data for the seed command."""

from app.intake.routing import NeedRule, Rule

ZONES: dict[str, tuple[str, str]] = {
    "legal": ("법률존", "Legal zone"),
    "finance": ("금융존", "Finance zone"),
    "patent": ("특허존", "Patent zone"),
}

INSTITUTIONS: dict[str, tuple[str, str]] = {
    "kodit": ("신용보증기금", "KODIT"),
    "kibo": ("기술보증기금", "KIBO"),
    "kdb": ("한국산업은행", "KDB"),
    "ibk": ("IBK기업은행", "IBK"),
}

_W = 3.0

NEEDS: list[NeedRule] = [
    # 법률존
    NeedRule("contract_review", "legal", None, "계약서 검토", "Contract review", _W),
    NeedRule("dispute_litigation", "legal", None, "분쟁·소송 대응", "Disputes and litigation", _W),
    NeedRule("labour_hr", "legal", None, "노무·인사 법률", "Labour and HR law", _W),
    NeedRule("incorporation", "legal", None, "법인 설립·전환", "Incorporation and conversion", _W),
    NeedRule(
        "investment_contract", "legal", None, "투자계약 검토", "Investment contract review", _W
    ),
    NeedRule("shareholder_equity", "legal", None, "지분·주주 관계", "Equity and shareholders", _W),
    NeedRule("debt_collection", "legal", None, "미수금·채권 회수", "Debt collection", _W),
    NeedRule(
        "terms_privacy", "legal", None, "이용약관·개인정보", "Terms of service and privacy", _W
    ),
    # 금융존
    NeedRule("tech_guarantee", "finance", "kibo", "기술보증", "Technology guarantee", _W),
    NeedRule(
        "tech_appraisal", "finance", "kibo", "기술평가 보증", "Technology appraisal guarantee", _W
    ),
    NeedRule("credit_guarantee", "finance", "kodit", "신용보증", "Credit guarantee", _W),
    NeedRule(
        "receivables_insurance",
        "finance",
        "kodit",
        "매출채권보험",
        "Trade receivables insurance",
        _W,
    ),
    NeedRule("facility_loan", "finance", "kdb", "시설자금 대출", "Facility loan", _W),
    NeedRule("policy_investment", "finance", "kdb", "정책 투자 유치", "Policy investment", _W),
    NeedRule("working_capital_loan", "finance", "ibk", "운전자금 대출", "Working-capital loan", _W),
    NeedRule(
        "policy_fund_consult", "finance", None, "정책자금 상담", "Policy-fund consultation", _W
    ),
    NeedRule("startup_funding", "finance", None, "창업자금 안내", "Start-up funding guidance", _W),
    # 특허존
    NeedRule("patent_application", "patent", None, "특허 출원", "Patent application", _W),
    NeedRule("trademark", "patent", None, "상표 등록", "Trademark registration", _W),
    NeedRule("design_registration", "patent", None, "디자인 등록", "Design registration", _W),
    NeedRule("prior_art_search", "patent", None, "선행기술조사", "Prior-art search", _W),
    NeedRule("overseas_filing", "patent", None, "해외 출원(PCT·마드리드)", "Overseas filing", _W),
    NeedRule("tech_transfer", "patent", None, "기술이전·라이선싱", "Technology transfer", _W),
    NeedRule(
        "ip_strategy", "patent", None, "IP 전략·분쟁 예방", "IP strategy, dispute prevention", _W
    ),
    NeedRule("office_action", "patent", None, "의견제출통지 대응", "Office action response", _W),
    NeedRule("employee_invention", "patent", None, "직무발명", "Employee inventions", _W),
]


def _rules(zone: str, institution: str | None, weighted: dict[float, str]) -> list[Rule]:
    """Expand {weight: "phrase | phrase | ..."} into rules, in the order they are written."""
    return [
        Rule(zone, institution, phrase.strip(), weight)
        for weight, phrases in weighted.items()
        for phrase in phrases.split("|")
        if phrase.strip()
    ]


# Weights: 4 names the institution outright, 3 is a phrase that alone decides the zone (a
# product or a procedure only that zone handles), 2 is strong context, 1-1.5 is a hint.
RULES: list[Rule] = [
    *_rules(
        "legal",
        None,
        {
            # Going to court is the lawyer's work even when the quarrel is about a patent.
            4.0: "소송 | 고소장 | 형사 고소 | lawsuit | litigation | court | sue | sued | suing",
            3.0: "변호사 | 내용증명 | 손해배상 | 가압류 | 지급명령 | 경고장 | 부당해고 | 임금 체불"
            " | 노동청 | 근로계약 | 취업규칙 | 법인 설립 | 법인 전환 | 정관 작성 | 정관 변경"
            " | 상법 | 주주간 계약 | 투자계약 | 이용약관 | 개인정보 처리방침 | 개인정보보호 | 공증"
            " | lawyer | legal advice | cease and desist | term sheet | terms of service"
            " | terms and conditions | privacy policy | incorporate | incorporation"
            " | articles of association | wrongful dismissal | employment contract"
            " | data protection",
            2.0: "계약서 | 분쟁 | 법률 | 법적 | 해고 | 체불 | 퇴직금 | 주휴수당 | 미수금 | 미지급"
            " | 물품대금 | 공사대금 | 용역대금 | 채무 | 연체 | 임대차 | 보증금 | 임대인"
            " | 비밀유지 | nda | 경업금지 | 중재 | 합의서 | 합의금 | 양해각서 | mou | 괴롭힘"
            " | 하도급 | 외주 | 용역 | 가맹 | 공정거래 | 스톡옵션 | 우선주"
            " | 투자 조건 | 이사회 | 주식 양도"
            " | contract | agreement | dispute | legal | dismiss | fired | misconduct"
            " | overtime | severance | harassment | unpaid | not paid | invoice | landlord"
            " | tenancy | shareholder | liquidation preference | anti-dilution | joint venture"
            " | breach | arbitration | settlement | non-compete | stock option"
            " | preferred shares | gdpr | fraud | subcontract | franchise | stopped paying"
            " | non-payment",
            1.5: "계약 | 지분 | 공동창업자 | 동업자 | 퇴사 | 직원 | 노무 | 주주 | 조항 | 위약금"
            " | co-founder | shares | equity | employee | clause | labour | labor law"
            " | compliance | corporation | visa | stake",
            1.0: "검토 | review",
        },
    ),
    *_rules(
        "finance",
        None,
        {
            2.0: "자금 | 대출 | 융자 | 금리 | 정책금융"
            " | loan | funding | policy finance | policy fund | financing | interest rate",
            1.5: "사업화 | 한도 | 투자 | 담보 | 보조금 | 지원금"
            " | capital | finance | lend | investment | collateral | money",
            # These contain "자금", which already counts 2; they add only what they say more.
            1.0: "정책자금 | 창업자금",
        },
    ),
    *_rules(
        "finance",
        "kibo",
        {
            4.0: "기술보증기금 | kibo",
            3.0: "기술보증 | 기술평가 | technology guarantee | technology appraisal"
            " | tech guarantee",
            1.5: "기술력 | 벤처기업 | 벤처 인증 | r&d | deep tech | venture certification",
        },
    ),
    *_rules(
        "finance",
        "kodit",
        {
            4.0: "신용보증기금 | kodit",
            3.0: "신용보증 | 보증서 | 매출채권 | credit guarantee | receivables insurance",
            # A guarantee that names no technology is KODIT's general credit guarantee.
            2.0: "보증 | guarantee | 신용등급 | 부도 | credit rating",
            1.5: "외상",
        },
    ),
    *_rules(
        "finance",
        "kdb",
        {
            4.0: "한국산업은행 | 산업은행 | kdb",
            3.0: "시설자금 | facility loan | policy investment",
            2.0: "설비 | 공장 | 증설 | 부지 매입 | 신축 | 장기 저리 | 투자 유치 | 직접 투자"
            " | 시리즈"
            " | equipment | factory | production line | series b | series c | state bank"
            " | billion",
            1.5: "기계 | machine | venture capital",
        },
    ),
    *_rules(
        "finance",
        "ibk",
        {
            4.0: "기업은행 | ibk",
            3.0: "운전자금 대출 | overdraft | short-term loan | short-term bank loan",
            2.0: "운전자금 | 은행 대출 | 급여 | 마이너스 통장 | working capital | bank loan"
            " | payroll | line of credit",
            1.5: "현금 흐름 | 인건비 | 원자재 | cash flow | raw material",
        },
    ),
    *_rules(
        "patent",
        None,
        {
            3.0: "특허 | 상표 | 출원 | 실용신안 | 발명 | 선행기술 | 기술 이전 | 직무발명 | 변리사"
            " | 의견제출통지 | 디자인 등록 | 디자인권 | 특허청 | 지식재산 | 마드리드"
            " | patent | trademark | prior art | pct | office action | invention | invented"
            " | technology transfer | intellectual property | utility model"
            " | freedom to operate",
            2.0: "라이선스 | 실시권 | ip | 영업비밀 | 기술 보호 | 브랜드 | 모방 | 베껴"
            " | 저작권 | license | licensing | brand | copycat | copied | trade secret"
            " | copyright",
            1.5: "디자인 | 로고 | 캐릭터 | 침해 | 짝퉁 | 위조 | 도용 | 소스코드"
            " | design | logo | infringe | counterfeit | source code | registration",
        },
    ),
]
