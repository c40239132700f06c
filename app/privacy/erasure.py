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
from app.models import ACTIVE_STATUSES, AuditEntry, ExpressionOfInterest, User
from app.models.registration import new_token
from app.privacy.personal_data import (
    ANONYMISED,
    anonymise_registration,
    anonymised_email,
    delete_mails,
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

    @property
    def anything(self) -> bool:
        return bool(self.registrations or self.mails_deleted or self.interests)


def erase_person(session: Session, actor: User | None, email: str, now: datetime) -> ErasureReport:
    """Erase what is stored about an e-mail address on request (Art. 17 DSGVO).

    Registrations for events still to come are cancelled first (the seat passes on, as with
    any cancellation); then every registration is anonymised like after the retention
    period, the person's mails are deleted, and expressions of interest lose their contact
    details. The audit log records the erasure without the address. Leaves the last commit to
    the caller.
    """
    email = normalise_email(email)
    cancelled = _cancel_upcoming(session, email, now)
    begin_write(session)  # commits the cancellations; the erasure is one transaction
    registrations = registrations_of(session, email)
    for registration in registrations:
        before = {"status": registration.status.value}
        anonymise_registration(registration, now)
        record(session, actor, "registration.erased", registration, before, {"anonymised": True})
    ids = [registration.id for registration in registrations]
    interests = interests_of(session, email)
    for interest in interests:
        _anonymise_interest(interest)
    session.flush()
    scrub_audit(session, "registration", ids)
    mails = delete_mails(session, ids, email)
    report = ErasureReport(len(registrations), cancelled, mails, len(interests))
    details = {
        "registrations": report.registrations,
        "cancelled": report.cancelled,
        "mails_deleted": report.mails_deleted,
        "interests": report.interests,
        "registration_ids": ids,
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


def _anonymise_interest(interest: ExpressionOfInterest) -> None:
    interest.first_name = ANONYMISED
    interest.last_name = ""
    interest.email = anonymised_email("i", interest.id)
    interest.email_normalised = interest.email
    interest.phone = ""
    interest.role = ""
    interest.message = ""
    # The personal link in mails already delivered must open nothing any more.
    interest.token = new_token()


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
