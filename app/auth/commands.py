"""`create-user` and `create-token` on the command line."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.auth.errors import AccountError
from app.auth.services import create_api_token, create_user, find_user
from app.states import Role


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--zone", "zone_code", help="The adviser's zone code (legal, finance, ...).")
@click.option("--institution", "institution_id", type=int, help="The adviser's institution id.")
@click.option("--name", help="The name shown to staff and applicants.")
@click.option("--centre", "centre_code",
              help="The admin's or adviser's centre code (default: DEFAULT_CENTRE).")
@with_appcontext
def create_user_command(email, role, password, zone_code, institution_id, name,
                        centre_code) -> None:
    """Create a staff user (an admin or an adviser of a centre, or the national office)."""
    try:
        user = create_user(email, role, password, name, zone_code, institution_id,
                           centre_code)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(_("Created %(role)s %(email)s (id %(id)s)", role=user.role, email=user.email,
                 id=user.id))


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token by.")
@with_appcontext
def create_token_command(email, name) -> None:
    """Print a new API token for a staff user, alone on the last line (shown only once)."""
    user = find_user(email)
    if user is None or not user.active:
        raise click.ClickException(_("No such active user: %(email)s", email=email))
    token = create_api_token(user, name)
    click.echo(_("New API token, shown only once:"))
    click.echo(token)
