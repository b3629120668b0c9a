"""What the management views share: the acting admin and their centre, form handling, zone
menus."""

from collections.abc import Callable, Sequence
from typing import NamedTuple

from flask import abort, flash, redirect, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from app.admin.errors import ManageError
from app.admin.manage import (
    CHECK,
    get_row,
    list_all_zones,
    list_institutions,
)
from app.admin.scoping import ANY_CENTRE, national_zones
from app.auth.models import User
from app.centres.scope import own_centre
from app.main.i18n import localized

SAVED = _l("Saved.")


def actor() -> User:
    """The signed-in admin, as the services and the audit log take it."""
    return current_user._get_current_object()


def my_centre() -> int:
    """The signed-in admin's centre id, resolved once for the request (naming another centre
    with `?centre=` is 403, app/centres/scope.py); the services are given it as a value."""
    return own_centre(current_user).id


def row_or_404(model, row_id: int, centre_id=ANY_CENTRE):
    """The row the URL names (of the centre, given one), or 404."""
    try:
        return get_row(model, row_id, centre_id)
    except ManageError:
        abort(404)


def show_error(form: FlaskForm, error: ManageError) -> None:
    """Put a domain error's field messages on the form's fields (the rest on the form)."""
    placed = False
    for name, messages in error.fields.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, *messages]
            placed = True
    if not placed or error.message != str(CHECK):
        form.form_errors.append(error.message)


def submitted(form: FlaskForm, run: Callable[[FlaskForm], object]) -> tuple[object, int | None]:
    """Run a service on a valid post: (result, None) when done, else (None, status to show)."""
    if not form.validate_on_submit():
        return None, 422 if form.is_submitted() else 200
    try:
        return run(form), None
    except ManageError as error:
        show_error(form, error)
        return None, 422


class Saved(NamedTuple):
    """Where a management form goes once its service has run, and what it says there."""

    back: str  # the page to return to
    message: str
    kept: Sequence = ()  # booked appointments a deactivation or closure leaves booked
    about: str = ""  # what `kept` is about (a zone's name, a day)
    notes: Sequence[str] = ()  # warnings to show after the message


def form_page(form: FlaskForm, run: Callable[[FlaskForm], object],
              saved: Callable[[object], Saved], template: str, **context):
    """The create and edit flow every management screen shares: a valid post runs the
    service (`run(form)`), flashes what `saved(result)` says and goes back (303); otherwise
    the template shows the form, its errors (422 after a failed post) and `context`."""
    result, status = submitted(form, run)
    if status is None:
        done = saved(result)
        flash(str(done.message), "success")
        flash_kept(done.kept, done.about)
        for note in done.notes:
            flash(str(note), "info")
        return redirect(done.back, code=303)
    return render_template(template, form=form, **context), status


def _inactive(label: str, active: bool) -> str:
    return label if active else _("%(name)s (inactive)", name=label)


def menu_zones(centre_id: int | None) -> list:
    """The zones a form's menu offers: a centre's, or for the national rows (centre None)
    one zone of each code (a need or base rule counts for every centre's zone of it)."""
    return list_all_zones(centre_id) if centre_id is not None else national_zones()


def zone_choices(active_only: bool = False,
                 centre_id: int | None = None) -> list[tuple[int, str]]:
    """(id, label) of the centre's zones (see menu_zones), for a form's zone menu."""
    return [(z.id, _inactive(localized(z.name, z.name_en), z.active))
            for z in menu_zones(centre_id) if z.active or not active_only]


def institution_choices(active_only: bool = False,
                        centre_id: int | None = None) -> list[tuple[int, str]]:
    """(id, 'zone · institution') of the institutions of the menu's zones."""
    zones = {z.id for z in menu_zones(centre_id)}
    return [(i.id, _inactive(f"{localized(i.zone.name, i.zone.name_en)} · "
                             f"{localized(i.name, i.name_en)}", i.active))
            for i in list_institutions(centre_id=centre_id)
            if i.zone_id in zones and (i.active or not active_only)]


def flash_kept(appointments: list, what: str) -> None:
    """Say that booked appointments stay booked after a deactivation or a closure."""
    if appointments:
        count = len(appointments)
        flash(ngettext("%(what)s: %(num)s booked appointment stays booked; contact the firm if "
                       "needed.",
                       "%(what)s: %(num)s booked appointments stay booked; contact the firms if "
                       "needed.", count, what=what), "info")
