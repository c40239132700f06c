"""Secret tokens that open a calendar feed: one person's feed, or the organisers' feed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.event import enum_column
from app.models.types import UTCDateTime, utcnow


class FeedScope(enum.StrEnum):
    PERSONAL = "personal"  # the confirmed events of one e-mail address
    ORGANISERS = "organisers"  # every event, drafts included


class CalendarFeedToken(db.Model):
    """A feed's secret URL, stored as the SHA-256 of its token.

    The plain token is shown once, when it is issued (``app.feeds.tokens.issue_token`` leaves it
    in the instance attribute ``token``, not a column); whoever loses it issues a new one.
    """

    __tablename__ = "calendar_feed_tokens"
    __table_args__ = (Index("ix_calendar_feed_tokens_owner", "scope", "email_normalised"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[FeedScope] = mapped_column(enum_column(FeedScope))
    # The person whose registrations the feed lists; empty for the organisers' feed.
    email_normalised: Mapped[str] = mapped_column(String(254), default="")
    # The URL is the only key to a person's events and online links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
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
