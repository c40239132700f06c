"""Secret tokens that open a calendar feed: one person's feed, or the organisers' feed."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.event import enum_column
from app.models.types import UTCDateTime, utcnow


class FeedScope(enum.StrEnum):
    PERSONAL = "personal"  # the confirmed events of one e-mail address
    ORGANISERS = "organisers"  # every event, drafts included


def new_feed_token() -> str:
    # 32 url-safe characters = 192 random bits, well past guessing (128 would do): the URL is
    # the only key to a person's events and online links.
    return secrets.token_urlsafe(24)


class CalendarFeedToken(db.Model):
    __tablename__ = "calendar_feed_tokens"
    __table_args__ = (Index("ix_calendar_feed_tokens_owner", "scope", "email_normalised"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[FeedScope] = mapped_column(enum_column(FeedScope))
    # The person whose registrations the feed lists; empty for the organisers' feed.
    email_normalised: Mapped[str] = mapped_column(String(254), default="")
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_feed_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A revoked token's URL answers 410 Gone; a new token replaces it.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<CalendarFeedToken {self.id} {self.scope}>"


class StoredVEvent(db.Model):
    """A VEVENT as icalendar built it, kept across processes and restarts.

    The key is a digest of everything the VEVENT shows, so an entry never goes stale: a changed
    event simply has a new key. Old keys are pruned by the worker.
    """

    __tablename__ = "calendar_vevents"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
