"""The form every page's form derives from: each text value it takes crosses app/inputs.py.

WTForms' own messages (required, length, e-mail, choices) come from its catalogue in the
request's language (Flask-WTF with WTF_I18N_ENABLED and Flask-Babel's locale). The two
fields here parse more strictly than WTForms' own; their messages are in translations/.
"""

import re

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, PasswordField
from wtforms.validators import InputRequired, StopValidation

from app.inputs import MAX_ID, InputError, normalise_text, parse_date, text_problem

_SIGNED_DIGITS = re.compile(r"-?[0-9]{1,19}")


def _text_filter(value):
    """NFC, stripped, blanks as empty; a lone surrogate or a control character is the field's
    error (WTForms turns a filter's ValueError into one)."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [normalise_text(item) for item in value]
    return value


def _secret_filter(value):
    """Passwords are kept exactly as typed, but must still be storable text."""
    if isinstance(value, str) and (problem := text_problem(value)):
        raise ValueError(problem)
    return value


class Form(FlaskForm):
    """A FlaskForm whose every field's data is checked and normalised before validation."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            check = (_secret_filter if issubclass(unbound_field.field_class, PasswordField)
                     else _text_filter)
            filters = [check, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, filters=filters, **options)


class Required(InputRequired):
    """InputRequired that also refuses text of only blanks, which the filter made empty."""

    def __call__(self, form, field):
        super().__call__(form, field)
        if isinstance(field.data, str) and not field.data:
            field.errors[:] = []
            raise StopValidation(self.message or field.gettext("This field is required."))


class IsoDateField(DateField):
    """A date typed strictly as YYYY-MM-DD between 1900 and 2100 (app/inputs.parse_date)."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_date(valuelist[0].strip(), self.name)
            except InputError as error:
                raise ValueError(error.message) from error


class WholeNumberField(IntegerField):
    """A whole number typed in ASCII digits that an `integer` column holds (no '²', no
    '1_000')."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            text = valuelist[0].strip()
            if not _SIGNED_DIGITS.fullmatch(text) or abs(int(text)) > MAX_ID:
                raise ValueError(_("Enter a whole number."))
            self.data = int(text)
