"""Creating events: the one constructor every way in uses (back office, command line, import,
demo data), a unique slug for each, and the copy that schedules another date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.core.audit import record, snapshot
from app.models import Event, EventStatus, Topic, User
from app.programme.event_input import slugify

# A copy keeps every column of its source (texts, place, seats and rules) but these: its own
# identity and history, and the status, as every copy starts as a draft.
NOT_COPIED = frozenset(
    ("id", "slug", "title", "status", "cancel_reason", "created_at", "updated_at")
)


def unique_slug(session: Session, title: str) -> str:
    """The slug of ``title``, numbered (``-2``, ``-3``, ...) when an event has it already."""
    base = slugify(title)
    existing = set(
        session.scalars(
            select(Event.slug).where((Event.slug == base) | Event.slug.startswith(base + "-"))
        )
    )
    slug, number = base, 2
    while slug in existing:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_event(
    session: Session,
    actor: User | None,
    fields: dict,
    now: datetime,
    topics: Iterable[Topic] = (),
) -> Event:
    """Add a new event and its ``event.created`` audit entry; the caller commits.

    ``fields`` are Event columns. Without a ``status`` the event is a draft: publishing is a
    separate, deliberate step. Without ``offer_hours`` it gets the configured default. The
    event is flushed, so the next one's slug (and the audit entry) can see it. ``actor`` is
    None for the command line and the demo data.
    """
    values = {
        "status": EventStatus.DRAFT,
        "offer_hours": current_app.config.get("OFFER_HOURS_DEFAULT", 48),
        "cancel_reason": "",
        **fields,
    }
    event = Event(
        **values,
        slug=unique_slug(session, values["title"]),
        created_at=now,
        updated_at=now,
    )
    event.topics = list(topics)
    session.add(event)
    session.flush()
    record(session, actor, "event.created", event, {}, snapshot(event))
    return event


def duplicate_event(session: Session, actor: User | None, event_id: int, now: datetime) -> Event:
    """A draft copy of an event (same texts, place and rules) to schedule another date."""
    source = session.get(Event, event_id)
    columns = inspect(Event).column_attrs
    copied = {c.key: getattr(source, c.key) for c in columns if c.key not in NOT_COPIED}
    copied["title"] = f"{source.title} (Kopie)"
    event = create_event(session, actor, copied, now, topics=list(source.topics))
    record(session, actor, "event.duplicated", event, {"source_id": source.id}, {})
    return event
