"""Queueing mail in the outbox table, inside the caller's transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.urls import base_host
from app.mail.message import display_name
from app.models import OutboxMessage, utcnow

PENDING_FLAG = "outbox_has_new_mail"


@dataclass(frozen=True)
class MailContent:
    recipient: str
    subject: str
    body_text: str
    body_html: str = ""
    ics: str = ""
    ics_method: str = ""  # REQUEST or CANCEL when ``ics`` is an invitation
    recipient_name: str = ""  # shown in the To header beside the address


def enqueue(
    session: Session, kind: str, content: MailContent, registration_id: int | None = None
) -> OutboxMessage:
    """Add the mail to the session; it is sent only if the surrounding transaction commits."""
    message = OutboxMessage(
        message_id=f"<{uuid.uuid4().hex}@{base_host()}>",
        kind=kind,
        recipient=content.recipient,
        recipient_name=display_name(content.recipient_name),
        subject=content.subject,
        body_text=content.body_text,
        body_html=content.body_html,
        ics=content.ics,
        ics_method=content.ics_method,
        registration_id=registration_id,
        created_at=utcnow(),
        next_attempt_at=utcnow(),
    )
    session.add(message)
    session.info[PENDING_FLAG] = True
    return message
