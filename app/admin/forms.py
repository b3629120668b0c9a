"""Forms of the admin's management screens: shape only; the services own the rules."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, Optional, ValidationError

from app.admin.manage import code_problem, zone_number_problem
from app.admin.manage_routing import weight_problem
from app.forms import Form, IsoDateField, Required, WholeNumberField


def required() -> Required:
    """A field that must be filled in (WTForms' own message, in the page's language)."""
    return Required()


def most(n: int) -> Length:
    """At most n characters (WTForms' own message)."""
    return Length(max=n)


def rule(check):
    """A validator asking the service's own check, so the page names every problem at once."""

    def validate(form, field):
        if field.data not in (None, "") and (message := check(field.data)):
            raise ValidationError(message)

    return validate


# Codes are stored lowercased (see the forms' values()), so that is what is checked.
CODE_RULE = rule(lambda code: code_problem(code.strip().lower()))


def _parse_error(field, valuelist, parse, message: str) -> None:
    field.data = None
    if valuelist and valuelist[0].strip():
        try:
            field.data = parse(valuelist[0].strip())
        except ValueError as error:
            raise ValueError(message) from error


def zone_number(label: str, name: str) -> WholeNumberField:
    """One of a zone's numbers, checked against the service's limits."""
    return WholeNumberField(label, [required(), rule(lambda v: zone_number_problem(name, v))])


class DecimalNumberField(FloatField):
    """A number (decimals allowed) whose parse error says what to type."""

    def process_formdata(self, valuelist):
        _parse_error(self, valuelist, float, _("Enter a number."))


class ClockField(TimeField):
    """HH:MM whose parse error shows an example."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_("Enter a time as HH:MM (e.g. 09:30).")) from error


def optional_int(value):
    """'' (and None) means nothing chosen; anything else must be an integer."""
    if value in ("", None):
        return None
    return int(value)


class ChoiceField(SelectField):
    """A select of (value, label) choices set after construction; a value that is not
    offered is refused, '' (nothing chosen) is left to a required() validator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = "SelectField"  # the form macros draw a KRDS select for this type

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = self.coerce(valuelist[0])
            except (ValueError, TypeError) as error:
                self.data = None
                raise ValueError(_("Not one of the choices.")) from error

    def pre_validate(self, form):
        values = [value for value, *_ in self.choices or ()]
        if self.data is None and "" in values:
            return  # nothing chosen: a required() validator decides whether that is allowed
        if self.data not in {self.coerce(value) for value in values}:
            raise ValidationError(_("Not one of the choices."))


def zone_field() -> ChoiceField:
    """A required zone menu (choices filled in by the form)."""
    return ChoiceField(_l("Zone"), [required()], coerce=optional_int, choices=[])


def institution_field() -> ChoiceField:
    """An optional institution menu (choices filled in by the form)."""
    return ChoiceField(_l("Institution"), coerce=optional_int, choices=[])


class _ZoneChoices:
    """Fills zone_id (and institution_id) from (id, label) lists given at construction."""

    def __init__(self, *args, zones=(), institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        if hasattr(self, "zone_id"):
            blank = [("", _("Whole centre"))] if self._whole_centre else [("", _("Choose"))]
            self.zone_id.choices = blank + list(zones)
        if hasattr(self, "institution_id"):
            self.institution_id.choices = [("", _("None"))] + list(institutions)

    _whole_centre = False


class ZoneForm(Form):
    """A zone: names, descriptions, booking rules and hours."""

    code = StringField(_l("Code"), [Optional(), most(32), CODE_RULE])
    name = StringField(_l("Name (Korean)"), [required(), most(100)])
    name_en = StringField(_l("Name (English)"), [required(), most(100)])
    description = TextAreaField(_l("Description (Korean)"), [Optional(), most(2000)])
    description_en = TextAreaField(_l("Description (English)"), [Optional(), most(2000)])
    what_to_bring = TextAreaField(_l("What to bring (Korean)"), [Optional(), most(2000)])
    what_to_bring_en = TextAreaField(_l("What to bring (English)"),
                                     [Optional(), most(2000)])
    slot_minutes = zone_number(_l("Slot length (minutes)"), "slot_minutes")
    buffer_minutes = zone_number(_l("Buffer (minutes)"), "buffer_minutes")
    min_notice_hours = zone_number(_l("Minimum notice (hours)"),
                                   "min_notice_hours")
    horizon_days = zone_number(_l("Booking horizon (days)"), "horizon_days")
    opens_at = ClockField(_l("Opens at"), [required()])
    closes_at = ClockField(_l("Closes at"), [required()])
    sort_order = WholeNumberField(_l("Display order"), [Optional()], default=0)
    active = BooleanField(_l("In operation"), default=True)

    def values(self) -> dict:
        """The cleaned values the zone services take."""
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        data["code"] = (data["code"] or "").strip().lower()
        for name in ("name", "name_en", "description", "description_en", "what_to_bring",
                     "what_to_bring_en"):
            data[name] = (data[name] or "").strip()
        data["sort_order"] = data["sort_order"] or 0
        return data


class InstitutionForm(_ZoneChoices, Form):
    """An institution and the zone it serves."""

    code = StringField(_l("Code"), [Optional(), most(32), CODE_RULE])
    zone_id = zone_field()
    name = StringField(_l("Name (Korean)"), [required(), most(100)])
    name_en = StringField(_l("Name (English)"), [required(), most(100)])
    sort_order = WholeNumberField(_l("Display order"), [Optional()], default=0)
    active = BooleanField(_l("In operation"), default=True)

    def values(self) -> dict:
        """The cleaned values the institution services take."""
        return {"code": (self.code.data or "").strip().lower(), "zone_id": self.zone_id.data,
                "name": self.name.data.strip(), "name_en": self.name_en.data.strip(),
                "sort_order": self.sort_order.data or 0, "active": bool(self.active.data)}


class AdviserForm(_ZoneChoices, Form):
    """An adviser's name, title, zone and institution (and, when new, the login)."""

    email = EmailField(_l("Sign-in e-mail"), [Optional(), most(254)])
    password = PasswordField(_l("First password"), [Optional(), most(200)])
    name = StringField(_l("Name"), [required(), most(100)])
    title = StringField(_l("Title"), [Optional(), most(100)])
    zone_id = zone_field()
    institution_id = institution_field()

    def values(self) -> dict:
        """The cleaned values the adviser services take."""
        return {"email": (self.email.data or "").strip().lower(),
                "password": self.password.data or None, "name": self.name.data.strip(),
                "title": (self.title.data or "").strip(), "zone_id": self.zone_id.data,
                "institution_id": self.institution_id.data}


class ClosureForm(_ZoneChoices, Form):
    """A closed day, for the whole centre or one zone."""

    _whole_centre = True
    day = IsoDateField(_l("Date"), [required()])
    zone_id = ChoiceField(_l("Scope"), coerce=optional_int, choices=[])
    reason = StringField(_l("Reason"), [Optional(), most(200)])


class NeedForm(_ZoneChoices, Form):
    """A need applicants can tick, its zone, institution, labels and weight."""

    code = StringField(_l("Code"), [Optional(), most(64), CODE_RULE])
    zone_id = zone_field()
    institution_id = institution_field()
    label = StringField(_l("Label (Korean)"), [required(), most(100)])
    label_en = StringField(_l("Label (English)"), [required(), most(100)])
    weight = DecimalNumberField(_l("Weight"), [required(), rule(weight_problem)], default=3.0)
    sort_order = WholeNumberField(_l("Display order"), [Optional()], default=0)
    active = BooleanField(_l("Active"), default=True)

    def values(self) -> dict:
        """The cleaned values the need services take."""
        return {"code": (self.code.data or "").strip().lower(), "zone_id": self.zone_id.data,
                "institution_id": self.institution_id.data, "label": self.label.data.strip(),
                "label_en": self.label_en.data.strip(), "weight": self.weight.data,
                "sort_order": self.sort_order.data or 0, "active": bool(self.active.data)}


class RoutingRuleForm(_ZoneChoices, Form):
    """A phrase that adds weight to a zone (and an institution)."""

    zone_id = zone_field()
    institution_id = institution_field()
    phrase = StringField(_l("Phrase"), [required(), most(100)])
    weight = DecimalNumberField(_l("Weight"), [required(), rule(weight_problem)], default=1.0)
    active = BooleanField(_l("Active"), default=True)

    def values(self) -> dict:
        """The cleaned values the routing rule services take."""
        return {"zone_id": self.zone_id.data, "institution_id": self.institution_id.data,
                "phrase": self.phrase.data, "weight": self.weight.data,
                "active": bool(self.active.data)}


class TryRoutingForm(Form):
    """A sample description and needs to route without storing anything (a GET form)."""

    class Meta:
        csrf = False

    sample = TextAreaField(_l("Sample description"), [Optional(), most(4000)])
    needs = SelectMultipleField(_l("Needs"), choices=[], validate_choice=False)


class AuditFilterForm(Form):
    """The audit log's filters (a GET form)."""

    class Meta:
        csrf = False

    actor_id = ChoiceField(_l("Staff member"), coerce=optional_int, choices=[])
    entity = ChoiceField(_l("Entity"), choices=[])
    action = ChoiceField(_l("Action"), choices=[])
    date_from = IsoDateField(_l("From"), [Optional()])
    date_to = IsoDateField(_l("To"), [Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("‘To’ is before ‘from’."))
