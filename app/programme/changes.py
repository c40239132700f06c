"""Changing the programme: editing, publishing and cancelling events, and telling participants.

The back office and the calendar code call these functions. Like the booking code, each
function begins a write transaction, locks the event row and flushes; the caller commits (and
with it the queued mail), or rolls back on a ProgrammeError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.booking.allocation import fill_free_seats, lock_event, seats_held
from app.booking.compose import compose
from app.booking.errors import BookingError, CapacityBelowConfirmed
from app.booking.status import change_status
from app.core.audit import diff, record, snapshot
from app.core.database import begin_write
from app.core.urls import external_url
from app.mail.outbox import enqueue
from app.models import (
    ACTIVE_STATUSES,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    User,
)
from app.programme.event_input import resolve_topics

# Fields whose change sends every confirmed participant an updated invite (SEQUENCE + 1).
NOTIFYING_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url", "mode")
# Text fields: they change the calendar entry only in wording, so participants are told only
# when the organiser asks for it (``notify_description``).
DESCRIPTION_FIELDS = ("title", "summary", "description")
EDITABLE_FIELDS = frozenset(
    (
        *NOTIFYING_FIELDS,
        *DESCRIPTION_FIELDS,
        "slug",
        "format",
        "topics",
        "max_per_municipality",
        "registration_opens_at",
        "registration_closes_at",
        "waitlist_mode",
        "offer_hours",
        "priority_newcomers",
        "model_projects",
        "reminder_days",
        "preparation",
    )
)


@dataclass(frozen=True)
class EventEdit:
    """What the edit form says: new column values, the seats (None keeps them), the topics
    ticked and named, and whether a change of wording should be sent to participants too."""

    values: dict
    capacity: int | None = None
    topic_ids: Sequence[int] = ()
    new_topics: str = ""
    notify_description: bool = False


class ProgrammeError(BookingError):
    """A change to the programme that is refused, with a reason an organiser can be shown."""


class UnknownField(ProgrammeError):
    """Not editable here: capacity goes through change_capacity, status through publish/cancel."""


class InvalidTimes(ProgrammeError):
    pass


class EventIsCancelled(ProgrammeError):
    pass


class EventHasRegistrations(ProgrammeError):
    """Unpublishing would hide an event people hold seats for: cancel it instead."""

    def __init__(self, count: int):
        super().__init__(f"{count} active registrations")
        self.count = count


def _locked_event(session: Session, event_id: int) -> Event:
    begin_write(session)
    return lock_event(session, event_id)


def _registrations(session: Session, event_id: int, statuses) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.event_id == event_id, Registration.status.in_(statuses))
            .order_by(Registration.id)
        )
    )


def update_event(
    session: Session, event_id: int, changes: dict, now: datetime, notify_description=False
) -> list[str]:
    """Apply ``changes`` (field -> new value) under the event lock; returns the changed fields.

    Time, place or online link changes of a published event queue an updated invite for every
    confirmed participant; a description change only when ``notify_description`` is true.
    Capacity changes go through ``change_capacity``.
    """
    _refuse_unknown(changes)
    event = _locked_event(session, event_id)
    return _apply_changes(session, event, changes, now, notify_description)


def _refuse_unknown(changes: dict) -> None:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise UnknownField(", ".join(sorted(unknown)))


def _apply_changes(
    session: Session, event: Event, changes: dict, now: datetime, notify_description: bool
) -> list[str]:
    """``update_event`` once the event is locked, in the caller's transaction."""
    if event.is_cancelled:
        raise EventIsCancelled()
    changed = [field for field, value in changes.items() if getattr(event, field) != value]
    if not changed:
        return []
    starts_at = changes.get("starts_at", event.starts_at)
    ends_at = changes.get("ends_at", event.ends_at)
    if ends_at <= starts_at:
        raise InvalidTimes()
    previous = {field: getattr(event, field) for field in changed}
    for field in changed:
        setattr(event, field, changes[field])
    event.updated_at = now
    session.flush()

    if event.is_published:
        notify = any(field in NOTIFYING_FIELDS for field in changed) or (
            notify_description and any(field in DESCRIPTION_FIELDS for field in changed)
        )
        if notify:
            for registration in _registrations(session, event.id, [RegistrationStatus.CONFIRMED]):
                # A higher SEQUENCE, or calendars ignore the update (RFC 5545 3.8.7.4).
                registration.invite_sequence += 1
                _send(
                    session, "updated", registration, "REQUEST", changed=changed, previous=previous
                )
        # A seat left free because no one waiting could take it may now have a taker.
        if "max_per_municipality" in changed or "model_projects" in changed:
            fill_free_seats(session, event, now)
    session.flush()
    return changed


def change_capacity(
    session: Session, actor: User | None, event_id: int, capacity: int, now: datetime
) -> list[Registration]:
    """Set the capacity under the event lock and audit it; returns who was promoted from the
    waiting list. Refused (the caller rolls back) for a cancelled event (EventIsCancelled) and
    below the seats already held (CapacityBelowConfirmed)."""
    event = _locked_event(session, event_id)
    return _change_capacity(session, actor, event, capacity, now)


def _change_capacity(
    session: Session, actor: User | None, event: Event, capacity: int, now: datetime
) -> list[Registration]:
    """``change_capacity`` once the event is locked, in the caller's transaction: the rule of
    ``app.booking.registration.set_capacity``, which begins a transaction of its own."""
    if event.is_cancelled:
        # Every registration of a cancelled event has ended: new seats would only mislead.
        raise EventIsCancelled()
    held = seats_held(session, event.id)
    if capacity < held:
        raise CapacityBelowConfirmed(held)
    before = {"capacity": event.capacity}
    event.capacity = capacity
    event.updated_at = now
    promoted = fill_free_seats(session, event, now)
    after = {"capacity": event.capacity, "promoted": [r.id for r in promoted]}
    record(session, actor, "event.capacity_changed", event, before, after)
    return promoted


def edit_event(
    session: Session,
    actor: User | None,
    event_id: int,
    edit: EventEdit,
    now: datetime,
) -> list[Registration]:
    """Apply the organiser's edit form, all of it or nothing; returns who was promoted.

    One transaction under the event lock: the seats (audited as ``event.capacity_changed``),
    the changed fields (through ``_apply_changes``, which tells participants), the topics (new
    names are added), audited as ``event.updated``. Any refusal (a ProgrammeError,
    CapacityBelowConfirmed, TopicTaken) leaves the session for the caller to roll back, so that
    not even the capacity is kept. A cancelled event refuses every change.
    """
    _refuse_unknown(edit.values)
    event = _locked_event(session, event_id)
    before = snapshot(event)
    promoted = []
    if edit.capacity is not None and edit.capacity != event.capacity:
        promoted = _change_capacity(session, actor, event, edit.capacity, now)
    changes = {k: v for k, v in edit.values.items() if getattr(event, k) != v}
    if changes:
        _apply_changes(session, event, changes, now, edit.notify_description)
    topics = resolve_topics(session, edit.topic_ids, edit.new_topics)
    if [t.id for t in topics] != [t.id for t in event.topics] or any(t.id is None for t in topics):
        if event.is_cancelled:
            raise EventIsCancelled()
        event.topics = topics
        event.updated_at = now
    session.flush()
    old, new = diff(before, snapshot(event))
    old.pop("capacity", None)  # _change_capacity has its own entry
    new.pop("capacity", None)
    if old or new:
        record(session, actor, "event.updated", event, old, new)
    return promoted


def cancel_event(session: Session, event_id: int, reason: str, now: datetime) -> None:
    """Cancel the event: CANCEL to confirmed participants, a mail to waitlisted and pending.

    Every active registration ends as cancelled (nobody waits for a seat at a cancelled event,
    and no offer can lapse into a mail about it later). The event stays visible, marked as
    cancelled, in the catalogue and the feeds.
    """
    event = _locked_event(session, event_id)
    if event.is_cancelled:
        return
    event.status = EventStatus.CANCELLED
    event.cancel_reason = (reason or "").strip()
    event.updated_at = now
    for registration in _registrations(session, event.id, ACTIVE_STATUSES):
        had_seat = registration.status == RegistrationStatus.CONFIRMED
        change_status(registration, RegistrationStatus.CANCELLED, now)
        if had_seat:
            registration.invite_sequence += 1  # the CANCEL must out-rank the REQUEST
        session.flush()
        _send(
            session,
            "event_cancelled",
            registration,
            "CANCEL" if had_seat else "",
            had_seat=had_seat,
            catalogue_url=external_url("programme.index"),
        )
    session.flush()


def publish_event(session: Session, event_id: int, now: datetime) -> None:
    event = _locked_event(session, event_id)
    if event.is_cancelled:
        raise EventIsCancelled()
    if event.status != EventStatus.PUBLISHED:
        event.status = EventStatus.PUBLISHED
        event.updated_at = now
        session.flush()


def unpublish_event(session: Session, event_id: int, now: datetime) -> None:
    """Back to draft, hidden from the catalogue and feeds; refused once people registered."""
    event = _locked_event(session, event_id)
    if event.is_cancelled:
        raise EventIsCancelled()
    active = _registrations(session, event.id, ACTIVE_STATUSES)
    if active:
        raise EventHasRegistrations(len(active))
    if event.status != EventStatus.DRAFT:
        event.status = EventStatus.DRAFT
        event.updated_at = now
        session.flush()


def _send(session: Session, kind: str, registration: Registration, method: str, **context):
    enqueue(
        session,
        kind,
        compose(kind, registration, invite_method=method, **context),
        registration.id,
    )
