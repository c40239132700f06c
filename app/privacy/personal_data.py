"""A person's stored data, found by e-mail address, and the steps that remove it.

Retention (``retention``), access (``access``) and erasure (``erasure``) share these; what each
column holds and how it is removed is written down once, in ``registry``. What stays after
anonymisation: of a registration the event, status, attendance, municipality, Land, AGS and
the municipality key; of an expression of interest the municipality, Land, AGS, size class,
strategy stage, topics, stage, dates and its consultations (cancelled or held, with their
slots). They describe a municipality's participation, not a person, and the statistics count
them.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.booking import links as registration_links
from app.feedback.rules import forget_registrations
from app.feeds.tokens import delete_personal_tokens
from app.intake import links as interest_links
from app.models import (
    AuditEntry,
    ExpressionOfInterest,
    InterestNote,
    OutboxMessage,
    Registration,
)
from app.models.registration import new_checkin_code
from app.privacy.registry import ANONYMISED, PERSONAL_KEYS, scrub_row


def registrations_of(session: Session, email: str) -> list[Registration]:
    """The registrations of a normalised e-mail address that still hold personal data."""
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.email_normalised == email, Registration.anonymised_at.is_(None))
            .order_by(Registration.created_at, Registration.id)
        )
    )


def interests_of(session: Session, email: str) -> list[ExpressionOfInterest]:
    return list(
        session.scalars(
            select(ExpressionOfInterest)
            .where(
                ExpressionOfInterest.email_normalised == email,
                ExpressionOfInterest.anonymised_at.is_(None),
            )
            .order_by(ExpressionOfInterest.created_at, ExpressionOfInterest.id)
        )
    )


def anonymise_registration(session: Session, registration: Registration, now: datetime) -> None:
    """Remove the person from a registration; its links (in mails already delivered) and its
    check-in code open nothing any more; a feedback answer stays, no longer tied to it."""
    scrub_row(registration, "r")
    registration.checkin_code = new_checkin_code()
    registration.anonymised_at = now
    registration_links.revoke_links(session, [registration.id])
    forget_registrations(session, [registration.id])


def anonymise_interest(session: Session, interest: ExpressionOfInterest, now: datetime) -> int:
    """Remove the contact person from an expression of interest: their details, their links
    and the office's notes (which may name them). Returns the notes deleted."""
    scrub_row(interest, "i")
    interest.anonymised_at = now
    interest_links.revoke_links(session, [interest.id])
    result = session.execute(
        delete(InterestNote)
        .where(InterestNote.interest_id == interest.id)
        .execution_options(synchronize_session=False)
    )
    session.expire(interest, ["notes"])
    return result.rowcount or 0


def scrub_audit(session: Session, target_type: str, ids: list[int]) -> int:
    """Remove personal values from audit snapshots of these targets; keeps the rest."""
    if not ids:
        return 0
    changed = 0
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.target_type == target_type, AuditEntry.target_id.in_(ids)
        )
    )
    for entry in entries:
        for side in ("before", "after"):
            data = json.loads(getattr(entry, side) or "{}")
            if isinstance(data, dict) and any(key in data for key in PERSONAL_KEYS):
                for key in PERSONAL_KEYS:
                    if key in data:
                        data[key] = ANONYMISED
                setattr(entry, side, json.dumps(data, ensure_ascii=False, sort_keys=True))
                changed += 1
    return changed


def delete_mails(
    session: Session,
    registration_ids: list[int],
    email: str | None = None,
    interest_ids: list[int] | None = None,
) -> int:
    """Delete the outbox mails about these registrations or expressions of interest (the
    office's copies included), or sent to ``email``."""
    conditions = []
    if registration_ids:
        conditions.append(OutboxMessage.registration_id.in_(registration_ids))
    if interest_ids:
        conditions.append(OutboxMessage.interest_id.in_(interest_ids))
    if email:
        conditions.append(func.lower(OutboxMessage.recipient) == email)
    if not conditions:
        return 0
    result = session.execute(
        delete(OutboxMessage).where(or_(*conditions)).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def forget_feeds(session: Session, emails: list[str]) -> int:
    """Delete the personal feeds of these addresses: the URLs answer 404 from now on."""
    return delete_personal_tokens(session, emails)


def addresses_without_registrations(session: Session, emails: list[str]) -> list[str]:
    """Those of ``emails`` that no registration with personal data has any more."""
    if not emails:
        return []
    still = set(
        session.scalars(
            select(Registration.email_normalised).where(
                Registration.email_normalised.in_(emails), Registration.anonymised_at.is_(None)
            )
        )
    )
    return [email for email in emails if email not in still]
