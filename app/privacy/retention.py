"""Removing personal data once its retention period has passed (DSGVO Art. 5(1)(e)).

Registrations are anonymised ``ANONYMISE_AFTER_MONTHS`` after their event ended; expressions of
interest (with their consultations, notes and mails) ``INTEREST_RETENTION_MONTHS`` after the
last thing that happened to them; the bodies of delivered mails, which carry personal links,
are emptied ``MAIL_BODY_RETENTION_DAYS`` after delivery (a housekeeping job of the worker).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.core.audit import record
from app.core.database import begin_write
from app.models import (
    ConsultationBooking,
    ConsultationSlot,
    Event,
    ExpressionOfInterest,
    InterestNote,
    OutboxMessage,
    OutboxStatus,
    Registration,
)
from app.privacy.personal_data import (
    addresses_without_registrations,
    anonymise_interest,
    anonymise_registration,
    delete_mails,
    forget_feeds,
    scrub_audit,
)

log = logging.getLogger(__name__)


def months_before(moment: datetime, months: int) -> datetime:
    """The same clock time ``months`` calendar months earlier (day capped at the month end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - date(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


@dataclass(frozen=True)
class AnonymiseReport:
    events: int
    registrations: int
    mails_deleted: int
    interests: int = 0
    feeds_deleted: int = 0

    def __str__(self) -> str:
        return (
            f"{self.registrations} registrations of {self.events} events anonymised, "
            f"{self.interests} expressions of interest anonymised, "
            f"{self.mails_deleted} mails deleted, {self.feeds_deleted} personal feeds deleted"
        )


def anonymise_expired(
    session: Session, now: datetime, months: int, interest_months: int | None = None
) -> AnonymiseReport:
    """Anonymise what has outlived its retention period.

    Registrations of events that ended more than ``months`` months ago; expressions of interest
    with nothing happening to them for ``interest_months`` (default
    ``INTEREST_RETENTION_MONTHS``); the personal feeds of addresses left without any
    registration. Idempotent (anonymised rows are left alone), so cron may run it daily.
    Leaves the commit to the caller.
    """
    if interest_months is None:
        interest_months = current_app.config["INTEREST_RETENTION_MONTHS"]
    cutoff = months_before(now, months)
    registrations = list(
        session.scalars(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(Event.ends_at < cutoff, Registration.anonymised_at.is_(None))
            .order_by(Registration.event_id, Registration.id)
        )
    )
    emails = sorted({registration.email_normalised for registration in registrations})
    per_event: dict[int, int] = {}
    for registration in registrations:
        anonymise_registration(session, registration, now)
        per_event[registration.event_id] = per_event.get(registration.event_id, 0) + 1
    ids = [registration.id for registration in registrations]
    session.flush()
    scrub_audit(session, "registration", ids)
    mails = delete_mails(session, ids)
    feeds = forget_feeds(session, addresses_without_registrations(session, emails))
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
    interests, interest_mails = anonymise_idle_interests(
        session, now, months_before(now, interest_months)
    )
    return AnonymiseReport(
        len(per_event), len(registrations), mails + interest_mails, interests, feeds
    )


def idle_interests(session: Session, cutoff: datetime) -> list[ExpressionOfInterest]:
    """Expressions of interest with personal data where nothing happened since ``cutoff``:
    not submitted, moved, noted on, nor a consultation held or booked for later."""
    last_note = (
        select(func.max(InterestNote.at))
        .where(InterestNote.interest_id == ExpressionOfInterest.id)
        .scalar_subquery()
    )
    last_consultation = (
        select(func.max(ConsultationSlot.starts_at))
        .join(ConsultationBooking, ConsultationBooking.slot_id == ConsultationSlot.id)
        .where(ConsultationBooking.interest_id == ExpressionOfInterest.id)
        .scalar_subquery()
    )
    return list(
        session.scalars(
            select(ExpressionOfInterest)
            .where(
                ExpressionOfInterest.anonymised_at.is_(None),
                ExpressionOfInterest.created_at < cutoff,
                ExpressionOfInterest.stage_changed_at < cutoff,
                or_(last_note.is_(None), last_note < cutoff),
                or_(last_consultation.is_(None), last_consultation < cutoff),
            )
            .order_by(ExpressionOfInterest.id)
        )
    )


def anonymise_idle_interests(session: Session, now: datetime, cutoff: datetime) -> tuple[int, int]:
    """Anonymise the idle expressions of interest, their notes, links and mails (the office's
    copies too). Consultations stay, as counts. Returns (interests, mails deleted)."""
    interests = idle_interests(session, cutoff)
    for interest in interests:
        anonymise_interest(session, interest, now)
    session.flush()
    mails = delete_mails(session, [], interest_ids=[interest.id for interest in interests])
    return len(interests), mails


def mail_body_days() -> int:
    return current_app.config["MAIL_BODY_RETENTION_DAYS"]


def blank_delivered_mails(session: Session, now: datetime) -> int:
    """Empty the text, HTML and invitation of mails delivered ``MAIL_BODY_RETENTION_DAYS`` ago.

    They carry the recipient's personal link and what the mail said about them; once the mail
    is in the person's mailbox the copy here serves nothing but a backup's reader. Recipient,
    subject, kind and delivery status stay, to show what was sent when.
    """
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.sent_at < now - timedelta(days=mail_body_days()),
            or_(
                OutboxMessage.body_text != "",
                OutboxMessage.body_html != "",
                OutboxMessage.ics != "",
            ),
        )
        .values(body_text="", body_html="", ics="")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def blank_mails_job(session: Session, now: datetime) -> int:
    """The worker's housekeeping job: empty old delivered mails and commit."""
    begin_write(session)
    blanked = blank_delivered_mails(session, now)
    session.commit()
    if blanked:
        log.info("emptied the bodies of %d delivered mail(s)", blanked)
    return blanked
