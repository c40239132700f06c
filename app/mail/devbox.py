"""The development mailbox: every queued mail, readable in the browser. Development only."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from app.extensions import db
from app.mail.message import build_mime
from app.models import OutboxMessage

bp = Blueprint("devbox", __name__)


@bp.get("/")
def index():
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    return render_template("devbox/index.html", messages=messages)


@bp.get("/<int:message_id>")
def show(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("devbox/show.html", message=message)


@bp.get("/<int:message_id>/invite.ics")
def invite(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if not message.ics:
        abort(404)
    return Response(message.ics, mimetype="text/calendar")


@bp.get("/<int:message_id>/raw.eml")
def raw(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return Response(build_mime(message, "dev@localhost").as_bytes(), mimetype="message/rfc822")
