"""Reminder mails before an event: when they are due, who gets which, and the opt-out.

Each event names its reminders in days before the start (``Event.reminder_days``, "7,1"). The
worker queues each reminder once per confirmed participant: a row in ``reminder_deliveries``
is written in the transaction that queues the mail, and its unique constraint (registration,
days) lets only one of several workers, or one run after a restart, queue it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.booking.compose import compose
from app.core.database import begin_write, lock_rows
from app.mail.outbox import enqueue
from app.models import (
    Event,
    EventMode,
    EventStatus,
    Registration,
    ReminderDelivery,
    ReminderOptOut,
)
from app.models import RegistrationStatus as S

MAX_DAYS = 90
ONLINE_MODES = (EventMode.ONLINE, EventMode.HYBRID)


class InvalidReminderDays(ValueError):
    """Not a list of whole days between 1 and ``MAX_DAYS``."""


def parse_reminder_days(text: str) -> list[int]:
    """ "7, 1" -> [7, 1]: distinct days, the earliest reminder first; "" -> [] (none)."""
    days = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= MAX_DAYS:
            raise InvalidReminderDays(part)
        days.add(int(part))
    return sorted(days, reverse=True)


def format_reminder_days(days: list[int]) -> str:
    return ", ".join(str(day) for day in days)


def event_reminder_days(event: Event) -> list[int]:
    try:
        return parse_reminder_days(event.reminder_days)
    except InvalidReminderDays:  # stored by an older version or by hand: send none
        return []


def online_link_for(event: Event, registration: Registration) -> str:
    """The online link, for online and hybrid events and only to confirmed participants."""
    if event.mode in ONLINE_MODES and registration.status == S.CONFIRMED:
        return event.online_url
    return ""


def reminders_ahead(event: Event, now: datetime) -> bool:
    """Whether a reminder can still come: a missed one goes out late, but never after the start."""
    return now < event.starts_at


def current_reminder(event: Event, now: datetime) -> int | None:
    """The latest reminder whose time has come, while the event has not started.

    Earlier reminders missed (the worker was down) are not sent on top of it: one reminder
    now says what both would have said.
    """
    if not reminders_ahead(event, now):
        return None
    due = [
        days for days in event_reminder_days(event) if event.starts_at - timedelta(days=days) <= now
    ]
    return min(due) if due else None


def send_due_reminders(session: Session, now: datetime) -> int:
    """Queue every reminder that is due now; returns how many. Commits each one on its own."""
    events = session.scalars(
        select(Event).where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= now + timedelta(days=MAX_DAYS),
            Event.reminder_days != "",
        )
    ).all()
    due = [(event, current_reminder(event, now)) for event in events]
    session.commit()  # end the read transaction before begin_write
    queued = 0
    for event, days in due:
        if days is None:
            continue
        for registration_id in _recipients(session, event, days):
            queued += _queue_reminder(session, registration_id, days, now)
    return queued


def _recipients(session: Session, event: Event, days: int) -> list[int]:
    """Confirmed before the reminder's time, not opted out, no reminder this late or later yet.

    Someone confirmed after the reminder's time gets no stale one for it (their confirmation
    mail is newer); ``status_changed_at`` of a confirmed registration is when it was confirmed.
    """
    due_at = event.starts_at - timedelta(days=days)
    ids = list(
        session.scalars(
            select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.status == S.CONFIRMED,
                Registration.status_changed_at <= due_at,
                ~exists().where(ReminderOptOut.registration_id == Registration.id),
                ~exists().where(
                    ReminderDelivery.registration_id == Registration.id,
                    ReminderDelivery.days_before <= days,
                ),
            )
        )
    )
    session.commit()
    return ids


def _queue_reminder(session: Session, registration_id: int, days: int, now: datetime) -> int:
    """One reminder in one transaction: the delivery row and the outbox row, or neither."""
    begin_write(session)
    registration = lock_rows(
        session,
        select(Registration).where(
            Registration.id == registration_id, Registration.status == S.CONFIRMED
        ),
        # PostgreSQL: a participant another worker is reminding right now is theirs.
        skip_locked=True,
        of=Registration,
    ).scalar_one_or_none()
    if registration is None or session.get(ReminderOptOut, registration_id) is not None:
        session.rollback()
        return 0
    session.add(ReminderDelivery(registration_id=registration_id, days_before=days, queued_at=now))
    try:
        session.flush()
    except IntegrityError:  # another worker queued it first and has committed
        session.rollback()
        return 0
    event = registration.event
    content = compose(
        "reminder",
        registration,
        days=days,
        online_url=online_link_for(event, registration),
    )
    enqueue(session, "reminder", content, registration.id)
    session.commit()
    return 1


def reminders_off(session: Session, registration: Registration) -> bool:
    return session.get(ReminderOptOut, registration.id) is not None


def set_reminders(session: Session, registration: Registration, wanted: bool, now: datetime):
    """Turn reminder mails on or off for this registration; the caller commits."""
    if wanted:
        session.execute(
            delete(ReminderOptOut).where(ReminderOptOut.registration_id == registration.id)
        )
    elif not reminders_off(session, registration):
        session.add(ReminderOptOut(registration_id=registration.id, created_at=now))


def reminder_counts(session: Session, event_id: int) -> list[tuple[int, int]]:
    """Per reminder (days before, earliest first): to how many people it went."""
    rows = session.execute(
        select(ReminderDelivery.days_before, func.count())
        .join(Registration, Registration.id == ReminderDelivery.registration_id)
        .where(Registration.event_id == event_id)
        .group_by(ReminderDelivery.days_before)
        .order_by(ReminderDelivery.days_before.desc())
    )
    return [(days, count) for days, count in rows]
