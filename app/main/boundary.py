"""Where requests meet app/inputs.py before any view: path ids and the query string."""

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from app.inputs import MAX_ID, text_problem
from app.main.errors import error_response

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits within an id's range, else the route does not
    match (404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def refuse_unstorable_parameters():
    """400 naming the first query parameter or path part that is not storable text, or the
    first posted form value holding a NUL.

    Views parse each parameter they use with app/inputs; this catches the characters no
    parameter may hold (NUL and other controls, lone surrogates) wherever it is read. A form
    field's other control characters are that field's error (app/forms.py), but a NUL, which
    nobody types and no database column takes, is refused here for every posted value.
    """
    named = [(key, value) for key, values in request.args.lists() for value in [key, *values]]
    named += [(key, value) for key, value in (request.view_args or {}).items()
              if isinstance(value, str)]
    for name, value in named:
        if problem := text_problem(value):
            return error_response(400, f"{name}: {problem}")
    if request.method == "POST" and request.mimetype in FORM_TYPES:
        for name, values in request.form.lists():
            if any("\x00" in value for value in [name, *values]):
                return error_response(400, f"{name}: {text_problem(chr(0))}")
    return None


def register(app: Flask) -> None:
    """Install the id converter (before any route is added) and the parameter check."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_unstorable_parameters)
