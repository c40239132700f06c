"""Events of the programme and their topics."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, Enum, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class EventFormat(enum.StrEnum):
    KICKOFF = "kickoff"
    WORKSHOP = "workshop"
    PEER_LEARNING = "peer_learning"


class EventMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class ModelProjectPolicy(enum.StrEnum):
    """How the waiting list treats funded model projects (Modellprojekte Smart Cities)."""

    EQUAL = "equal"  # like every other municipality
    LOWER = "lower"  # promoted only when no other municipality is waiting
    EXCLUDED = "excluded"  # may not register for the event at all


class WaitlistMode(enum.StrEnum):
    AUTOMATIC = "automatic"  # the next in line is confirmed at once and told by mail
    OFFER = "offer"  # the seat is held for the next in line, who accepts or declines


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    # Store the values (not the member names) as plain strings: readable in SQL and in exports,
    # and no native PostgreSQL enum type that every new member would need a migration for.
    return Enum(
        enum_class,
        native_enum=False,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


event_topics = Table(
    "event_topics",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class Topic(db.Model):
    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    format: Mapped[EventFormat] = mapped_column(enum_column(EventFormat), index=True)
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[EventMode] = mapped_column(enum_column(EventMode), default=EventMode.IN_PERSON)
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    max_per_municipality: Mapped[int | None] = mapped_column(Integer, nullable=True)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus), default=EventStatus.DRAFT, index=True
    )
    waitlist_mode: Mapped[WaitlistMode] = mapped_column(
        enum_column(WaitlistMode), default=WaitlistMode.AUTOMATIC
    )
    offer_hours: Mapped[int] = mapped_column(Integer, default=48)
    # Fair allocation (docs/intake.md): waiting-list priority for municipalities that have not yet
    # attended an event of this format, and the treatment of funded model projects.
    priority_newcomers: Mapped[bool] = mapped_column(Boolean, default=False)
    model_projects: Mapped[ModelProjectPolicy] = mapped_column(
        enum_column(ModelProjectPolicy), default=ModelProjectPolicy.EQUAL
    )
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # Reminder mails, in days before the start ("7,1"; empty: none), and what to bring or
    # prepare, shown in the reminder and on the personal page (app.booking.reminders).
    reminder_days: Mapped[str] = mapped_column(String(60), default="7,1", server_default="7,1")
    preparation: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped by every change a visitor could see, seat counts included: caches key on it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    topics: Mapped[list[Topic]] = relationship(
        secondary=event_topics, order_by=Topic.name, lazy="selectin"
    )

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def registration_open(self, now: datetime) -> bool:
        if self.status != EventStatus.PUBLISHED or now >= self.starts_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)

    @property
    def has_fair_allocation(self) -> bool:
        return self.priority_newcomers or self.model_projects != ModelProjectPolicy.EQUAL

    def registration_deadline(self) -> datetime:
        return self.registration_closes_at or self.starts_at

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"
