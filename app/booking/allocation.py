"""Seats: counting them, giving them out and passing freed ones down the waiting list.

Every function here expects the caller to hold the event's lock (see ``lock_event``), so that
counting and changing happen as one step and no event is ever overbooked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session, lazyload

from app.booking import notify
from app.booking.status import change_status
from app.database import lock_rows
from app.models import (
    SEAT_HOLDING_STATUSES,
    Event,
    Registration,
    RegistrationStatus,
    WaitlistMode,
)

MIN_OFFER_WINDOW = timedelta(hours=1)
# Separates two registrations joining the line under the same lock holder's clock reading.
WAITLIST_TICK = timedelta(microseconds=1)


def lock_event(session: Session, event_id: int) -> Event:
    """Lock the event row (PostgreSQL) within the write transaction begun by ``begin_write``.

    Topics are left to load on demand: nothing under the lock needs them, and every query
    saved there shortens the queue of people waiting for it.
    """
    statement = select(Event).where(Event.id == event_id).options(lazyload(Event.topics))
    return lock_rows(session, statement, of=Event).scalar_one()


def seats_held(session: Session, event_id: int) -> int:
    return session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event_id,
            Registration.status.in_(SEAT_HOLDING_STATUSES),
        )
    )


def seats_held_by_municipality(session: Session, event_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Registration.municipality_key, func.count(Registration.id))
        .where(
            Registration.event_id == event_id,
            Registration.status.in_(SEAT_HOLDING_STATUSES),
        )
        .group_by(Registration.municipality_key)
    )
    return dict(rows.all())


def waitlist_position(session: Session, registration: Registration) -> int | None:
    """1-based place in line, or None when not waiting. Derived, so it never has gaps."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            tuple_(Registration.waitlisted_at, Registration.id)
            < tuple_(registration.waitlisted_at, registration.id),
        )
    )
    return ahead + 1


def waitlist(session: Session, event_id: int) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(Registration.waitlisted_at, Registration.id)
            .execution_options(populate_existing=True)
        )
    )


def join_waitlist(session: Session, event: Event, registration: Registration, now: datetime):
    """Put ``registration`` at the end of the line. Caller holds the lock.

    ``now`` is read before the lock was granted, so a caller that waited longer may carry an
    earlier time than one served before it; the stamp is kept strictly after the last one in
    line so that nobody who was told "position 3" is later pushed back to 4.
    """
    last = session.scalar(
        select(func.max(Registration.waitlisted_at)).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
    )
    registration.waitlisted_at = now if last is None or last < now else last + WAITLIST_TICK
    change_status(registration, RegistrationStatus.WAITLISTED, now)


def under_municipality_limit(event: Event, held_by_municipality: dict[str, int], key: str) -> bool:
    limit = event.max_per_municipality
    return limit is None or held_by_municipality.get(key, 0) < limit


def offer_window(event: Event, now: datetime) -> timedelta:
    """How long a seat is held for the next in line: shorter as the event draws near.

    The configured hours, but at most half the time left until the event starts; never less
    than an hour, yet never past the start (an offer nobody can use any more helps no one).
    """
    window = timedelta(hours=event.offer_hours)
    time_left = event.starts_at - now
    return min(max(MIN_OFFER_WINDOW, min(window, time_left / 2)), time_left)


@dataclass(frozen=True)
class Allocation:
    status: RegistrationStatus
    position: int | None = None


def allocate_seat(session: Session, event: Event, registration: Registration, now: datetime):
    """Give a confirmed e-mail address a seat, or a place in line. Caller holds the lock.

    Anyone already waiting who could take a free seat gets it first: a newcomer never
    overtakes the line.
    """
    fill_free_seats(session, event, now)
    by_municipality = seats_held_by_municipality(session, event.id)
    held = sum(by_municipality.values())
    if held < event.capacity and under_municipality_limit(
        event, by_municipality, registration.municipality_key
    ):
        change_status(registration, RegistrationStatus.CONFIRMED, now)
        session.flush()
        notify.confirmed(session, registration)
        result = Allocation(RegistrationStatus.CONFIRMED)
    else:
        join_waitlist(session, event, registration, now)
        session.flush()
        position = waitlist_position(session, registration)
        notify.waitlisted(session, registration, position)
        result = Allocation(RegistrationStatus.WAITLISTED, position)
    event.updated_at = now
    return result


def fill_free_seats(session: Session, event: Event, now: datetime) -> list[Registration]:
    """Pass free seats to the longest-waiting eligible registrations. Caller holds the lock.

    Eligible means the municipality is still under the event's per-municipality limit; someone
    who is not skips no place in line, they simply wait for a seat they may take.
    """
    if now >= event.starts_at or not event.is_published:
        return []
    by_municipality = seats_held_by_municipality(session, event.id)
    free = event.capacity - sum(by_municipality.values())
    if free <= 0:
        return []
    promoted: list[Registration] = []
    for candidate in waitlist(session, event.id):
        if free <= 0:
            break
        if not under_municipality_limit(event, by_municipality, candidate.municipality_key):
            continue
        if event.waitlist_mode == WaitlistMode.OFFER:
            change_status(candidate, RegistrationStatus.OFFERED, now)
            candidate.offer_expires_at = now + offer_window(event, now)
        else:
            change_status(candidate, RegistrationStatus.CONFIRMED, now)
        by_municipality[candidate.municipality_key] = (
            by_municipality.get(candidate.municipality_key, 0) + 1
        )
        free -= 1
        promoted.append(candidate)
    if promoted:
        event.updated_at = now
        session.flush()
        for registration in promoted:
            if registration.status == RegistrationStatus.OFFERED:
                notify.offered(session, registration)
            else:
                notify.promoted(session, registration)
    return promoted
