"""Recording organiser actions that change an event, a registration or an account (who, when,
what)."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Event, Registration, User, utcnow

# What the log keeps of each target: enough to see what changed, nothing more.
EVENT_FIELDS = (
    "title",
    "slug",
    "format",
    "summary",
    "description",
    "starts_at",
    "ends_at",
    "mode",
    "venue",
    "address",
    "online_url",
    "capacity",
    "max_per_municipality",
    "registration_opens_at",
    "registration_closes_at",
    "status",
    "waitlist_mode",
    "offer_hours",
    "priority_newcomers",
    "model_projects",
    "cancel_reason",
)
REGISTRATION_FIELDS = (
    "event_id",
    "status",
    "first_name",
    "last_name",
    "email",
    "municipality",
    "state",
    "attendance",
)


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(target) -> dict:
    """The audited fields of an event or registration as JSON-ready values."""
    if target is None:
        return {}
    fields = EVENT_FIELDS if isinstance(target, Event) else REGISTRATION_FIELDS
    data = {name: _plain(getattr(target, name)) for name in fields}
    if isinstance(target, Event):
        data["topics"] = [topic.name for topic in target.topics]
    return data


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose value differs, on both sides."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    session: Session,
    actor: User | None,
    action: str,
    target,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Add an audit entry to the session, in the transaction of the change it describes.

    ``target`` is an Event, a Registration or a back-office account (User); ``before`` and
    ``after`` are plain dicts (see ``snapshot``). The actor may be None for the command line or
    the system.
    """
    if isinstance(target, Registration):
        target_type, event_id = "registration", target.event_id
    elif isinstance(target, Event):
        target_type, event_id = "event", target.id
    elif isinstance(target, User):
        target_type, event_id = "user", None
    else:
        raise TypeError(f"cannot audit {target!r}")
    entry = AuditEntry(
        created_at=utcnow(),
        user_id=actor.id if actor is not None else None,
        actor=actor.email if actor is not None else "system",
        action=action,
        target_type=target_type,
        target_id=target.id,
        event_id=event_id,
        before=json.dumps(before or {}, ensure_ascii=False, default=str, sort_keys=True),
        after=json.dumps(after or {}, ensure_ascii=False, default=str, sort_keys=True),
    )
    session.add(entry)
    return entry


def entries_for_event(session: Session, event_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.event_id == event_id)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        )
    )
