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
from app.booking.fairness import NO_PRIORITY, Claimant, Standing, standings
from app.booking.status import change_status
from app.core.database import lock_rows
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
# Within one priority class, the line is first come, first served (the id breaks ties).
LINE_ORDER = (Registration.waitlisted_at, Registration.id)


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


def waitlist_order(session: Session, event: Event) -> list[tuple[Claimant, Standing]]:
    """The waiting list of ``event`` as (claimant, standing), in the order seats go.

    The one place the line is ordered: by priority class (fair allocation, see
    ``app.booking.fairness``), then by the time of joining, then by id. Promotions and the
    positions people are shown both come from here, so they can never disagree. Read as rows,
    not objects: it runs under the event lock, once for every person told their position.
    """
    rows = session.execute(
        select(
            Registration.id,
            Registration.municipality_key,
            Registration.municipality,
            Registration.state,
            Registration.ags,
        )
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(*LINE_ORDER)
    ).all()
    claimants = [Claimant(*row) for row in rows]
    if not event.has_fair_allocation:
        return [(claimant, NO_PRIORITY) for claimant in claimants]
    ranks = standings(session, event, claimants)
    # sorted() is stable: within a class the line keeps its (waitlisted_at, id) order.
    ordered = sorted(claimants, key=lambda claimant: ranks[claimant.id].rank(event))
    return [(claimant, ranks[claimant.id]) for claimant in ordered]


def waitlist_positions(session: Session, event: Event) -> dict[int, int]:
    """Registration id -> 1-based place in line. Derived, so it never has gaps."""
    return {
        claimant.id: index
        for index, (claimant, _standing) in enumerate(waitlist_order(session, event), 1)
    }


def waitlist_position(session: Session, registration: Registration) -> int | None:
    """1-based place in line (as in ``waitlist_order``), or None when not waiting.

    Without a fair-allocation rule every standing is the same and ``waitlist_order`` is just
    ``LINE_ORDER``: the place is then counted in SQL by that same key. It runs under the lock
    for everyone who joins the line, and a count stays cheap however long the line grows.
    """
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    event = registration.event
    if event.has_fair_allocation:
        return waitlist_positions(session, event).get(registration.id)
    ahead = session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            tuple_(*LINE_ORDER) < tuple_(registration.waitlisted_at, registration.id),
        )
    )
    return ahead + 1


def _load_in_order(session: Session, ids: list[int]) -> list[Registration]:
    if not ids:
        return []
    loaded = {
        registration.id: registration
        for registration in session.scalars(
            select(Registration)
            .where(Registration.id.in_(ids))
            .execution_options(populate_existing=True)
        )
    }
    return [loaded[registration_id] for registration_id in ids]


def waitlist(session: Session, event_id: int) -> list[Registration]:
    """The waiting registrations of an event, in the order of ``waitlist_order``."""
    event = session.get(Event, event_id)
    return _load_in_order(session, [claimant.id for claimant, _ in waitlist_order(session, event)])


def join_waitlist(session: Session, event: Event, registration: Registration, now: datetime):
    """Put ``registration`` at the end of the line. Caller holds the lock.

    ``now`` is read before the lock was granted, so a caller that waited longer may carry an
    earlier time than one served before it; the stamp is kept strictly after the last one in
    line so that nobody who was told "position 3" is later pushed back to 4 (at an event with
    fair allocation only someone of a higher priority class can still move ahead of them).
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
    """Pass free seats down the waiting list, in the order of ``waitlist_order``. Caller holds
    the lock.

    Eligible means the municipality is still under the event's per-municipality limit (and is
    not a model project the event excludes); someone who is not skips no place in line, they
    simply wait for a seat they may take.
    """
    if now >= event.starts_at or not event.is_published:
        return []
    by_municipality = seats_held_by_municipality(session, event.id)
    free = event.capacity - sum(by_municipality.values())
    if free <= 0:
        return []
    chosen: list[int] = []
    for claimant, standing in waitlist_order(session, event):
        if free <= 0:
            break
        key = claimant.municipality_key
        if standing.excluded or not under_municipality_limit(event, by_municipality, key):
            continue
        by_municipality[key] = by_municipality.get(key, 0) + 1
        free -= 1
        chosen.append(claimant.id)
    promoted = _load_in_order(session, chosen)
    for candidate in promoted:
        if event.waitlist_mode == WaitlistMode.OFFER:
            change_status(candidate, RegistrationStatus.OFFERED, now)
            candidate.offer_expires_at = now + offer_window(event, now)
        else:
            change_status(candidate, RegistrationStatus.CONFIRMED, now)
    if promoted:
        event.updated_at = now
        session.flush()
        for registration in promoted:
            if registration.status == RegistrationStatus.OFFERED:
                notify.offered(session, registration)
            else:
                notify.promoted(session, registration)
    return promoted
