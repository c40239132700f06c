"""Mail texts of the intake, rendered in the language the person used, queued in the outbox."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app.core.urls import external_url
from app.mail.outbox import MailContent, enqueue
from app.models import ConsultationBooking, ExpressionOfInterest


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
    **context,
) -> MailContent:
    """Render ``templates/mail/<kind>.txt`` and ``.html``; ``ics`` carries an invitation."""
    with force_locale(language or "de"):
        context.update(
            interest=interest,
            manage_url=external_url("intake.manage", token=interest.token),
        )
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


def send_to_contact(session: Session, kind: str, interest: ExpressionOfInterest, **context):
    content = compose(
        kind,
        interest,
        interest.email,
        interest.language,
        recipient_name=interest.full_name,
        **context,
    )
    return enqueue(session, kind, content)


def send_booking_mails(session: Session, booking: ConsultationBooking, method: str, now) -> None:
    """The invitation (REQUEST) or its cancellation (CANCEL) to both sides of a consultation."""
    from app.intake.invites import build_consultation_invite

    interest, slot = booking.interest, booking.slot
    kind = "consultation_booked" if method == "REQUEST" else "consultation_cancelled"
    contact_ics = build_consultation_invite(booking, method, now, for_organiser=False)
    send_to_contact(session, kind, interest, booking=booking, slot=slot, ics=contact_ics)
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
    enqueue(session, f"{kind}_organiser", content)
