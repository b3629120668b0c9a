"""The pre-screen form: one set of rules for the page's posts and the API's JSON bodies."""

from datetime import date

from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Email, Length, NumberRange, Optional, ValidationError

from app.forms import Form, IsoDateField, Required, WholeNumberField
from app.intake.industries import INDUSTRIES, industry_code
from app.intake.rules import (
    business_number_digits,
    is_valid_business_number,
    normalise_phone,
)
from app.types import local_today

REGIONS = ("서울특별시", "부산광역시", "대구광역시", "인천광역시", "광주광역시", "대전광역시",
           "울산광역시", "세종특별자치시", "경기도", "강원특별자치도", "충청북도", "충청남도",
           "전북특별자치도", "전라남도", "경상북도", "경상남도", "제주특별자치도", "해외 / Abroad")
DESCRIPTION_MAX = 4000

REQUIRED = "필수 항목입니다. / This field is required."


def required() -> Required:
    return Required(message=REQUIRED)


class NeedsField(SelectMultipleField):
    """Need codes; an unknown code is named in the error."""

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices or ()}
        unknown = [value for value in self.data or () if value not in known]
        if unknown:
            raise ValidationError(
                f"알 수 없는 항목입니다: {', '.join(unknown)} / Unknown need codes: "
                f"{', '.join(unknown)}"
            )


class IndustrySelectField(SelectField):
    """An industry from the list, given by its code or a label; its data is the code (None
    when not given)."""

    unknown = False

    def __init__(self, label=None, validators=None, **kwargs):
        choices = [SelectChoice("", "선택 / Choose")] + [
            SelectChoice(industry.code, industry.combined) for industry in INDUSTRIES]
        super().__init__(label, validators, choices=choices, **kwargs)

    def process_formdata(self, valuelist):
        given = valuelist[0] if valuelist else ""
        self.data = industry_code(given) if given.strip() else None
        self.unknown = self.data is None and bool(given.strip())

    def pre_validate(self, form):
        if self.unknown:
            raise ValidationError(
                "목록에 없는 업종입니다. 목록에서 골라 주세요. "
                "/ Not an industry of the list; choose one from it."
            )


class IntakeForm(Form):
    """Company basics, contact, founding date, needs, description and consent."""

    company_name = StringField("기업명 / Company name", [required(), Length(max=200)])
    not_founded = BooleanField("아직 창업 전입니다 (예비창업자) / Not founded yet")
    business_number = StringField(
        "사업자등록번호 / Business registration number", [Optional(), Length(max=20)]
    )
    founded_on = IsoDateField("창업일 (개업일) / Founding date", [Optional()])
    representative_name = StringField("대표자명 / Representative", [Optional(), Length(max=100)])
    contact_name = StringField("담당자명 / Contact person", [required(), Length(max=100)])
    email = EmailField(
        "이메일 / E-mail",
        [required(), Length(max=254),
         Email(message="올바른 이메일 주소가 아닙니다. / Not a valid e-mail address.",
               check_deliverability=False)],
    )
    phone = TelField("연락처 / Phone", [required(), Length(max=30)])
    industry = IndustrySelectField("업종 / Industry")
    employees = WholeNumberField(
        "상시 근로자 수 / Employees",
        [Optional(), NumberRange(min=0, max=1_000_000,
                                 message="0 이상의 정수로 입력해 주세요. / Enter 0 or more.")],
    )
    region = SelectField(
        "소재지 / Region", [Optional(), Length(max=100)],
        choices=[SelectChoice("", "선택 / Choose")] + [SelectChoice(r) for r in REGIONS],
        validate_choice=False,
    )
    needs = NeedsField("상담이 필요한 분야 / What you need help with", choices=[])
    description = TextAreaField(
        "상담 내용 / Describe your situation",
        [Optional(), Length(max=DESCRIPTION_MAX, message=(
            f"{DESCRIPTION_MAX:,}자 이내로 입력해 주세요. / {DESCRIPTION_MAX:,} characters at most."
        ))],
    )
    consent_personal_info = BooleanField(
        "개인정보 수집·이용에 동의합니다 (필수) / I agree to the collection and use of my "
        "personal information (required)"
    )
    consent_marketing = BooleanField(
        "센터 사업 안내 수신에 동의합니다 (선택) / Send me news of the centre's programmes "
        "(optional)"
    )

    def __init__(self, *args, need_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.needs.choices = [SelectChoice(value, label) for value, label in need_choices]

    def validate_business_number(self, field):
        if not field.data:
            return
        digits = business_number_digits(field.data)
        if digits is None:
            raise ValidationError(
                "사업자등록번호는 숫자 10자리입니다 (예: 123-45-67890). "
                "/ A business number has 10 digits (e.g. 123-45-67890)."
            )
        if not is_valid_business_number(digits):
            raise ValidationError(
                "사업자등록번호의 검증번호가 맞지 않습니다. 번호를 다시 확인해 주세요. "
                "/ The check digit does not match; please check the number."
            )

    def validate_founded_on(self, field):
        if field.data is None:
            return
        if field.data > local_today():
            raise ValidationError(
                "창업일은 미래일 수 없습니다. / The founding date is in the future."
            )
        if field.data < date(1900, 1, 1):
            raise ValidationError("1900년 이후 날짜를 입력해 주세요. / Enter a date after 1900.")

    def validate_phone(self, field):
        if field.data and normalise_phone(field.data) is None:
            raise ValidationError(
                "국내 전화번호 형식이 아닙니다 (예: 010-1234-5678, 02-123-4567). "
                "/ Not a Korean phone number (e.g. 010-1234-5678)."
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        founded = self.founded_on.data is not None or bool(self.founded_on.errors)
        if self.not_founded.data and founded:
            self.founded_on.errors.append(
                "창업 전이면 창업일을 비워 두세요. / Leave the date empty if not founded yet."
            )
            valid = False
        if not self.not_founded.data and not founded:
            self.founded_on.errors.append(
                "창업일을 입력하거나 '아직 창업 전'을 선택해 주세요. "
                "/ Enter the founding date or tick 'not founded yet'."
            )
            valid = False
        if founded and not self.business_number.data and not self.business_number.errors:
            self.business_number.errors.append(
                "창업한 기업은 사업자등록번호가 필요합니다. "
                "/ A founded firm needs its business registration number."
            )
            valid = False
        if not self.needs.data and not (self.description.data or "").strip():
            self.needs.errors.append(
                "필요한 분야를 하나 이상 고르거나 상담 내용을 적어 주세요. "
                "/ Choose at least one need or describe your situation."
            )
            valid = False
        if not self.consent_personal_info.data:
            self.consent_personal_info.errors.append(
                "개인정보 수집·이용에 동의해야 상담을 신청할 수 있습니다. "
                "/ Consent to the use of personal information is required to apply."
            )
            valid = False
        return valid

    def values(self) -> dict:
        """The cleaned values the intake service takes."""
        return {
            "company_name": self.company_name.data.strip(),
            "business_number": business_number_digits(self.business_number.data or ""),
            "representative_name": (self.representative_name.data or "").strip() or None,
            "contact_name": self.contact_name.data.strip(),
            "email": self.email.data.strip(),
            "phone": normalise_phone(self.phone.data),
            "founded_on": None if self.not_founded.data else self.founded_on.data,
            "industry": self.industry.data,
            "employees": self.employees.data,
            "region": self.region.data or None,
            "need_codes": list(dict.fromkeys(self.needs.data or [])),
            "description": (self.description.data or "").strip(),
            "consent_marketing": bool(self.consent_marketing.data),
        }


# JSON field -> the JSON types it accepts; anything else is named as a type error.
_JSON_TYPES = {
    "company_name": (str,), "business_number": (str,), "representative_name": (str,),
    "contact_name": (str,), "email": (str,), "phone": (str,), "founded_on": (str,),
    "industry": (str,), "employees": (int,), "region": (str,), "needs": (list,),
    "description": (str,), "consent_personal_info": (bool,), "consent_marketing": (bool,),
}
_TYPE_NAMES = {str: ("문자열", "a string"), int: ("정수", "an integer"), list: ("목록", "a list"),
               bool: ("true 또는 false", "true or false")}


def intake_formdata(payload: dict) -> tuple[MultiDict, dict[str, list[str]]]:
    """The API body as the form data a page would post, plus errors of wrong JSON types."""
    data: MultiDict = MultiDict()
    errors: dict[str, list[str]] = {}
    for name, types in _JSON_TYPES.items():
        value = payload.get(name)
        if value is None:
            continue
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            korean, english = _TYPE_NAMES[types[0]]
            errors[name] = [f"{korean} 값이어야 합니다. / Must be {english}."]
            continue
        if name == "needs":
            if not all(isinstance(code, str) for code in value):
                errors[name] = ["항목 코드는 문자열입니다. / Need codes are strings."]
                continue
            for code in value:
                data.add(name, code)
        elif isinstance(value, bool):
            if value:
                data.add(name, "y")
        else:
            data.add(name, str(value))
    if payload.get("founded_on") is None:
        data.add("not_founded", "y")
    return data, errors
