"""The industries a pre-screen names: codes with Korean and English labels, and the reading
of what a firm or an older client sends (a code, either label, the old combined label)."""

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Industry:
    """One industry: its stored code and its labels."""

    code: str
    label: str
    label_en: str

    @property
    def combined(self) -> str:
        """The label the page showed (and stored) before codes: 제조업 / Manufacturing."""
        return f"{self.label} / {self.label_en}"


INDUSTRIES = (
    Industry("manufacturing", "제조업", "Manufacturing"),
    Industry("ict", "정보통신·소프트웨어", "ICT & software"),
    Industry("bio_health", "바이오·헬스케어", "Bio & health"),
    Industry("energy_environment", "에너지·환경", "Energy & environment"),
    Industry("wholesale_retail", "도소매·유통", "Wholesale & retail"),
    Industry("construction", "건설", "Construction"),
    Industry("agriculture_food", "농림수산·식품", "Agriculture & food"),
    Industry("culture_content", "문화·콘텐츠", "Culture & content"),
    Industry("professional_services", "전문·과학기술 서비스",
             "Professional & scientific services"),
    Industry("tourism_services", "관광·서비스", "Tourism & services"),
    Industry("other", "기타", "Other"),
)
INDUSTRY_CODES = tuple(industry.code for industry in INDUSTRIES)
BY_CODE = {industry.code: industry for industry in INDUSTRIES}

# Dots Koreans type between words ("정보통신ㆍ소프트웨어"), read as the list's middle dot.
_DOTS = str.maketrans({"\u318d": "·", "\u30fb": "·", "\u2027": "·", "\u2219": "·"})
_SLASH = re.compile(r"\s*/\s*")


def _key(value: str) -> str:
    """What two spellings of one name share: compatibility forms folded, one dot, single
    spaces, no case."""
    folded = unicodedata.normalize("NFKC", value.translate(_DOTS))
    return _SLASH.sub(" / ", " ".join(folded.split())).casefold()


_BY_NAME = {_key(name): industry.code for industry in INDUSTRIES
            for name in (industry.code, industry.label, industry.label_en, industry.combined)}


def industry_code(value: str) -> str | None:
    """The code of an industry given by its code or a label, in any case and spacing;
    None when it names none of the list."""
    return _BY_NAME.get(_key(value))


def industry_label(code: str | None) -> str | None:
    """A code's labels as the statistics show them (제조업 Manufacturing); other values as
    they are."""
    industry = BY_CODE.get(code) if code else None
    return f"{industry.label} {industry.label_en}" if industry else code
