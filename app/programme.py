"""Changing the programme: editing, publishing and cancelling events, and telling participants.

Owned by the calendar work (issue 3); the back office (issue 4) calls these functions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

# Fields whose change sends every confirmed participant an updated invite (SEQUENCE + 1).
NOTIFYING_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url", "mode")


def update_event(
    session: Session, event_id: int, changes: dict, now: datetime, notify_description=False
) -> list[str]:
    """Apply ``changes`` (field -> new value) under the event lock; returns the changed fields.

    Time, place or online link changes of a published event queue an updated invite for every
    confirmed participant; a description change only when ``notify_description`` is true.
    Capacity changes go through app.booking.registration.set_capacity.
    """
    raise NotImplementedError


def cancel_event(session: Session, event_id: int, reason: str, now: datetime) -> None:
    """Cancel the event: CANCEL to confirmed participants, a mail to waitlisted and pending."""
    raise NotImplementedError


def publish_event(session: Session, event_id: int, now: datetime) -> None:
    raise NotImplementedError


def unpublish_event(session: Session, event_id: int, now: datetime) -> None:
    raise NotImplementedError
