"""Finding events for the catalogue, the API and the feeds, with their seat counts.

A page of results costs a fixed number of queries however many events, topics and
registrations exist: one count, one page of events, one for their topics (selectin), one for
the seat counts of the whole page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core.text_match import contains_text
from app.models import (
    SEAT_HOLDING_STATUSES,
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    Registration,
    RegistrationStatus,
    Topic,
)

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class CatalogueFilter:
    format: EventFormat | None = None
    topic: str | None = None  # topic slug
    mode: EventMode | None = None
    month: tuple[int, int] | None = None  # (year, month) in Berlin time
    text: str = ""
    archive: bool = False  # past events instead of upcoming ones

    @classmethod
    def from_args(cls, args, archive: bool = False) -> CatalogueFilter:
        """Build from query parameters; unknown values are ignored, not an error."""
        return cls(
            format=_enum_or_none(EventFormat, args.get("format")),
            topic=(args.get("topic") or "").strip() or None,
            mode=_enum_or_none(EventMode, args.get("mode")),
            month=_parse_month(args.get("month")),
            text=(args.get("q") or "").strip()[:100],
            archive=archive,
        )

    def as_args(self) -> dict[str, str]:
        args = {}
        if self.format:
            args["format"] = self.format.value
        if self.topic:
            args["topic"] = self.topic
        if self.mode:
            args["mode"] = self.mode.value
        if self.month:
            args["month"] = f"{self.month[0]:04d}-{self.month[1]:02d}"
        if self.text:
            args["q"] = self.text
        return args


def _enum_or_none(enum_class, value):
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


def _parse_month(value: str | None) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
    except ValueError:
        return None
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=BERLIN)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=BERLIN)
    return start, end


def visible_events_query(filters: CatalogueFilter, now: datetime, include_drafts=False):
    statement = select(Event)
    if not include_drafts:
        statement = statement.where(
            Event.status.in_((EventStatus.PUBLISHED, EventStatus.CANCELLED))
        )
    if filters.archive:
        statement = statement.where(Event.ends_at < now).order_by(Event.starts_at.desc())
    else:
        statement = statement.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if filters.format:
        statement = statement.where(Event.format == filters.format)
    if filters.mode:
        statement = statement.where(Event.mode == filters.mode)
    if filters.topic:
        statement = statement.where(Event.topics.any(Topic.slug == filters.topic))
    if filters.month:
        start, end = month_bounds(*filters.month)
        statement = statement.where(Event.starts_at >= start, Event.starts_at < end)
    if filters.text:
        statement = statement.where(
            contains_text(filters.text, Event.title, Event.summary, Event.venue, Event.address)
        )
    return statement


@dataclass(frozen=True)
class SeatInfo:
    capacity: int
    held: int = 0
    waitlisted: int = 0

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.held)

    @property
    def waitlist_only(self) -> bool:
        return self.left == 0


def seat_info(session: Session, events: list[Event]) -> dict[int, SeatInfo]:
    if not events:
        return {}
    rows = session.execute(
        select(
            Registration.event_id,
            func.count(case((Registration.status.in_(SEAT_HOLDING_STATUSES), 1))),
            func.count(case((Registration.status == RegistrationStatus.WAITLISTED, 1))),
        )
        .where(Registration.event_id.in_([event.id for event in events]))
        .group_by(Registration.event_id)
    ).all()
    counts = {event_id: (held, waiting) for event_id, held, waiting in rows}
    return {event.id: SeatInfo(event.capacity, *counts.get(event.id, (0, 0))) for event in events}


@dataclass
class Page:
    items: list[Event]
    seats: dict[int, SeatInfo]
    page: int
    per_page: int
    total: int
    filters: CatalogueFilter = field(default_factory=CatalogueFilter)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def search_events(
    session: Session,
    filters: CatalogueFilter,
    now: datetime,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    statement = visible_events_query(filters, now)
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    events = session.scalars(statement.offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(events), seat_info(session, events), page, per_page, total, filters)


def find_visible_event(session: Session, slug: str) -> Event | None:
    return session.scalar(
        select(Event).where(
            Event.slug == slug,
            Event.status.in_((EventStatus.PUBLISHED, EventStatus.CANCELLED)),
        )
    )


def all_topics(session: Session) -> list[Topic]:
    return list(session.scalars(select(Topic).order_by(Topic.name)))
