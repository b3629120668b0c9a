"""Sign-in, password and API token forms."""

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Length

from app.forms import Form, Required

REQUIRED = "필수 항목입니다. / This field is required."


class LoginForm(Form):
    """E-mail and password."""

    email = EmailField("이메일 / E-mail", [Required(REQUIRED), Length(max=254)])
    password = PasswordField("비밀번호 / Password", [Required(REQUIRED), Length(max=200)])


class PasswordForm(Form):
    """The current password and a new one."""

    current = PasswordField("현재 비밀번호 / Current password", [Required(REQUIRED)])
    new = PasswordField("새 비밀번호 (10자 이상) / New password (10+ characters)",
                        [Required(REQUIRED), Length(min=10, max=200, message=(
                            "10자 이상 입력해 주세요. / At least 10 characters."))])


class TokenForm(Form):
    """A label for a new API token."""

    name = StringField("토큰 이름 / Token label", [Required(REQUIRED), Length(max=100)])
