"""A registration's life: submit, confirm the e-mail address, cancel, accept or decline an offer.

Each function that changes seats begins a write transaction, locks the event row, re-reads the
registration under that lock, changes what it must and flushes; the caller commits (see the
package docstring), or rolls back when a BookingError was raised.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.booking import notify
from app.booking.allocation import (
    Allocation,
    allocate_seat,
    fill_free_seats,
    lock_event,
    seats_held,
)
from app.booking.errors import (
    CapacityBelowConfirmed,
    DuplicateRegistration,
    ModelProjectExcluded,
    RegistrationClosed,
    RegistrationNotFound,
)
from app.booking.fairness import Claimant, claimant_of, is_excluded
from app.booking.links import find_registration
from app.booking.municipality import municipality_key, normalise_email
from app.booking.status import change_status
from app.core.database import TryAgain, begin_write, lock_rows
from app.models import (
    ACTIVE_STATUSES,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)

S = RegistrationStatus
log = logging.getLogger(__name__)
FINAL_STATUSES = (S.CANCELLED, S.EXPIRED)
# A registration's link is sent again at most this often when its address is typed into the
# form again: the answer on the page is the same either way (nobody can find out whether an
# address is registered), and the mailbox is not flooded by someone who tries.
REMINDER_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class Applicant:
    """What the registration form collects."""

    municipality: str
    state: str
    first_name: str
    last_name: str
    email: str
    ags: str = ""
    role: str = ""
    language: str = "de"


def pending_expiry() -> timedelta:
    return timedelta(hours=current_app.config["PENDING_EXPIRY_HOURS"])


def find_by_token(session: Session, token: str) -> Registration:
    """The one registration this personal link opens; RegistrationNotFound for any other."""
    return find_registration(session, token, RegistrationNotFound)


def active_registration(session: Session, event_id: int, email: str) -> Registration | None:
    return session.scalar(
        select(Registration).where(
            Registration.event_id == event_id,
            Registration.email_normalised == normalise_email(email),
            Registration.status.in_(ACTIVE_STATUSES),
        )
    )


def _lock(session: Session, registration: Registration) -> tuple[Event, Registration]:
    """Lock the registration's event, then re-read the registration under that lock.

    Always the event first, then the registration: one order everywhere, so no deadlocks. The
    registration's own row lock keeps ``expire_pending`` (which locks no event) from changing
    it underneath us on PostgreSQL.
    """
    event = lock_event(session, registration.event_id)
    statement = select(Registration).where(Registration.id == registration.id)
    return event, lock_rows(session, statement, of=Registration).scalar_one()


def _lock_while(
    session: Session, token: str, status: RegistrationStatus
) -> tuple[Event | None, Registration]:
    """The registration behind ``token``, locked with its event while it has ``status``.

    The event is None when the registration has another status, before the lock or once under
    it (a double click, an offer that lapsed in the meantime): then there is nothing to do.
    """
    begin_write(session)
    registration = find_by_token(session, token)
    if registration.status != status:
        return None, registration
    event, registration = _lock(session, registration)
    if registration.status != status:
        return None, registration
    return event, registration


def new_registration(event: Event, applicant: Applicant, now: datetime) -> Registration:
    """A pending registration built from what the form (or an organiser) collected."""
    return Registration(
        event_id=event.id,
        event=event,
        municipality=applicant.municipality.strip(),
        state=applicant.state,
        ags=applicant.ags.strip(),
        municipality_key=municipality_key(
            applicant.municipality, applicant.state, applicant.ags.strip()
        ),
        first_name=applicant.first_name.strip(),
        last_name=applicant.last_name.strip(),
        email=applicant.email.strip(),
        email_normalised=normalise_email(applicant.email),
        role=applicant.role.strip(),
        language=applicant.language,
        status=S.PENDING,
        created_at=now,
        consent_at=now,
        status_changed_at=now,
    )


def submit_registration(
    session: Session, event: Event, applicant: Applicant, now: datetime
) -> Registration:
    """Create a pending registration and queue the opt-in mail. Holds no seat yet.

    The same e-mail address twice for one event raises DuplicateRegistration; the existing
    registration's personal link is sent again, to that address only and at most once per
    ``REMINDER_INTERVAL`` (the caller commits to keep that mail, and answers as for a new
    registration). A funded model project at an event that excludes them raises
    ModelProjectExcluded.
    """
    begin_write(session)
    if not event.registration_open(now):
        raise RegistrationClosed()
    key = municipality_key(applicant.municipality, applicant.state, applicant.ags.strip())
    claimant = Claimant(0, key, applicant.municipality, applicant.state, applicant.ags.strip())
    if is_excluded(session, event, claimant):
        raise ModelProjectExcluded()
    existing = active_registration(session, event.id, applicant.email)
    if existing is not None:
        remind_of_link(session, existing, now)
        raise DuplicateRegistration(existing)
    registration = new_registration(event, applicant, now)
    try:
        with session.begin_nested():
            session.add(registration)
            session.flush()
    except IntegrityError:  # the same address submitted twice at the same moment (PostgreSQL)
        existing = active_registration(session, event.id, applicant.email)
        if existing is not None:
            remind_of_link(session, existing, now)
        raise DuplicateRegistration(existing) from None
    notify.opt_in(session, registration)
    return registration


def remind_of_link(session: Session, registration: Registration, now: datetime) -> bool:
    """Mail the person a link to their registration, unless one went out within the hour.

    The time is claimed by one conditional UPDATE, so of two submissions at the same moment
    only one finds the row still unclaimed and sends. Returns whether a mail was queued.
    """
    claimed = session.execute(
        update(Registration)
        .where(
            Registration.id == registration.id,
            or_(
                Registration.link_reminder_at.is_(None),
                Registration.link_reminder_at <= now - REMINDER_INTERVAL,
            ),
        )
        .values(link_reminder_at=now)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:
        return False
    session.refresh(registration, ["link_reminder_at"])
    notify.link_reminder(session, registration)
    return True


@dataclass(frozen=True)
class ConfirmResult:
    registration: Registration
    allocation: Allocation | None  # None when nothing changed (already done, or expired)


def confirm_email(session: Session, token: str, now: datetime) -> ConfirmResult:
    """The person clicked the opt-in button: the seat (or a place in line) is allocated now.

    Too late (``PENDING_EXPIRY_HOURS`` after submitting) the registration expires instead. A
    municipality flagged as funded model project since it submitted, at an event that excludes
    those, is refused (ModelProjectExcluded; the caller rolls back and the registration lapses).
    """
    event, registration = _lock_while(session, token, S.PENDING)
    if event is None:  # confirmed already, perhaps by a double click
        return ConfirmResult(registration, None)
    if now - registration.created_at >= pending_expiry():
        change_status(registration, S.EXPIRED, now)
        session.flush()
        return ConfirmResult(registration, None)
    if event.status != EventStatus.PUBLISHED or now >= event.starts_at:
        raise RegistrationClosed()
    if is_excluded(session, event, claimant_of(registration)):
        raise ModelProjectExcluded()
    registration.email_confirmed_at = now
    return ConfirmResult(registration, allocate_seat(session, event, registration, now))


def _cancel(session: Session, registration: Registration, now: datetime) -> Registration:
    if registration.status in FINAL_STATUSES:
        return registration
    event, registration = _lock(session, registration)
    if registration.status in FINAL_STATUSES:
        return registration
    cancel_under_lock(session, event, registration, now)
    return registration


def cancel_under_lock(
    session: Session, event: Event, registration: Registration, now: datetime
) -> None:
    """Cancel a registration whose event the caller has locked; a seat it held passes on at once.

    The person is told by mail; the caller has checked that the registration is still active.
    """
    held_seat = registration.holds_seat
    was_confirmed = registration.status == S.CONFIRMED
    change_status(registration, S.CANCELLED, now)
    event.updated_at = now
    session.flush()
    notify.cancelled(session, registration, was_confirmed=was_confirmed)
    if held_seat:
        fill_free_seats(session, event, now)


def cancel_registration(session: Session, token: str, now: datetime) -> Registration:
    """The person cancels through their personal link; a freed seat passes on at once."""
    begin_write(session)
    return _cancel(session, find_by_token(session, token), now)


def remove_registration(session: Session, registration_id: int, now: datetime) -> Registration:
    """An organiser cancels a registration on someone's behalf; a freed seat passes on at once."""
    begin_write(session)
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise RegistrationNotFound()
    return _cancel(session, registration, now)


def accept_offer(session: Session, token: str, now: datetime) -> Registration:
    """Take the seat held for this person, if the offer still stands."""
    event, registration = _lock_while(session, token, S.OFFERED)
    if event is None:
        return registration
    if registration.offer_expires_at <= now:
        _expire_offer(session, event, registration, now)
        fill_free_seats(session, event, now)
        return registration
    change_status(registration, S.CONFIRMED, now)
    event.updated_at = now
    session.flush()
    notify.confirmed(session, registration)
    return registration


def decline_offer(session: Session, token: str, now: datetime) -> Registration:
    """Give the held seat back; it is offered to the next in line at once."""
    event, registration = _lock_while(session, token, S.OFFERED)
    if event is None:
        return registration
    change_status(registration, S.CANCELLED, now)
    event.updated_at = now
    session.flush()
    notify.cancelled(session, registration, was_confirmed=False)
    fill_free_seats(session, event, now)
    return registration


def _expire_offer(session: Session, event: Event, registration: Registration, now: datetime):
    change_status(registration, S.EXPIRED, now)
    event.updated_at = now
    session.flush()
    notify.offer_expired(session, registration)


def expire_offers(session: Session, now: datetime) -> int:
    """Offers not taken in time pass to the next in line. Run by the worker; commits per event.

    An event too busy to lock right now is left for the next round.
    """
    event_ids = session.scalars(
        select(Registration.event_id)
        .where(Registration.status == S.OFFERED, Registration.offer_expires_at <= now)
        .distinct()
    ).all()
    session.commit()
    expired = 0
    for event_id in event_ids:
        try:
            begin_write(session)
            event = lock_event(session, event_id)
        except TryAgain:
            continue
        overdue = session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == S.OFFERED,
                Registration.offer_expires_at <= now,
            )
            .order_by(Registration.offer_expires_at, Registration.id)
            .execution_options(populate_existing=True)
        ).all()
        for registration in overdue:
            _expire_offer(session, event, registration, now)
        expired += len(overdue)
        fill_free_seats(session, event, now)
        session.commit()
    return expired


def expire_pending(session: Session, now: datetime) -> int:
    """Registrations whose e-mail address was never confirmed lapse; they held no seat.

    Rows another transaction is working on right now (a confirmation in progress) are skipped;
    the next round sees them again if they are still pending.
    """
    try:
        begin_write(session)
        overdue = (
            lock_rows(
                session,
                select(Registration).where(
                    Registration.status == S.PENDING,
                    Registration.created_at <= now - pending_expiry(),
                ),
                skip_locked=True,
                of=Registration,
            )
            .scalars()
            .all()
        )
    except TryAgain:
        return 0
    for registration in overdue:
        change_status(registration, S.EXPIRED, now)
    session.commit()
    return len(overdue)


def set_capacity(session: Session, event_id: int, capacity: int, now: datetime) -> list:
    """Change an event's capacity. Raising it promotes from the waiting list at once.

    Below the seats already held (confirmed or offered) raises CapacityBelowConfirmed; the
    caller rolls back. Returns the registrations promoted.
    """
    begin_write(session)
    event = lock_event(session, event_id)
    held = seats_held(session, event_id)
    if capacity < held:
        raise CapacityBelowConfirmed(held)
    event.capacity = capacity
    event.updated_at = now
    return fill_free_seats(session, event, now)


def expire_due(session: Session, now: datetime) -> tuple[int, int]:
    """Lapse unconfirmed registrations and overdue offers; returns both counts."""
    return expire_pending(session, now), expire_offers(session, now)
