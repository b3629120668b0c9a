"""The admin outbox page: every message's status, attempts and last error, and a resend."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.admin.blueprint import bp
from app.admin.centre_rows import outbox_of
from app.auth.audit import record_change
from app.auth.decorators import staff_required
from app.centres.scope import own_centre
from app.extensions import db
from app.inputs import as_id
from app.notify.models import OutboxMessage
from app.notify.outbox import (
    STATUSES,
    MessageNotFound,
    error_text,
    list_messages,
    resend,
    status_counts,
    subject_of,
)
from app.paging import page_numbers

PER_PAGE = 100


@bp.get("/outbox")
@staff_required("admin")
def outbox():
    """The messages, newest first and PER_PAGE a page, of one status or all, with the count
    of each status."""
    mine = outbox_of(own_centre(current_user).id)  # the admin's centre, resolved once
    status = request.args.get("status")
    status = status if status in STATUSES else None
    counts = status_counts(mine)
    page, pages = page_numbers(counts[status] if status else sum(counts.values()),
                               request.args.get("page", 1, type=as_id), PER_PAGE)
    messages = list_messages(status, PER_PAGE, page, where=mine)
    return render_template("admin/outbox.html", messages=messages,
                           subjects={m.id: subject_of(m) for m in messages},
                           errors={m.id: error_text(m.last_error) for m in messages},
                           counts=counts, status=status, statuses=STATUSES, page=page,
                           pages=pages)


@bp.post("/outbox/<int:message_id>/resend")
@staff_required("admin")
def outbox_resend(message_id: int):
    """Put a failed or dead message back in the queue (audited); another centre's message
    is 404, as one that does not exist."""
    actor = current_user._get_current_object()
    if db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.id == message_id, outbox_of(own_centre(actor).id))) is None:
        abort(404)

    def audit(before: dict, after: dict) -> None:
        record_change(actor, "resend", "outbox", message_id, before=before, after=after)

    try:
        message = resend(message_id, audit=audit)
    except MessageNotFound:
        abort(404)
    if message.status == "pending":
        flash(_("Message #%(number)s is queued again.", number=message_id), "success")
    elif message.erased:
        flash(_("Message #%(number)s was erased after its retention; it cannot be sent again.",
                number=message_id), "error")
    status = request.form.get("status")
    return redirect(url_for("admin.outbox", status=status if status in STATUSES else None),
                    code=303)
