"""A person's right to erasure (Art. 17 DSGVO), and the audit entries about such requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.booking.municipality import normalise_email
from app.booking.registration import remove_registration
from app.core.audit import record
from app.core.database import begin_write
from app.intake.consultation import cancel_for_erasure
from app.models import ACTIVE_STATUSES, AuditEntry, User
from app.privacy.personal_data import (
    anonymise_interest,
    anonymise_registration,
    delete_mails,
    forget_feeds,
    interests_of,
    registrations_of,
    scrub_audit,
)


@dataclass(frozen=True)
class ErasureReport:
    registrations: int
    cancelled: int
    mails_deleted: int
    interests: int
    consultations_cancelled: int = 0
    notes_deleted: int = 0
    feeds_deleted: int = 0

    @property
    def anything(self) -> bool:
        return bool(
            self.registrations or self.mails_deleted or self.interests or self.feeds_deleted
        )


def erase_person(session: Session, actor: User | None, email: str, now: datetime) -> ErasureReport:
    """Erase what is stored about an e-mail address on request (Art. 17 DSGVO).

    Registrations for events still to come are cancelled first (the seat passes on, as with
    any cancellation). Then, in one transaction: every registration is anonymised like after
    the retention period; expressions of interest lose their contact details, personal links
    and the office's notes; every mail to the address and every mail about those
    registrations and expressions of interest (the office's copies too) is deleted; the
    personal calendar feed is deleted (its URL answers 404); a booked consultation is
    cancelled through the intake's own rule, so its slot is free again and the office's
    calendar gets the cancellation, written after the details are gone. What stays is listed in
    ``personal_data``. The audit log records the erasure without the address. Leaves the last
    commit to the caller.
    """
    email = normalise_email(email)
    cancelled = _cancel_upcoming(session, email, now)
    begin_write(session)  # commits the cancellations; the erasure is one transaction
    registrations = registrations_of(session, email)
    for registration in registrations:
        before = {"status": registration.status.value}
        anonymise_registration(session, registration, now)
        record(session, actor, "registration.erased", registration, before, {"anonymised": True})
    ids = [registration.id for registration in registrations]
    interests = interests_of(session, email)
    notes = sum(anonymise_interest(session, interest, now) for interest in interests)
    interest_ids = [interest.id for interest in interests]
    session.flush()
    scrub_audit(session, "registration", ids)
    mails = delete_mails(session, ids, email, interest_ids)
    consultations = [cancel_for_erasure(session, interest_id, now) for interest_id in interest_ids]
    feeds = forget_feeds(session, [email])
    report = ErasureReport(
        registrations=len(registrations),
        cancelled=cancelled,
        mails_deleted=mails,
        interests=len(interests),
        consultations_cancelled=sum(booking is not None for booking in consultations),
        notes_deleted=notes,
        feeds_deleted=feeds,
    )
    details = {
        "registrations": report.registrations,
        "cancelled": report.cancelled,
        "mails_deleted": report.mails_deleted,
        "interests": report.interests,
        "consultations_cancelled": report.consultations_cancelled,
        "notes_deleted": report.notes_deleted,
        "feeds_deleted": report.feeds_deleted,
        "registration_ids": ids,
        "interest_ids": interest_ids,
    }
    record_person_action(session, actor, "privacy.erased", now, details)
    return report


def _cancel_upcoming(session: Session, email: str, now: datetime) -> int:
    """Cancel the person's active registrations for events not yet over; how many."""
    cancelled = 0
    for registration in registrations_of(session, email):
        if registration.status in ACTIVE_STATUSES and registration.event.ends_at > now:
            remove_registration(session, registration.id, now)
            cancelled += 1
    session.flush()
    return cancelled


def record_person_action(
    session: Session, actor: User | None, action: str, now: datetime, details: dict
) -> AuditEntry:
    """An audit entry about a person's request; it never repeats the e-mail address."""
    entry = AuditEntry(
        created_at=now,
        user_id=actor.id if actor is not None else None,
        actor=actor.email if actor is not None else "system",
        action=action,
        target_type="person",
        target_id=None,
        event_id=None,
        before="{}",
        after=json.dumps(details, sort_keys=True),
    )
    session.add(entry)
    return entry


def recent_erasures(session: Session, limit: int = 20) -> list[tuple[AuditEntry, dict]]:
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "privacy.erased")
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [(entry, json.loads(entry.after or "{}")) for entry in entries]
