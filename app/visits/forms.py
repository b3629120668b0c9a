"""Forms of the adviser's workspace: outcome, availability, walk-in."""

from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from app.forms import Form, IsoDateField, Required, WholeNumberField
from app.intake.rules import business_number_digits, is_valid_business_number, normalise_phone
from app.states import ExceptionKind

REQUIRED = "필수 항목입니다. / This field is required."
NOT_NEGATIVE = "0 이상의 정수입니다. / A whole number, 0 or more."
WEEKDAYS = [SelectChoice(str(n), label) for n, label in enumerate(
    ("월 Mon", "화 Tue", "수 Wed", "목 Thu", "금 Fri", "토 Sat", "일 Sun"))]


class OutcomeForm(Form):
    """What came of a consultation, with the figures the centre reports."""

    summary = TextAreaField("상담 요약 / Summary", [Required(REQUIRED), Length(max=10000)])
    follow_up = TextAreaField("후속 조치 / Follow-up", [Optional(), Length(max=10000)])
    finance_amount_krw = WholeNumberField("정책금융 집행액 (원) / Policy finance executed (KRW)",
                                      [Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
                                      default=0)
    patent_transfers = WholeNumberField("특허 이전 건수 / Patents transferred",
                                    [Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
                                    default=0)
    ip_applications = WholeNumberField("IP 출원 지원 건수 / IP applications helped",
                                   [Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
                                   default=0)

    def values(self) -> dict:
        return {"summary": self.summary.data, "follow_up": self.follow_up.data or "",
                "finance_amount_krw": self.finance_amount_krw.data or 0,
                "patent_transfers": self.patent_transfers.data or 0,
                "ip_applications": self.ip_applications.data or 0}


class RuleForm(Form):
    """A weekly duty rule."""

    weekday = SelectField("요일 / Weekday", choices=WEEKDAYS)
    start_time = TimeField("시작 / From", [Required(REQUIRED)])
    end_time = TimeField("끝 / Until", [Required(REQUIRED)])
    valid_from = IsoDateField("적용 시작일 / Valid from", [Required(REQUIRED)])
    valid_until = IsoDateField("적용 종료일 / Valid until", [Optional()])
    every_n_weeks = WholeNumberField("몇 주마다 / Every n weeks", [Required(REQUIRED),
                                 NumberRange(min=1, max=8)], default=1)
    week_offset = WholeNumberField("주 순서 (0부터) / Week offset",
                                   [Optional(), NumberRange(min=0)], default=0)


class ExceptionForm(Form):
    """A day or hours off, or extra hours."""

    day = IsoDateField("날짜 / Day", [Required(REQUIRED)])
    kind = RadioField("종류 / Kind", default=ExceptionKind.OFF, choices=[
        SelectChoice(ExceptionKind.OFF, "휴무 Time off"),
        SelectChoice(ExceptionKind.EXTRA, "추가 근무 Extra hours")])
    start_time = TimeField("시작 (비우면 하루 종일) / From (empty: all day)", [Optional()])
    end_time = TimeField("끝 / Until", [Optional()])
    note = StringField("메모 / Note", [Optional(), Length(max=200)])


class WalkInForm(Form):
    """A short pre-screen filled by staff for a visitor without a booking."""

    company_name = StringField("기업명 / Company name", [Required(REQUIRED), Length(max=200)])
    business_number = StringField("사업자등록번호 (있으면) / Business number (if any)",
                                  [Optional(), Length(max=20)])
    founded_on = IsoDateField("창업일 (사업자가 있으면) / Founding date (if founded)", [Optional()])
    contact_name = StringField("방문자 이름 / Visitor", [Required(REQUIRED), Length(max=100)])
    phone = TelField("연락처 / Phone", [Required(REQUIRED), Length(max=30)])
    email = StringField("이메일 (선택) / E-mail (optional)", [Optional(), Length(max=254)])
    description = TextAreaField("상담 내용 / What they need", [Optional(), Length(max=4000)])
    slot = RadioField("오늘 빈 시간 / Free slot today", [Required(REQUIRED)], choices=[])
    consent = BooleanField("방문자가 개인정보 수집·이용에 동의했습니다 "
                           "/ The visitor consented to the personal information notice")

    def validate_business_number(self, field):
        digits = business_number_digits(field.data or "")
        if field.data and (digits is None or not is_valid_business_number(digits)):
            raise ValidationError("사업자등록번호가 올바르지 않습니다. "
                                  "/ Not a valid business number.")
        if field.data and self.founded_on.data is None:
            raise ValidationError("창업일도 적어 주세요. / Give the founding date too.")

    def validate_phone(self, field):
        if normalise_phone(field.data or "") is None:
            raise ValidationError("국내 전화번호 형식이 아닙니다. / Not a Korean phone number.")

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError("동의 없이는 등록할 수 없습니다. / Consent is required.")

    def values(self) -> dict:
        digits = business_number_digits(self.business_number.data or "")
        return {"company_name": self.company_name.data.strip(), "business_number": digits,
                "representative_name": None, "contact_name": self.contact_name.data.strip(),
                "email": (self.email.data or "").strip() or None,
                "phone": normalise_phone(self.phone.data),
                "founded_on": self.founded_on.data if digits else None,
                "industry": None, "employees": None, "region": None, "need_codes": [],
                "description": (self.description.data or "").strip(),
                "consent_marketing": False}
