"""The labelled pre-screen descriptions routing is measured on: (text, top zone, institution).

Written as an SME owner would write them, in Korean, English and both; see test_routing.py.
"""

# What firms actually write in the pre-screen, labelled with the zone a centre coordinator
# would send them to first and, for finance, the institution when the text makes it clear.
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
