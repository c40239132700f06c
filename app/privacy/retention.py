"""Anonymising registrations once the retention period after their event has passed (DSGVO)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.audit import record
from app.models import Event, Registration
from app.privacy.personal_data import anonymise_registration, delete_mails, scrub_audit


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
    scrub_audit(session, "registration", ids)
    mails = delete_mails(session, ids)
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
