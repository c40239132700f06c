"""Reminder mails before an event: which one went to whom, and who asked for none."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class ReminderDelivery(db.Model):
    """One reminder (``days_before`` the start) queued for one registration.

    Written in the transaction that queues the mail: the unique constraint is what lets only
    one of several workers queue it, and what keeps a restarted worker from queueing it again.
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("registration_id", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    days_before: Mapped[int] = mapped_column(Integer)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderOptOut(db.Model):
    """A participant who turned reminder mails off on their personal page."""

    __tablename__ = "reminder_opt_outs"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
