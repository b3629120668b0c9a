"""Staff sign-in and out, and the profile page (password, API tokens)."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth.decorators import staff_home, staff_required
from app.auth.errors import AccountError, LoginRefused
from app.auth.forms import LoginForm, PasswordForm, TokenForm
from app.auth.login import authenticate, change_password, end_sessions, list_tokens, revoke_token
from app.auth.services import create_api_token
from app.extensions import client_address, limiter
from app.main.security import safe_local_path
from app.states import Role

bp = Blueprint("auth", __name__)


def login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(staff_home(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, client_address())
        except LoginRefused as error:
            form.password.errors.append(str(error))
            return render_template("auth/login.html", form=form), 401
        session.clear()  # a fresh session at sign-in: nothing carries over
        login_user(user)
        return redirect(safe_local_path(request.args.get("next")) or staff_home(user), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        end_sessions(current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.get("/profile")
@staff_required(*Role)
def profile():
    return render_template("auth/profile.html", password_form=PasswordForm(),
                           token_form=TokenForm(), tokens=list_tokens(current_user))


@bp.post("/profile/password")
@staff_required(*Role)
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except AccountError as error:
            form.current.errors.append(str(error))
        else:
            session.clear()
            login_user(current_user._get_current_object())
            flash(_("Password changed; your other sessions were signed out."), "success")
            return redirect(url_for("auth.profile"), code=303)
    return render_template("auth/profile.html", password_form=form, token_form=TokenForm(),
                           tokens=list_tokens(current_user)), 422


@bp.post("/profile/tokens")
@staff_required(*Role)
def new_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return render_template("auth/profile.html", password_form=PasswordForm(),
                               token_form=form, tokens=list_tokens(current_user)), 422
    token = create_api_token(current_user, form.name.data.strip())
    return render_template("auth/profile.html", password_form=PasswordForm(),
                           token_form=TokenForm(formdata=None), tokens=list_tokens(current_user),
                           new_token=token)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@staff_required(*Role)
def revoke(token_id: int):
    try:
        revoke_token(current_user, token_id)
    except AccountError as error:
        flash(str(error), "error")
    else:
        flash(_("The token is revoked."), "success")
    return redirect(url_for("auth.profile"), code=303)
