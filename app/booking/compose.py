"""Mail texts for a registration, rendered in the language the person used."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import object_session

from app.booking.links import manage_url
from app.calendar.invites import build_invite
from app.core.urls import external_url
from app.mail.outbox import MailContent
from app.models import Registration, utcnow

ENDED_KINDS = frozenset({"cancelled", "offer_expired"})


def _subjects() -> dict[str, str]:
    return {
        "opt_in": _("Bitte bestätigen Sie Ihre Anmeldung"),
        "link_reminder": _("Ihr persönlicher Link zur Anmeldung"),
        "confirmed": _("Anmeldung bestätigt"),
        "waitlisted": _("Sie stehen auf der Warteliste"),
        "promoted": _("Sie sind von der Warteliste nachgerückt"),
        "offered": _("Ein Platz ist für Sie reserviert"),
        "offer_expired": _("Ihr reservierter Platz ist verfallen"),
        "cancelled": _("Ihre Anmeldung ist storniert"),
        "updated": _("Wichtige Änderung"),
        "event_cancelled": _("Veranstaltung abgesagt"),
        "reminder": _("Erinnerung an Ihre Veranstaltung"),
    }


def compose(kind: str, registration: Registration, invite_method: str = "", **context):
    """Render ``templates/mail/<kind>.txt`` and ``.html`` for ``registration``.

    ``invite_method`` (REQUEST or CANCEL) attaches the participant's calendar invitation. The
    mail gets a personal link of its own (``app.booking.links``), added to the registration's
    session: it is valid once the transaction that queues the mail commits.
    """
    now = utcnow()
    with force_locale(registration.language or "de"):
        event = registration.event
        link = manage_url(object_session(registration), registration, now)
        context.update(
            kind=kind,
            registration=registration,
            event=event,
            # After a cancellation or a lapsed offer there is nothing left to cancel.
            can_cancel=kind not in ENDED_KINDS,
            manage_url=link,
            event_url=external_url("programme.event_detail", slug=event.slug),
        )
        subject = f"{_subjects()[kind]}: {event.title}"
        body_text = render_template(f"mail/{kind}.txt", **context)
        body_html = render_template(f"mail/{kind}.html", subject=subject, **context)
        ics = build_invite(registration, invite_method, now, link) if invite_method else ""
    return MailContent(
        recipient=registration.email,
        recipient_name=registration.full_name,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        ics=ics,
        ics_method=invite_method,
    )
