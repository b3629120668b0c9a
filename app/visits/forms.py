"""Forms of the adviser's workspace: outcome, availability, walk-in."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
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
from app.inputs import InputError, parse_amount_krw
from app.intake.rules import business_number_digits, is_valid_business_number, normalise_phone
from app.main.filters import weekday_name
from app.states import ExceptionKind
from app.visits.services import OUTCOME_FIGURES

NOT_NEGATIVE = _l("A whole number, 0 or more.")


def _weekdays() -> list[SelectChoice]:
    """Monday (0) to Sunday (6), named in the page's language (a callable: asked anew)."""
    return [SelectChoice(str(n), weekday_name(n)) for n in range(7)]


class AmountField(StringField):
    """An amount of won typed as people write it ('1,200,000,000', '12억 5,000만'), parsed by
    app/inputs.parse_amount_krw; shown back with its thousands grouped."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_amount_krw(valuelist[0], self.name)
            except InputError as error:
                raise ValueError(error.message) from error

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format(self.data, ",") if isinstance(self.data, int) else ""


class OutcomeForm(Form):
    """What came of a consultation, with the figures the centre reports; `for_zone` keeps
    only the figures of the appointment's zone (app/visits/services.zone_figures)."""

    summary = TextAreaField(_l("Summary"), [Required(), Length(max=10000)])
    follow_up = TextAreaField(_l("Follow-up"), [Optional(), Length(max=10000)])
    finance_amount_krw = AmountField(_l("Policy finance executed (KRW)"), [Optional()],
                                     default=0)
    patent_transfers = WholeNumberField(_l("Patents transferred"),
                                    [Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
                                    default=0)
    ip_applications = WholeNumberField(_l("IP applications helped"),
                                   [Optional(), NumberRange(min=0, message=NOT_NEGATIVE)],
                                   default=0)

    def for_zone(self, figures: tuple[str, ...]) -> "OutcomeForm":
        """Drop the figures that do not belong to the zone (they are not asked, nor changed)."""
        for name in OUTCOME_FIGURES:
            if name not in figures:
                del self[name]
        return self

    def figure_fields(self) -> list:
        return [self[name] for name in OUTCOME_FIGURES if name in self]

    def values(self) -> dict:
        """The summary, the follow-up and only the figures the form asked for."""
        return {"summary": self.summary.data, "follow_up": self.follow_up.data or "",
                **{name: self[name].data or 0 for name in OUTCOME_FIGURES if name in self}}


RULE_PREFIX, TIME_OFF_PREFIX = "rule", "off"  # one page holds both forms: ids stay apart


class RuleForm(Form):
    """A weekly duty rule (rendered with prefix RULE_PREFIX)."""

    weekday = SelectField(_l("Weekday"), choices=_weekdays)
    start_time = TimeField(_l("From"), [Required()])
    end_time = TimeField(_l("Until"), [Required()])
    valid_from = IsoDateField(_l("Valid from"), [Required()])
    valid_until = IsoDateField(_l("Valid until"), [Optional()])
    every_n_weeks = WholeNumberField(_l("Repeat every (weeks)"), [Required(),
                                 NumberRange(min=1, max=8)], default=1)
    # People count weeks from 1; the rule stores the offset from 0 (app/zones/models.py).
    start_week = WholeNumberField(_l("Start week, if not every week"),
                                  [Optional(), NumberRange(min=1, max=8)], default=1)

    @property
    def week_offset(self) -> int:
        """The rule's week offset (0 = the week of "Valid from") from the 1-based start week."""
        return (self.start_week.data or 1) - 1


class ExceptionForm(Form):
    """A day or hours off, or extra hours (rendered with prefix TIME_OFF_PREFIX)."""

    day = IsoDateField(_l("Day"), [Required()])
    kind = RadioField(_l("Kind"), default=ExceptionKind.OFF, choices=[
        SelectChoice(ExceptionKind.OFF, _l("Time off")),
        SelectChoice(ExceptionKind.EXTRA, _l("Extra hours"))])
    start_time = TimeField(_l("From (empty: all day)"), [Optional()])
    end_time = TimeField(_l("Until"), [Optional()])
    note = StringField(_l("Note"), [Optional(), Length(max=200)])


class WalkInForm(Form):
    """A short pre-screen filled by staff for a visitor without a booking."""

    company_name = StringField(_l("Company name"), [Required(), Length(max=200)])
    business_number = StringField(_l("Business number (if any)"),
                                  [Optional(), Length(max=20)])
    founded_on = IsoDateField(_l("Founding date (if founded)"), [Optional()])
    contact_name = StringField(_l("Visitor"), [Required(), Length(max=100)])
    phone = TelField(_l("Phone"), [Required(), Length(max=30)])
    email = StringField(_l("E-mail (optional)"), [Optional(), Length(max=254)])
    description = TextAreaField(_l("What they need"), [Optional(), Length(max=4000)])
    slot = RadioField(_l("Free slot today"), [Required()], choices=[])
    consent = BooleanField(_l("The visitor consented to the personal information notice"))
    # Asked only when the number belongs to a firm of another name (app/booking/walkin.py).
    confirm_number = BooleanField(_l("The number is right: register the visit under it"))
    held_number = HiddenField()  # the number that confirmation was asked for

    def number_confirmed(self) -> bool:
        """Staff ticked the confirmation for the very number now typed."""
        digits = business_number_digits(self.business_number.data or "")
        return bool(self.confirm_number.data and digits and self.held_number.data == digits)

    def validate_business_number(self, field):
        digits = business_number_digits(field.data or "")
        if field.data and (digits is None or not is_valid_business_number(digits)):
            raise ValidationError(_("Not a valid business number."))
        if field.data and self.founded_on.data is None:
            raise ValidationError(_("Give the founding date too."))

    def validate_phone(self, field):
        if normalise_phone(field.data or "") is None:
            raise ValidationError(_("Not a Korean phone number."))

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_("Consent is required."))

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
