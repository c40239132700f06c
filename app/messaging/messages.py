"""Messages from organisers to a group of an event's participants, sent through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.booking.links import manage_url
from app.core.audit import record
from app.core.urls import external_url
from app.mail.outbox import MailContent, enqueue
from app.models import (
    Attendance,
    Event,
    OrganiserMessage,
    OrganiserMessageRecipient,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    User,
)

S = RegistrationStatus
KIND = "organiser_message"
GROUPS = ("confirmed", "waitlisted", "attended")
ACTIVE_FOR_CANCEL = (S.CONFIRMED, S.WAITLISTED, S.OFFERED)


class MessageError(Exception):
    pass


class NoRecipients(MessageError):
    """The chosen group of the event is empty."""


class AlreadySent(MessageError):
    """This preview was already sent (a second click or a reload)."""


def _group_condition(group: str):
    if group == "confirmed":
        return Registration.status == S.CONFIRMED
    if group == "waitlisted":
        # A seat offered from the waitlist is not taken yet: those people still wait.
        return Registration.status.in_((S.WAITLISTED, S.OFFERED))
    if group == "attended":
        return Registration.attendance == Attendance.ATTENDED
    raise ValueError(f"unknown group {group!r}")


def recipients(session: Session, event_id: int, group: str) -> list[Registration]:
    """The registrations a message to ``group`` reaches, anonymised ones left out."""
    return list(
        session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                _group_condition(group),
                Registration.anonymised_at.is_(None),
            )
            .order_by(Registration.last_name, Registration.first_name, Registration.id)
        )
    )


def preview_link() -> str:
    """What the preview shows in place of the personal link: each recipient's mail gets a
    link of its own when it is queued (only its hash is stored), so the preview cannot show
    a real one, and an organiser never sees a working link to someone's page."""
    return external_url("booking.manage", token="persoenlicher-link")


def render_message(
    registration: Registration, subject: str, body: str, now: datetime, link: str
) -> MailContent:
    """The mail one recipient gets: salutation, the organiser's text, the personal ``link``."""
    event = registration.event
    with force_locale(registration.language or "de"):
        context = dict(
            kind=KIND,
            registration=registration,
            event=event,
            text=body.strip(),
            paragraphs=[part.strip() for part in body.strip().split("\n\n") if part.strip()],
            can_cancel=registration.status in ACTIVE_FOR_CANCEL and now < event.starts_at,
            manage_url=link,
        )
        body_text = render_template("mail/organiser_message.txt", **context)
        body_html = render_template("mail/organiser_message.html", subject=subject, **context)
    return MailContent(
        recipient=registration.email,
        recipient_name=registration.full_name,
        subject=subject.strip(),
        body_text=body_text,
        body_html=body_html,
    )


def send_message(
    session: Session,
    actor: User | None,
    event: Event,
    group: str,
    subject: str,
    body: str,
    send_key: str,
    now: datetime,
) -> OrganiserMessage:
    """Queue one mail per recipient, log who got it, and record it in the audit log.

    Leaves the commit to the caller; the unique ``send_key`` makes a repeated send fail.
    """
    if session.scalar(select(OrganiserMessage.id).where(OrganiserMessage.send_key == send_key)):
        raise AlreadySent()
    people = recipients(session, event.id, group)
    if not people:
        raise NoRecipients()
    message = OrganiserMessage(
        event_id=event.id,
        send_key=send_key,
        group=group,
        subject=subject.strip(),
        body=body.strip(),
        sent_by=actor.email if actor is not None else "system",
        user_id=actor.id if actor is not None else None,
        created_at=now,
        recipient_count=len(people),
    )
    session.add(message)
    for registration in people:
        content = render_message(
            registration, subject, body, now, manage_url(session, registration, now)
        )
        mail = enqueue(session, KIND, content, registration.id)
        session.flush()
        session.add(
            OrganiserMessageRecipient(
                message=message, registration_id=registration.id, outbox_message_id=mail.id
            )
        )
    session.flush()
    record(
        session,
        actor,
        "event.message_sent",
        event,
        {},
        {
            "message_id": message.id,
            "group": group,
            "subject": message.subject,
            "recipients": len(people),
        },
    )
    return message


@dataclass(frozen=True)
class SentTo:
    registration: Registration
    outbox: OutboxMessage | None


def message_log(session: Session, event_id: int) -> list[tuple[OrganiserMessage, list[SentTo]]]:
    """The messages sent for an event, newest first, each with its recipients (two queries)."""
    messages = list(
        session.scalars(
            select(OrganiserMessage)
            .where(OrganiserMessage.event_id == event_id)
            .order_by(OrganiserMessage.created_at.desc(), OrganiserMessage.id.desc())
        )
    )
    by_message: dict[int, list[SentTo]] = {message.id: [] for message in messages}
    if messages:
        rows = session.execute(
            select(OrganiserMessageRecipient.message_id, Registration, OutboxMessage)
            .join(Registration, Registration.id == OrganiserMessageRecipient.registration_id)
            .outerjoin(
                OutboxMessage, OutboxMessage.id == OrganiserMessageRecipient.outbox_message_id
            )
            .where(OrganiserMessageRecipient.message_id.in_(list(by_message)))
            .order_by(Registration.last_name, Registration.first_name, Registration.id)
        )
        for message_id, registration, outbox in rows:
            by_message[message_id].append(SentTo(registration, outbox))
    return [(message, by_message[message.id]) for message in messages]


def group_counts(session: Session, event_id: int) -> dict[str, int]:
    """How many people each group would reach now (one query)."""
    row = session.execute(
        select(
            *[
                func.coalesce(func.sum(case((_group_condition(group), 1), else_=0)), 0)
                for group in GROUPS
            ]
        ).where(Registration.event_id == event_id, Registration.anonymised_at.is_(None))
    ).one()
    return dict(zip(GROUPS, (int(value) for value in row), strict=True))
