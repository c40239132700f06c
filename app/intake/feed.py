"""Consultation slots in the organisers' calendar feed: its entries and its cache validator.

The feed itself belongs to ``app.feeds``; this module adds what the intake knows. The
validator part is one aggregate query, so a client whose copy is current gets its 304 (RFC 9110,
section 13.1.2) without anything being built (docs/calendar.md), and a booking or a cancellation
changes the ETag.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.calendar.feeds import END_CALENDAR
from app.intake.consultation import organiser_slots
from app.intake.invites import slot_vevent
from app.models import ConsultationBooking, ConsultationSlot, SlotStatus


def _published_since(since: datetime):
    return (ConsultationSlot.status == SlotStatus.PUBLISHED, ConsultationSlot.starts_at >= since)


def slots_since(session: Session, since: datetime) -> list:
    """Every organiser's published slots from ``since`` on, each with its active booking."""
    emails = session.scalars(
        select(ConsultationSlot.organiser_email).where(*_published_since(since)).distinct()
    ).all()
    pairs = [pair for email in sorted(emails) for pair in organiser_slots(session, email, since)]
    return sorted(pairs, key=lambda pair: (pair[0].starts_at, pair[0].id))


def slots_fingerprint(session: Session, since: datetime) -> tuple[str, datetime | None]:
    """What changes whenever the slots part of the feed changes, and the latest such change."""
    slot_ids = select(ConsultationSlot.id).where(*_published_since(since))
    slots = session.execute(
        select(
            func.count(ConsultationSlot.id),
            func.coalesce(func.sum(ConsultationSlot.id), 0),
            func.max(ConsultationSlot.created_at),
        ).where(*_published_since(since))
    ).one()
    bookings = session.execute(
        select(
            func.count(ConsultationBooking.id),
            func.coalesce(func.sum(ConsultationBooking.id), 0),
            func.coalesce(func.sum(ConsultationBooking.invite_sequence), 0),
            func.max(ConsultationBooking.created_at),
            func.max(ConsultationBooking.cancelled_at),
        ).where(ConsultationBooking.slot_id.in_(slot_ids))
    ).one()
    # Booked and cancelled bookings differ in status only by cancelled_at and the sequence.
    seed = "|".join(str(value) for value in (*slots, *bookings))
    times = [_aware(value) for value in (slots[2], bookings[3], bookings[4])]
    latest = max((value for value in times if value is not None), default=None)
    return hashlib.sha256(seed.encode()).hexdigest()[:16], latest


def slot_vevents(session: Session, since: datetime, now: datetime) -> bytes:
    """The VEVENTs of every organiser's slots (booked: busy, free: transparent), as bytes."""
    return b"".join(
        slot_vevent(slot, booking, now, show_organiser=True).to_ical()
        for slot, booking in slots_since(session, since)
    )


def with_vevents(feed: bytes, vevents: bytes) -> bytes:
    """``feed`` (a whole VCALENDAR) with ``vevents`` added at its end."""
    if not vevents:
        return feed
    return feed[: -len(END_CALENDAR)] + vevents + END_CALENDAR


def _aware(value) -> datetime | None:
    # Aggregates bypass the column type: SQLite hands back naive UTC (or a string).
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
