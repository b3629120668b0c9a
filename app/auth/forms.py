"""Sign-in, password and API token forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Length

from app.auth.services import MIN_PASSWORD_LENGTH
from app.forms import Form, Required


class LoginForm(Form):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), [Required(), Length(max=254)])
    password = PasswordField(_l("Password"), [Required(), Length(max=200)])


class PasswordForm(Form):
    """The current password and a new one."""

    current = PasswordField(_l("Current password"), [Required()])
    new = PasswordField(_l("New password (%(count)s characters or more)",
                           count=MIN_PASSWORD_LENGTH),
                        [Required(), Length(min=MIN_PASSWORD_LENGTH, max=200)])


class TokenForm(Form):
    """A label for a new API token."""

    name = StringField(_l("Token label"), [Required(), Length(max=100)])
