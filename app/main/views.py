"""The home page: what the one-stop service is and the way into the pre-screen."""

from flask import Blueprint, render_template

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return render_template("main/index.html")
