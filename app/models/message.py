"""Messages organisers wrote to a group of an event's participants, and who received them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class OrganiserMessage(db.Model):
    __tablename__ = "organiser_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # Made when the preview is shown and sent back with the send button: a second click on
    # "send" (or a reload) finds the key taken and sends nothing twice.
    send_key: Mapped[str] = mapped_column(String(64), unique=True)
    group: Mapped[str] = mapped_column(String(20))  # confirmed, waitlisted or attended
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_by: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)

    recipients: Mapped[list[OrganiserMessageRecipient]] = relationship(
        back_populates="message", cascade="all, delete-orphan", lazy="raise"
    )

    def __repr__(self) -> str:
        return f"<OrganiserMessage {self.id} {self.group} {self.recipient_count}>"


class OrganiserMessageRecipient(db.Model):
    """One recipient of a message. Names and addresses are read from the registration, so
    anonymising or erasing a registration leaves no copy of them here."""

    __tablename__ = "organiser_message_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("organiser_messages.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), nullable=True
    )

    message: Mapped[OrganiserMessage] = relationship(back_populates="recipients")
