"""The development mailbox: every queued mail, readable in the browser. Development only.

Registered by create_app only when DEV_MAILBOX is on (development without MAIL_SERVER), so
that a newcomer can click through opt-in, confirmation and cancellation without any SMTP
server. Links in the mails point to BASE_URL; here they are shown relative to the host the
page was opened on, so they work whatever port the development server runs on.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from sqlalchemy import select

from app.extensions import db
from app.mail.message import UnbuildableMessage, build_mime, inline_images
from app.models import OutboxMessage

bp = Blueprint("devbox", __name__)


def _message_or_404(message_id: int) -> OutboxMessage:
    return db.session.get(OutboxMessage, message_id) or abort(404)


def local_links(text: str) -> str:
    """Point links to BASE_URL at the host this page was opened on."""
    return text.replace(current_app.config["BASE_URL"] + "/", request.host_url)


@bp.get("/")
def index():
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    return render_template("devbox/index.html", messages=messages)


@bp.get("/<int:message_id>")
def show(message_id: int):
    message = _message_or_404(message_id)
    return render_template("devbox/show.html", message=message, body=local_links(message.body_text))


@bp.get("/<int:message_id>/invite.ics")
def invite(message_id: int):
    message = _message_or_404(message_id)
    if not message.ics:
        abort(404)
    return Response(message.ics, mimetype="text/calendar")


@bp.get("/<int:message_id>/raw.eml")
def raw(message_id: int):
    message = _message_or_404(message_id)
    try:
        mime = build_mime(
            message, current_app.config["MAIL_DEFAULT_SENDER"], inline_images(message)
        )
    except UnbuildableMessage as error:
        # The worker marks such a row failed; here the developer sees why instead of a 500.
        return Response(f"{error}\n", status=422, mimetype="text/plain")
    return Response(mime.as_bytes(), mimetype="message/rfc822")
