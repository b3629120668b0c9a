"""The form of the centre's facts (/admin/centre): shape only; app/admin/manage_centre.py
owns the rules (phone, link), which the form asks so the page names every problem at once."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField
from wtforms.validators import Email, Optional

from app.admin.forms import CODE_RULE, most, required, rule
from app.admin.manage_centre import CENTRE_FIELDS, phone_problem, url_problem
from app.forms import Form


class CentreForm(Form):
    """The centre's names, address, contact, hours, directions and privacy officer."""

    name = StringField(_l("Name (Korean)"), [required(), most(100)])
    name_en = StringField(_l("Name (English)"), [required(), most(100)])
    region = StringField(_l("Region (province or metropolitan city)"), [Optional(), most(20)])
    address = StringField(_l("Address (Korean)"), [required(), most(200)])
    address_en = StringField(_l("Address (English)"), [Optional(), most(200)])
    phone = StringField(_l("Phone"), [Optional(), most(20), rule(phone_problem)])
    hours = StringField(_l("Opening hours (Korean)"), [Optional(), most(200)])
    hours_en = StringField(_l("Opening hours (English)"), [Optional(), most(200)])
    directions_url = StringField(_l("Directions (a link to a map)"),
                                 [Optional(), most(500), rule(url_problem)])
    privacy_officer = StringField(_l("Privacy officer"), [Optional(), most(100)])
    privacy_department = StringField(_l("Privacy officer's department"),
                                     [Optional(), most(100)])
    privacy_phone = StringField(_l("Privacy officer's phone"),
                                [Optional(), most(20), rule(phone_problem)])
    privacy_email = EmailField(_l("Privacy officer's e-mail"), [
        Optional(), most(254),
        Email(message=_l("Not an e-mail address."), check_deliverability=False)])

    def values(self) -> dict:
        """The cleaned values update_centre takes."""
        return {name: (self._fields[name].data or "").strip() for name in CENTRE_FIELDS}


class NetworkCentreForm(CentreForm):
    """A centre of the network as the national office makes or edits it: its code too."""

    code = StringField(_l("Code"), [required(), most(32), CODE_RULE])

    def values(self) -> dict:
        """The cleaned values create_centre and update_centre take (the code lowercased)."""
        return {**super().values(), "code": (self.code.data or "").strip().lower()}
