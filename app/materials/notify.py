"""The mail that tells an event's participants about new materials, in each person's language.

It links to the person's own page (a link minted for this mail, ``app.booking.links``), where
every material of the event is listed; it carries no file. Queued in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.booking.links import manage_url
from app.core.urls import external_url
from app.mail.outbox import MailContent, enqueue
from app.materials.rules import participants
from app.models import Event, Material, Registration

KIND = "materials_published"


def render_notice(registration: Registration, material: Material, link: str) -> MailContent:
    event = registration.event
    with force_locale(registration.language or "de"):
        subject = _("Neue Unterlagen: %(title)s", title=event.title)
        context = dict(
            kind=KIND,
            registration=registration,
            event=event,
            material=material,
            can_cancel=False,
            manage_url=link,
            event_url=external_url("programme.event_detail", slug=event.slug),
        )
        body_text = render_template("materials/mail_published.txt", **context)
        body_html = render_template("materials/mail_published.html", subject=subject, **context)
    return MailContent(
        recipient=registration.email,
        recipient_name=registration.full_name,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )


def notify_participants(session: Session, event: Event, material: Material, now: datetime) -> int:
    """Queue one mail per participant (confirmed or present); returns how many."""
    people = participants(session, event.id)
    for registration in people:
        content = render_notice(registration, material, manage_url(session, registration, now))
        enqueue(session, KIND, content, registration.id)
    return len(people)
