"""A person's right of access (Art. 15 DSGVO): everything stored about an e-mail address."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.booking.municipality import normalise_email
from app.feedback.rules import answer_export
from app.models import (
    AuditEntry,
    ConsultationBooking,
    ConsultationSlot,
    ExpressionOfInterest,
    InterestNote,
    OutboxMessage,
    Registration,
)
from app.privacy.personal_data import interests_of, registrations_of

REGISTRATION_EXPORT = (
    "id",
    "status",
    "first_name",
    "last_name",
    "email",
    "role",
    "language",
    "municipality",
    "state",
    "ags",
    "created_at",
    "consent_at",
    "email_confirmed_at",
    "waitlisted_at",
    "offer_expires_at",
    "status_changed_at",
    "attendance",
    "checked_in_at",
)
OUTBOX_EXPORT = (
    "kind",
    "recipient",
    "recipient_name",
    "subject",
    "body_text",
    "status",
    "created_at",
    "sent_at",
)
INTEREST_EXPORT = (
    "id",
    "status",
    "stage",
    "municipality_name",
    "state",
    "ags",
    "size_class",
    "strategy_stage",
    "message",
    "first_name",
    "last_name",
    "email",
    "phone",
    "role",
    "language",
    "created_at",
    "consent_at",
    "confirmed_at",
    "contacted_at",
)


def _iso(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _row(obj, names) -> dict:
    return {name: _iso(getattr(obj, name)) for name in names}


def export_person(session: Session, email: str, now: datetime) -> dict:
    """Everything stored about an e-mail address, as JSON-ready data (Art. 15 DSGVO)."""
    email = normalise_email(email)
    registrations = registrations_of(session, email)
    ids = [registration.id for registration in registrations]
    interests = interests_of(session, email)
    mails = _mails_of(session, email, ids, [interest.id for interest in interests])
    return {
        "email": email,
        "exported_at": now.isoformat(),
        "registrations": [
            _registration_entry(session, registration) for registration in registrations
        ],
        "mails": [_row(mail, OUTBOX_EXPORT) for mail in mails],
        "interests": _interest_entries(session, interests),
        "changes": [_change_entry(entry) for entry in _changes_of(session, ids)],
    }


def summary(data: dict) -> dict[str, int]:
    return {key: len(data[key]) for key in ("registrations", "mails", "interests")}


# --- registrations, their mails and changes ------------------------------------------------


def _registration_entry(session: Session, registration: Registration) -> dict:
    event = registration.event
    return {
        **_row(registration, REGISTRATION_EXPORT),
        "event": {
            "title": event.title,
            "slug": event.slug,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat(),
        },
        "feedback": answer_export(session, registration),
    }


def _mails_of(
    session: Session, email: str, registration_ids: list[int], interest_ids: list[int]
) -> list[OutboxMessage]:
    """The mails to the address and about its registrations and expressions of interest (the
    office's copies of consultation mails name the person too)."""
    conditions = [func.lower(OutboxMessage.recipient) == email]
    if registration_ids:
        conditions.append(OutboxMessage.registration_id.in_(registration_ids))
    if interest_ids:
        conditions.append(OutboxMessage.interest_id.in_(interest_ids))
    return list(
        session.scalars(select(OutboxMessage).where(or_(*conditions)).order_by(OutboxMessage.id))
    )


def _changes_of(session: Session, registration_ids: list[int]) -> list[AuditEntry]:
    if not registration_ids:
        return []
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.target_type == "registration",
                AuditEntry.target_id.in_(registration_ids),
            )
            .order_by(AuditEntry.created_at, AuditEntry.id)
        )
    )


def _change_entry(entry: AuditEntry) -> dict:
    return {
        "at": entry.created_at.isoformat(),
        "action": entry.action,
        "registration_id": entry.target_id,
    }


# --- expressions of interest, their notes and consultations --------------------------------


def _interest_entries(session: Session, interests: list[ExpressionOfInterest]) -> list[dict]:
    ids = [interest.id for interest in interests]
    notes = _notes_by_interest(session, ids)
    consultations = _consultations_by_interest(session, ids)
    return [
        {
            **_row(interest, INTEREST_EXPORT),
            "municipality": interest.municipality.name,
            "topics": [topic.name for topic in interest.topics],
            "notes": notes.get(interest.id, []),
            "consultations": consultations.get(interest.id, []),
        }
        for interest in interests
    ]


def _notes_by_interest(session: Session, interest_ids: list[int]) -> dict[int, list[dict]]:
    by_interest: dict[int, list[dict]] = defaultdict(list)
    if not interest_ids:
        return by_interest
    notes = session.scalars(
        select(InterestNote)
        .where(InterestNote.interest_id.in_(interest_ids))
        .order_by(InterestNote.at)
    )
    for note in notes:
        by_interest[note.interest_id].append(
            {"at": note.at.isoformat(), "author": note.author, "text": note.text}
        )
    return by_interest


def _consultations_by_interest(session: Session, interest_ids: list[int]) -> dict[int, list[dict]]:
    by_interest: dict[int, list[dict]] = defaultdict(list)
    if not interest_ids:
        return by_interest
    rows = session.execute(
        select(ConsultationBooking, ConsultationSlot)
        .join(ConsultationSlot, ConsultationSlot.id == ConsultationBooking.slot_id)
        .where(ConsultationBooking.interest_id.in_(interest_ids))
        .order_by(ConsultationSlot.starts_at)
    )
    for booking, slot in rows:
        by_interest[booking.interest_id].append(
            {
                "starts_at": slot.starts_at.isoformat(),
                "duration_minutes": slot.duration_minutes,
                "channel": _iso(slot.channel),
                "organiser": slot.organiser_name,
                "status": _iso(booking.status),
                "booked_at": booking.created_at.isoformat(),
            }
        )
    return by_interest
