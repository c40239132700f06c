"""Messages to an event's participants: write, preview, send through the outbox, log."""

from __future__ import annotations

import secrets

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from app.backoffice.guard import backoffice_blueprint
from app.core.forms import SingleLine
from app.extensions import db
from app.messaging import messages as messaging
from app.models import Event, utcnow

bp = backoffice_blueprint("messaging_admin", __name__)


def group_choices():
    return [
        ("confirmed", _l("Bestätigte Teilnehmende")),
        ("waitlisted", _l("Personen auf der Warteliste")),
        ("attended", _l("Anwesende (nach der Veranstaltung)")),
    ]


def empty_group_message() -> str:
    return _("An diesen Empfängerkreis kann nichts gesendet werden: er ist leer.")


class MessageForm(FlaskForm):
    group = SelectField(_l("Empfängerkreis"), choices=group_choices, default="confirmed")
    subject = StringField(
        _l("Betreff"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Betreff ein.")),
            SingleLine(),
            Length(max=200, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
    )
    body = TextAreaField(
        _l("Text"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Text ein.")),
            Length(max=10000, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
        description=_l(
            "Die Anrede „Guten Tag …“ und der persönliche Link zur Anmeldung werden "
            "automatisch ergänzt."
        ),
    )


class SendForm(MessageForm):
    send_key = HiddenField(
        validators=[DataRequired(), SingleLine(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")]
    )


def _compose_page(event, form, status=200):
    return (
        render_template(
            "admin/messages.html",
            event=event,
            form=form,
            counts=messaging.group_counts(db.session, event.id),
            log=messaging.message_log(db.session, event.id),
        ),
        status,
    )


@bp.get("/events/<int:event_id>/messages")
def event_messages(event_id: int):
    event = db.get_or_404(Event, event_id)
    return _compose_page(event, MessageForm())


@bp.post("/events/<int:event_id>/messages/preview")
def event_message_preview(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _compose_page(event, form, 422)
    people = messaging.recipients(db.session, event.id, form.group.data)
    if not people:
        return _empty_group_page(event, form)
    sample = messaging.render_message(
        people[0], form.subject.data, form.body.data, utcnow(), messaging.preview_link()
    )
    send = SendForm(formdata=None, data={**form.data, "send_key": secrets.token_urlsafe(24)})
    return render_template(
        "admin/message_preview.html",
        event=event,
        form=form,
        send=send,
        recipients=people,
        sample=sample,
        group_label=dict(group_choices())[form.group.data],
    )


@bp.post("/events/<int:event_id>/messages/send")
def event_message_send(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = SendForm()
    if not form.validate_on_submit():
        return _compose_page(event, form, 422)
    try:
        message = _send(event, form)
    except messaging.AlreadySent:
        flash(
            _("Diese Nachricht wurde bereits gesendet; sie geht nicht ein zweites Mal hinaus."),
            "info",
        )
        return redirect(url_for("messaging_admin.event_messages", event_id=event.id))
    except messaging.NoRecipients:
        return _empty_group_page(event, form)
    flash(
        _(
            "Die Nachricht „%(subject)s“ wird an %(count)d Personen gesendet.",
            subject=message.subject,
            count=message.recipient_count,
        ),
        "success",
    )
    return redirect(url_for("messaging_admin.event_messages", event_id=event.id))


def _send(event: Event, form: SendForm):
    """Send and commit; on a MessageError nothing is kept."""
    try:
        message = messaging.send_message(
            db.session,
            current_user,
            event,
            form.group.data,
            form.subject.data,
            form.body.data,
            form.send_key.data,
            utcnow(),
        )
        db.session.commit()
    except IntegrityError:
        # The unique send key: another request (a second click) sent this preview first.
        db.session.rollback()
        raise messaging.AlreadySent() from None
    except messaging.MessageError:
        db.session.rollback()
        raise
    return message


def _empty_group_page(event: Event, form: MessageForm):
    form.group.errors = [empty_group_message()]
    return _compose_page(event, form, 422)
