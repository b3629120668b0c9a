"""The pre-screen form: one set of rules for the page's posts and the API's JSON bodies."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from app.main.i18n import localized
from app.types import local_today

# The regions a firm may name: the value stored (the statistics split by it) and its name.
REGION_NAMES = {
    "서울특별시": _l("Seoul"), "부산광역시": _l("Busan"), "대구광역시": _l("Daegu"),
    "인천광역시": _l("Incheon"), "광주광역시": _l("Gwangju"), "대전광역시": _l("Daejeon"),
    "울산광역시": _l("Ulsan"), "세종특별자치시": _l("Sejong"), "경기도": _l("Gyeonggi-do"),
    "강원특별자치도": _l("Gangwon"), "충청북도": _l("Chungcheongbuk-do"),
    "충청남도": _l("Chungcheongnam-do"), "전북특별자치도": _l("Jeonbuk"),
    "전라남도": _l("Jeollanam-do"), "경상북도": _l("Gyeongsangbuk-do"),
    "경상남도": _l("Gyeongsangnam-do"), "제주특별자치도": _l("Jeju"),
    "해외 / Abroad": _l("Abroad"),  # stored so since before the pages spoke one language
}
REGIONS = tuple(REGION_NAMES)
DESCRIPTION_MAX = 4000
CHOOSE = _l("Choose")


class NeedsField(SelectMultipleField):
    """Need codes; an unknown code is named in the error."""

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices or ()}
        unknown = [value for value in self.data or () if value not in known]
        if unknown:
            raise ValidationError(_("Unknown need codes: %(codes)s", codes=", ".join(unknown)))


class IndustrySelectField(SelectField):
    """An industry from the list, given by its code or a label; its data is the code (None
    when not given)."""

    unknown = False

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=self._choices, **kwargs)

    @staticmethod
    def _choices() -> list[SelectChoice]:
        """The list in the page's language (a callable, so each form asks it anew)."""
        return [SelectChoice("", CHOOSE)] + [
            SelectChoice(industry.code, localized(industry.label, industry.label_en))
            for industry in INDUSTRIES]

    def process_formdata(self, valuelist):
        given = valuelist[0] if valuelist else ""
        self.data = industry_code(given) if given.strip() else None
        self.unknown = self.data is None and bool(given.strip())

    def pre_validate(self, form):
        if self.unknown:
            raise ValidationError(_("Not an industry of the list; choose one from it."))


class IntakeForm(Form):
    """Company basics, contact, founding date, needs, description and consent."""

    company_name = StringField(_l("Company name"), [Required(), Length(max=200)])
    not_founded = BooleanField(_l("Not founded yet (pre-founder)"))
    business_number = StringField(
        _l("Business registration number"), [Optional(), Length(max=20)]
    )
    founded_on = IsoDateField(_l("Founding date (business start)"), [Optional()])
    representative_name = StringField(_l("Representative"), [Optional(), Length(max=100)])
    contact_name = StringField(_l("Contact person"), [Required(), Length(max=100)])
    email = EmailField(
        _l("E-mail"),
        [Required(), Length(max=254),
         Email(message=_l("Not an e-mail address."), check_deliverability=False)],
    )
    phone = TelField(_l("Phone"), [Required(), Length(max=30)])
    industry = IndustrySelectField(_l("Industry"))
    employees = WholeNumberField(
        _l("Employees"),
        [Optional(), NumberRange(min=0, max=1_000_000, message=_l("Enter 0 or more."))],
    )
    region = SelectField(
        _l("Region"), [Optional(), Length(max=100)],
        choices=[SelectChoice("", CHOOSE)]
        + [SelectChoice(value, name) for value, name in REGION_NAMES.items()],
        validate_choice=False,
    )
    needs = NeedsField(_l("What you need help with"), choices=[])
    description = TextAreaField(
        _l("Describe your situation"),
        [Optional(), Length(max=DESCRIPTION_MAX, message=_l(
            "%(count)s characters at most.", count=f"{DESCRIPTION_MAX:,}"))],
    )
    consent_personal_info = BooleanField(
        _l("I agree to the collection and use of my personal information (required)")
    )
    consent_marketing = BooleanField(
        _l("Send me news of the centre's programmes (optional)")
    )

    def __init__(self, *args, need_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.needs.choices = [SelectChoice(value, label) for value, label in need_choices]

    def validate_business_number(self, field):
        if not field.data:
            return
        digits = business_number_digits(field.data)
        if digits is None:
            raise ValidationError(_("A business number has 10 digits (e.g. 123-45-67890)."))
        if not is_valid_business_number(digits):
            raise ValidationError(_("The check digit does not match; please check the number."))

    def validate_founded_on(self, field):
        if field.data is None:
            return
        if field.data > local_today():
            raise ValidationError(_("The founding date is in the future."))
        if field.data < date(1900, 1, 1):
            raise ValidationError(_("Enter a date after 1900."))

    def validate_phone(self, field):
        if field.data and normalise_phone(field.data) is None:
            raise ValidationError(
                _("Not a Korean phone number (e.g. 010-1234-5678, 02-123-4567)."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        founded = self.founded_on.data is not None or bool(self.founded_on.errors)
        if self.not_founded.data and founded:
            self.founded_on.errors.append(_("Leave the date empty if not founded yet."))
            valid = False
        if not self.not_founded.data and not founded:
            self.founded_on.errors.append(
                _("Enter the founding date or tick ‘not founded yet’."))
            valid = False
        if founded and not self.business_number.data and not self.business_number.errors:
            self.business_number.errors.append(
                _("A founded firm needs its business registration number."))
            valid = False
        if not self.needs.data and not (self.description.data or "").strip():
            self.needs.errors.append(_("Choose at least one need or describe your situation."))
            valid = False
        if not self.consent_personal_info.data:
            self.consent_personal_info.errors.append(
                _("Consent to the use of personal information is required to apply."))
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
_TYPE_ERRORS = {str: _l("Must be a string."), int: _l("Must be an integer."),
                list: _l("Must be a list."), bool: _l("Must be true or false.")}


def intake_formdata(payload: dict) -> tuple[MultiDict, dict[str, list[str]]]:
    """The API body as the form data a page would post, plus errors of wrong JSON types."""
    data: MultiDict = MultiDict()
    errors: dict[str, list[str]] = {}
    for name, types in _JSON_TYPES.items():
        value = payload.get(name)
        if value is None:
            continue
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            errors[name] = [str(_TYPE_ERRORS[types[0]])]
            continue
        if name == "needs":
            if not all(isinstance(code, str) for code in value):
                errors[name] = [_("Need codes are strings.")]
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
