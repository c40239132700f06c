"""Mail texts of the intake, rendered in the language the person used, queued in the outbox."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.intake.links import manage_url
from app.mail.outbox import MailContent, enqueue
from app.models import ConsultationBooking, ExpressionOfInterest, OutboxMessage, utcnow


def _subjects() -> dict[str, str]:
    return {
        "interest_opt_in": _("Bitte bestätigen Sie Ihre Interessensbekundung"),
        "interest_link_reminder": _("Ihr persönlicher Link zur Interessensbekundung"),
        "interest_confirmed": _("Interessensbekundung bestätigt"),
        "consultation_booked": _("Ihr Termin zur Initialberatung"),
        "consultation_cancelled": _("Initialberatung abgesagt"),
        "consultation_booked_organiser": _("Neue Initialberatung gebucht"),
        "consultation_cancelled_organiser": _("Initialberatung abgesagt"),
    }


def compose(
    kind: str,
    interest: ExpressionOfInterest,
    recipient: str,
    language: str,
    ics="",
    recipient_name: str = "",
    link: str = "",
    **context,
) -> MailContent:
    """Render ``templates/mail/<kind>.txt`` and ``.html``; ``ics`` carries an invitation.

    ``link`` is the contact person's personal link for this mail (``send_to_contact`` mints
    it); the office's copies have none.
    """
    with force_locale(language or "de"):
        context.update(interest=interest, manage_url=link)
        subject = f"{_subjects()[kind]}: {interest.municipality_name}"
        body_text = render_template(f"mail/{kind}.txt", **context)
        body_html = render_template(f"mail/{kind}.html", subject=subject, **context)
    method = ""
    if ics:
        method = "CANCEL" if "METHOD:CANCEL" in ics else "REQUEST"
    return MailContent(
        recipient=recipient,
        recipient_name=recipient_name,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        ics=ics,
        ics_method=method,
    )


def _enqueue(session: Session, kind: str, content: MailContent, interest: ExpressionOfInterest):
    mail = enqueue(session, kind, content)
    # Every mail about the contact person, the office's copies too, is found by this when
    # the person is erased or anonymised.
    mail.interest_id = interest.id
    return mail


def send_to_contact(
    session: Session, kind: str, interest: ExpressionOfInterest, link: str = "", **context
) -> OutboxMessage:
    """Queue a mail to the contact person, with a personal link of its own (or ``link``)."""
    content = compose(
        kind,
        interest,
        interest.email,
        interest.language,
        recipient_name=interest.full_name,
        link=link or manage_url(session, interest, utcnow()),
        **context,
    )
    return _enqueue(session, kind, content, interest)


def send_booking_mails(
    session: Session, booking: ConsultationBooking, method: str, now, to_contact: bool = True
) -> None:
    """The invitation (REQUEST) or its cancellation (CANCEL) to both sides of a consultation.

    Without ``to_contact`` only the office's copy goes out (the contact person asked to be
    erased: no mail may go to the address, and the office's calendar must lose the entry).
    """
    from app.intake.invites import build_consultation_invite

    interest, slot = booking.interest, booking.slot
    kind = "consultation_booked" if method == "REQUEST" else "consultation_cancelled"
    if to_contact:
        link = manage_url(session, interest, now)
        contact_ics = build_consultation_invite(
            booking, method, now, for_organiser=False, manage_url=link
        )
        send_to_contact(
            session, kind, interest, link=link, booking=booking, slot=slot, ics=contact_ics
        )
    # The office works in German; the organiser's copy names the contact and the topics.
    organiser_ics = build_consultation_invite(booking, method, now, for_organiser=True)
    content = compose(
        f"{kind}_organiser",
        interest,
        slot.organiser_email,
        "de",
        ics=organiser_ics,
        recipient_name=slot.organiser_name,
        booking=booking,
        slot=slot,
    )
    _enqueue(session, f"{kind}_organiser", content, interest)
