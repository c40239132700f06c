"""The one mail asking a participant for feedback, in the person's language.

It carries a personal link (minted for this mail, ``app.booking.links``) straight to the form;
the same link opens the person's own page. Queued in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.booking.links import issue_link
from app.core.i18n import format_date_berlin
from app.core.urls import external_url
from app.feedback.rules import closes_at, settings_for
from app.mail.outbox import MailContent
from app.models import Registration

KIND = "feedback_request"


def render_request(
    session: Session, registration: Registration, now: datetime
) -> tuple[str, MailContent]:
    event = registration.event
    token = issue_link(session, registration, now)
    language = registration.language or "de"
    with force_locale(language):
        subject = _("Ihre Meinung zu „%(title)s“", title=event.title)
        context = dict(
            kind=KIND,
            registration=registration,
            event=event,
            can_cancel=False,
            manage_url=external_url("booking.manage", token=token),
            # The form opens in the language the person registered in, whatever the browser.
            feedback_url=external_url("feedback.answer", token=token, lang=language),
            closing=format_date_berlin(closes_at(settings_for(session, event), event)),
        )
        body_text = render_template("mail/feedback_request.txt", **context)
        body_html = render_template("mail/feedback_request.html", subject=subject, **context)
    return KIND, MailContent(
        recipient=registration.email,
        recipient_name=registration.full_name,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
