"""Feedback after an event: the per-event questions, the one request mail per participant and
the answers, which are anonymous to organisers and lose their link to the person for good."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import Topic
from app.models.types import UTCDateTime, utcnow


class FeedbackForm(db.Model):
    """Which optional questions an event asks and until when answers may change.

    An event without a row asks every question and closes 14 days after its end
    (``app.feedback.rules.settings_for``). Usefulness is always asked, so it has no switch.
    """

    __tablename__ = "feedback_forms"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    ask_will_use: Mapped[bool] = mapped_column(Boolean, default=True)
    ask_missing: Mapped[bool] = mapped_column(Boolean, default=True)
    ask_topics: Mapped[bool] = mapped_column(Boolean, default=True)
    ask_comment: Mapped[bool] = mapped_column(Boolean, default=True)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class FeedbackRequest(db.Model):
    """The request mail went to this registration. Its primary key makes it once: the row is
    written in the same transaction as the outbox row, so a second worker's insert fails."""

    __tablename__ = "feedback_requests"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


feedback_answer_topics = Table(
    "feedback_answer_topics",
    db.metadata,
    Column("answer_id", ForeignKey("feedback_answers.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class FeedbackAnswer(db.Model):
    """One participant's answer. ``registration_id`` is kept only while the answer may still
    be changed; after the closing date or the person's anonymisation it is emptied, and
    nothing in the row says who answered."""

    __tablename__ = "feedback_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), unique=True, nullable=True
    )
    usefulness: Mapped[int] = mapped_column(Integer)
    will_use: Mapped[str] = mapped_column(Text, default="")
    missing: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    # The day only: a time to the second could be matched with a person's visit.
    answered_on: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    topics: Mapped[list[Topic]] = relationship(
        secondary=feedback_answer_topics, order_by=Topic.name, lazy="selectin"
    )
