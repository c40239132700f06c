"""DSGVO: anonymising registrations after the retention period, and a person's rights to
access (Art. 15) and erasure (Art. 17), all keyed by e-mail address.

What stays after anonymisation: the event, status, attendance, municipality, Land, AGS and
the municipality key. They describe a municipality's participation, not a person, and the
statistics count them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.booking.municipality import normalise_email
from app.booking.registration import remove_registration
from app.core.audit import record
from app.core.database import begin_write
from app.models import (
    ACTIVE_STATUSES,
    AuditEntry,
    ConsultationBooking,
    ConsultationSlot,
    Event,
    ExpressionOfInterest,
    InterestNote,
    OutboxMessage,
    Registration,
    User,
)
from app.models.registration import new_token

ANONYMISED = "anonymisiert"
# Keys of audit snapshots that hold personal data of a registration or an interest.
PERSONAL_KEYS = ("first_name", "last_name", "email", "role", "phone")


def anonymised_email(kind: str, row_id: int) -> str:
    # Unique per row (the active-registration index is unique per e-mail and event) and in
    # the reserved .invalid domain, so nothing can ever be sent there.
    return f"{ANONYMISED}-{kind}-{row_id}@anonym.invalid"


def months_before(moment: datetime, months: int) -> datetime:
    """The same clock time ``months`` calendar months earlier (day capped at the month end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - date(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


# --- anonymising ---------------------------------------------------------------------------


def anonymise_registration(registration: Registration, now: datetime) -> None:
    registration.first_name = ANONYMISED
    registration.last_name = ""
    registration.email = anonymised_email("r", registration.id)
    registration.email_normalised = registration.email
    registration.role = ""
    # The old link (in mails already delivered) must open nothing any more.
    registration.token = new_token()
    registration.anonymised_at = now


def _scrub_audit(session: Session, target_type: str, ids: list[int]) -> int:
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


def _delete_mails(session: Session, registration_ids: list[int], email: str | None = None) -> int:
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


@dataclass(frozen=True)
class AnonymiseReport:
    events: int
    registrations: int
    mails_deleted: int

    def __str__(self) -> str:
        return (
            f"{self.registrations} registrations of {self.events} events anonymised, "
            f"{self.mails_deleted} mails deleted"
        )


def anonymise_expired(session: Session, now: datetime, months: int) -> AnonymiseReport:
    """Anonymise the registrations of events that ended more than ``months`` months ago.

    Idempotent (anonymised registrations are left alone), so cron may run it daily. Leaves
    the commit to the caller.
    """
    cutoff = months_before(now, months)
    registrations = list(
        session.scalars(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(Event.ends_at < cutoff, Registration.anonymised_at.is_(None))
            .order_by(Registration.event_id, Registration.id)
        )
    )
    per_event: dict[int, int] = {}
    for registration in registrations:
        anonymise_registration(registration, now)
        per_event[registration.event_id] = per_event.get(registration.event_id, 0) + 1
    ids = [registration.id for registration in registrations]
    session.flush()
    _scrub_audit(session, "registration", ids)
    mails = _delete_mails(session, ids)
    for event_id, number in per_event.items():
        event = session.get(Event, event_id)
        record(
            session,
            None,
            "event.registrations_anonymised",
            event,
            {},
            {"registrations": number, "retention_months": months},
        )
    return AnonymiseReport(len(per_event), len(registrations), mails)


# --- Art. 15: access -----------------------------------------------------------------------


def _iso(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _row(obj, names) -> dict:
    return {name: _iso(getattr(obj, name)) for name in names}


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
OUTBOX_EXPORT = ("kind", "recipient", "subject", "body_text", "status", "created_at", "sent_at")
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


def _registrations_of(session: Session, email: str) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.email_normalised == email, Registration.anonymised_at.is_(None))
            .order_by(Registration.created_at, Registration.id)
        )
    )


def _interests_of(session: Session, email: str) -> list[ExpressionOfInterest]:
    return list(
        session.scalars(
            select(ExpressionOfInterest)
            .where(ExpressionOfInterest.email_normalised == email)
            .order_by(ExpressionOfInterest.created_at, ExpressionOfInterest.id)
        )
    )


def _mails_of(session: Session, email: str, registration_ids: list[int]) -> list[OutboxMessage]:
    conditions = [func.lower(OutboxMessage.recipient) == email]
    if registration_ids:
        conditions.append(OutboxMessage.registration_id.in_(registration_ids))
    return list(
        session.scalars(select(OutboxMessage).where(or_(*conditions)).order_by(OutboxMessage.id))
    )


def export_person(session: Session, email: str, now: datetime) -> dict:
    """Everything stored about an e-mail address, as JSON-ready data (Art. 15 DSGVO)."""
    email = normalise_email(email)
    registrations = _registrations_of(session, email)
    ids = [registration.id for registration in registrations]
    interests = _interests_of(session, email)
    interest_ids = [interest.id for interest in interests]
    bookings = (
        session.execute(
            select(ConsultationBooking, ConsultationSlot)
            .join(ConsultationSlot, ConsultationSlot.id == ConsultationBooking.slot_id)
            .where(ConsultationBooking.interest_id.in_(interest_ids))
            .order_by(ConsultationSlot.starts_at)
        ).all()
        if interest_ids
        else []
    )
    notes = (
        list(
            session.scalars(
                select(InterestNote)
                .where(InterestNote.interest_id.in_(interest_ids))
                .order_by(InterestNote.at)
            )
        )
        if interest_ids
        else []
    )
    audit = (
        list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.target_type == "registration", AuditEntry.target_id.in_(ids))
                .order_by(AuditEntry.created_at, AuditEntry.id)
            )
        )
        if ids
        else []
    )
    return {
        "email": email,
        "exported_at": now.isoformat(),
        "registrations": [
            {
                **_row(registration, REGISTRATION_EXPORT),
                "event": {
                    "title": registration.event.title,
                    "slug": registration.event.slug,
                    "starts_at": registration.event.starts_at.isoformat(),
                    "ends_at": registration.event.ends_at.isoformat(),
                },
            }
            for registration in registrations
        ],
        "mails": [_row(mail, OUTBOX_EXPORT) for mail in _mails_of(session, email, ids)],
        "interests": [
            {
                **_row(interest, INTEREST_EXPORT),
                "municipality": interest.municipality.name,
                "topics": [topic.name for topic in interest.topics],
                "notes": [
                    {"at": note.at.isoformat(), "author": note.author, "text": note.text}
                    for note in notes
                    if note.interest_id == interest.id
                ],
                "consultations": [
                    {
                        "starts_at": slot.starts_at.isoformat(),
                        "duration_minutes": slot.duration_minutes,
                        "channel": _iso(slot.channel),
                        "organiser": slot.organiser_name,
                        "status": _iso(booking.status),
                        "booked_at": booking.created_at.isoformat(),
                    }
                    for booking, slot in bookings
                    if booking.interest_id == interest.id
                ],
            }
            for interest in interests
        ],
        "changes": [
            {
                "at": entry.created_at.isoformat(),
                "action": entry.action,
                "registration_id": entry.target_id,
            }
            for entry in audit
        ],
    }


def summary(data: dict) -> dict[str, int]:
    return {key: len(data[key]) for key in ("registrations", "mails", "interests")}


# --- Art. 17: erasure ----------------------------------------------------------------------


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
    cancelled = 0
    for registration in _registrations_of(session, email):
        if registration.status in ACTIVE_STATUSES and registration.event.ends_at > now:
            remove_registration(session, registration.id, now)
            cancelled += 1
    session.flush()
    begin_write(session)  # commits the cancellations; the erasure is one transaction
    registrations = _registrations_of(session, email)
    for registration in registrations:
        before = {"status": registration.status.value}
        anonymise_registration(registration, now)
        record(session, actor, "registration.erased", registration, before, {"anonymised": True})
    ids = [registration.id for registration in registrations]
    interests = _interests_of(session, email)
    for interest in interests:
        interest.first_name = ANONYMISED
        interest.last_name = ""
        interest.email = anonymised_email("i", interest.id)
        interest.email_normalised = interest.email
        interest.phone = ""
        interest.role = ""
        interest.message = ""
        interest.token = new_token()
    session.flush()
    _scrub_audit(session, "registration", ids)
    mails = _delete_mails(session, ids, email)
    report = ErasureReport(len(registrations), cancelled, mails, len(interests))
    record_person_action(
        session,
        actor,
        "privacy.erased",
        now,
        {
            "registrations": report.registrations,
            "cancelled": report.cancelled,
            "mails_deleted": report.mails_deleted,
            "interests": report.interests,
            "registration_ids": ids,
        },
    )
    return report


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
