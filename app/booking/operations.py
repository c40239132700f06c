"""What organisers do to registrations (promote, cancel, move, enter by phone, check in), as
domain functions taking a session.

Each function that touches seats begins a write transaction and locks the event row, like the
booking code it reuses, records an audit entry in the same transaction, and leaves the commit
to the caller.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.booking import notify
from app.booking.allocation import (
    Allocation,
    allocate_seat,
    lock_event,
    seats_held,
    waitlist_position,
)
from app.booking.errors import BookingError, DuplicateRegistration
from app.booking.registration import (
    Applicant,
    active_registration,
    cancel_under_lock,
    new_registration,
    remove_registration,
)
from app.booking.status import change_status
from app.core.audit import record, snapshot
from app.core.database import begin_write
from app.models import Attendance, Event, Registration, RegistrationStatus, User

S = RegistrationStatus


class EventFull(BookingError):
    """No seat is free for an out-of-order promotion."""


class NotWaitlisted(BookingError):
    pass


class NotCheckable(BookingError):
    """Only confirmed participants can be checked in."""


class SameEvent(BookingError):
    pass


def registration_counts(session: Session, event_id: int) -> dict[str, int]:
    """Registrations per status plus attended and no-show, for an event's overview."""
    counts = {status.value: 0 for status in S}
    rows = session.execute(
        select(Registration.status, func.count(Registration.id))
        .where(Registration.event_id == event_id)
        .group_by(Registration.status)
    )
    for status, number in rows:
        counts[S(status).value] = number
    attendance = session.execute(
        select(Registration.attendance, func.count(Registration.id))
        .where(Registration.event_id == event_id, Registration.attendance.is_not(None))
        .group_by(Registration.attendance)
    )
    counts.update({mark.value: 0 for mark in Attendance})
    for value, number in attendance:
        counts[value] = number
    return counts


def promote_out_of_order(
    session: Session,
    actor: User | None,
    registration_id: int,
    reason: str,
    now: datetime,
    add_seat: bool = False,
) -> Registration:
    """Confirm one waitlisted person ahead of the line, for a stated reason.

    It takes a free seat; when none is free (the usual case, as free seats go to the line at
    once) the organiser may add one seat for this person (``add_seat``), never silently. The
    per-municipality limit is the organiser's to override here.
    """
    begin_write(session)
    registration = session.get(Registration, registration_id)
    event = lock_event(session, registration.event_id)
    session.refresh(registration)
    if registration.status not in (S.WAITLISTED, S.OFFERED):
        raise NotWaitlisted()
    before = {**snapshot(registration), "capacity": event.capacity}
    if registration.status == S.WAITLISTED and seats_held(session, event.id) >= event.capacity:
        if not add_seat:
            raise EventFull()
        event.capacity += 1
    change_status(registration, S.CONFIRMED, now)
    event.updated_at = now
    session.flush()
    notify.promoted(session, registration)
    after = {**snapshot(registration), "capacity": event.capacity, "reason": reason}
    record(session, actor, "registration.promoted", registration, before, after)
    return registration


def cancel_on_behalf(
    session: Session, actor: User | None, registration_id: int, reason: str, now: datetime
) -> Registration:
    registration = session.get(Registration, registration_id)
    before = snapshot(registration)
    registration = remove_registration(session, registration_id, now)
    record(
        session,
        actor,
        "registration.cancelled",
        registration,
        before,
        {**snapshot(registration), "reason": reason},
    )
    return registration


def enter_phone_registration(
    session: Session, actor: User | None, event_id: int, applicant: Applicant, now: datetime
) -> tuple[Registration, Allocation]:
    """A registration taken by phone: the organiser vouches for the address, so no opt-in.

    The seat (or a place in line) is allocated at once under the event lock.
    """
    begin_write(session)
    event = lock_event(session, event_id)
    existing = active_registration(session, event_id, applicant.email)
    if existing is not None:
        raise DuplicateRegistration(existing)
    registration = _new_registration(event, applicant, now)
    session.add(registration)
    session.flush()
    allocation = allocate_seat(session, event, registration, now)
    record(session, actor, "registration.phone", registration, {}, snapshot(registration))
    return registration, allocation


def _new_registration(event: Event, applicant: Applicant, now: datetime) -> Registration:
    """Taken by an organiser (by phone, or moved from another event): no opt-in needed."""
    registration = new_registration(event, applicant, now)
    registration.email_confirmed_at = now
    return registration


def move_registration(
    session: Session, actor: User | None, registration_id: int, target_event_id: int, now: datetime
) -> tuple[Registration, Allocation]:
    """Move a person to another event: cancelled here (the seat passes on), allocated there.

    Both events are locked in id order, so two moves in opposite directions cannot deadlock.
    """
    begin_write(session)
    registration = session.get(Registration, registration_id)
    source_id = registration.event_id
    if source_id == target_event_id:
        raise SameEvent()
    locked = {eid: lock_event(session, eid) for eid in sorted((source_id, target_event_id))}
    source, target = locked[source_id], locked[target_event_id]
    session.refresh(registration)
    if registration.status not in (S.PENDING, S.CONFIRMED, S.WAITLISTED, S.OFFERED):
        raise NotWaitlisted()
    existing = active_registration(session, target.id, registration.email)
    if existing is not None:
        raise DuplicateRegistration(existing)
    before = snapshot(registration)
    applicant = Applicant(
        municipality=registration.municipality,
        state=registration.state,
        ags=registration.ags,
        first_name=registration.first_name,
        last_name=registration.last_name,
        email=registration.email,
        role=registration.role,
        language=registration.language,
    )
    cancel_under_lock(session, source, registration, now)
    moved = _new_registration(target, applicant, now)
    moved.consent_at = registration.consent_at
    session.add(moved)
    session.flush()
    allocation = allocate_seat(session, target, moved, now)
    after = {**snapshot(registration), "moved_to_event": target.id, "new_registration": moved.id}
    record(session, actor, "registration.moved_out", registration, before, after)
    record(
        session,
        actor,
        "registration.moved_in",
        moved,
        {"moved_from_event": source.id, "old_registration": registration.id},
        snapshot(moved),
    )
    return moved, allocation


def resend_mail(session: Session, actor: User | None, registration_id: int) -> str:
    """Send the mail that fits the current status again; returns its kind."""
    registration = session.get(Registration, registration_id)
    if registration.status == S.CONFIRMED:
        notify.confirmed(session, registration)
        kind = "confirmed"
    elif registration.status == S.WAITLISTED:
        notify.waitlisted(session, registration, waitlist_position(session, registration))
        kind = "waitlisted"
    elif registration.status == S.OFFERED:
        notify.offered(session, registration)
        kind = "offered"
    elif registration.status == S.PENDING:
        notify.opt_in(session, registration)
        kind = "opt_in"
    else:
        notify.link_reminder(session, registration)
        kind = "link_reminder"
    record(session, actor, "registration.mail_resent", registration, {}, {"mail": kind})
    return kind


def set_attendance(
    session: Session,
    actor: User | None,
    registration_id: int,
    value: Attendance | None,
    now: datetime,
) -> Registration:
    """Mark attended or no-show at the door; None undoes the mark."""
    if value is not None:
        value = Attendance(value)  # ValueError for anything but a mark
    registration = session.get(Registration, registration_id)
    if registration.status != S.CONFIRMED and value is not None:
        raise NotCheckable()
    before = {"attendance": registration.attendance}
    registration.attendance = value
    registration.checked_in_at = now if value == Attendance.ATTENDED else None
    action = "registration.checkin_undone" if value is None else f"registration.{value}"
    record(session, actor, action, registration, before, {"attendance": value})
    return registration
