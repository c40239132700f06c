"""A person's stored data, found by e-mail address, and the steps that remove it.

Retention (``retention``), access (``access``) and erasure (``erasure``) share these. What stays
after anonymisation: the event, status, attendance, municipality, Land, AGS and the
municipality key. They describe a municipality's participation, not a person, and the
statistics count them.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, ExpressionOfInterest, OutboxMessage, Registration
from app.models.registration import new_token

ANONYMISED = "anonymisiert"
# Keys of audit snapshots that hold personal data of a registration or an interest.
PERSONAL_KEYS = ("first_name", "last_name", "email", "role", "phone")


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
            .where(ExpressionOfInterest.email_normalised == email)
            .order_by(ExpressionOfInterest.created_at, ExpressionOfInterest.id)
        )
    )


def anonymised_email(kind: str, row_id: int) -> str:
    # Unique per row (the active-registration index is unique per e-mail and event) and in
    # the reserved .invalid domain, so nothing can ever be sent there.
    return f"{ANONYMISED}-{kind}-{row_id}@anonym.invalid"


def anonymise_registration(registration: Registration, now: datetime) -> None:
    registration.first_name = ANONYMISED
    registration.last_name = ""
    registration.email = anonymised_email("r", registration.id)
    registration.email_normalised = registration.email
    registration.role = ""
    # The old link (in mails already delivered) must open nothing any more.
    registration.token = new_token()
    registration.anonymised_at = now


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


def delete_mails(session: Session, registration_ids: list[int], email: str | None = None) -> int:
    """Delete the outbox mails about these registrations, or sent to ``email``."""
    conditions = []
    if registration_ids:
        conditions.append(OutboxMessage.registration_id.in_(registration_ids))
    if email:
        conditions.append(func.lower(OutboxMessage.recipient) == email)
    if not conditions:
        return 0
    result = session.execute(
        delete(OutboxMessage).where(or_(*conditions)).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
