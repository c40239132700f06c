"""Start Smart intake: municipalities, their expressions of interest and initial consultations."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import Topic, enum_column
from app.models.types import UTCDateTime, utcnow


class SizeClass(enum.StrEnum):
    """Population bands; the values are stable codes, the labels live in the forms."""

    UNDER_5K = "under_5k"
    FROM_5K = "5k_20k"
    FROM_20K = "20k_50k"
    FROM_50K = "50k_100k"
    FROM_100K = "100k_500k"
    OVER_500K = "over_500k"


class StrategyStage(enum.StrEnum):
    NO_STRATEGY = "no_strategy"
    IN_PROGRESS = "in_progress"
    IMPLEMENTING = "implementing"


class InterestStatus(enum.StrEnum):
    """The double opt-in of an expression of interest."""

    PENDING = "pending"  # submitted, e-mail address not yet confirmed
    CONFIRMED = "confirmed"
    EXPIRED = "expired"  # never confirmed in time


class PipelineStage(enum.StrEnum):
    """Where the office stands with a confirmed expression of interest."""

    NEW = "new"
    CONTACTED = "contacted"
    CONSULTATION_BOOKED = "consultation_booked"
    IN_SUPPORT = "in_support"
    CLOSED = "closed"


class SlotChannel(enum.StrEnum):
    ONLINE = "online"
    PHONE = "phone"


class SlotStatus(enum.StrEnum):
    PUBLISHED = "published"  # bookable while no active booking holds it
    WITHDRAWN = "withdrawn"  # taken back by the office


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"


class Municipality(db.Model):
    """One record per municipality, however often and however spelt it turns up."""

    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2), index=True)
    ags: Mapped[str] = mapped_column(String(8), default="", index=True)
    size_class: Mapped[SizeClass | None] = mapped_column(enum_column(SizeClass), nullable=True)
    # Funded model project (Modellprojekt Smart Cities): set by hand or by CSV import.
    is_model_project: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    keys: Mapped[list[MunicipalityKey]] = relationship(
        back_populates="municipality", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def key_values(self) -> list[str]:
        return [key.key for key in self.keys]

    def __repr__(self) -> str:
        return f"<Municipality {self.id} {self.name}>"


class MunicipalityKey(db.Model):
    """Every municipality_key (``ags:…`` or ``name:<Land>:<normalised name>``) seen for a
    municipality. Registrations carry such a key; a merge moves the keys to the survivor."""

    __tablename__ = "municipality_keys"

    key: Mapped[str] = mapped_column(String(220), primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    municipality: Mapped[Municipality] = relationship(back_populates="keys")


class MunicipalityHistory(db.Model):
    """Changes made to the record itself (flag set, merge); the path through the offer is
    read from registrations, interests and consultations."""

    __tablename__ = "municipality_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")


interest_topics = Table(
    "interest_topics",
    db.metadata,
    Column(
        "interest_id",
        ForeignKey("expressions_of_interest.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
)


class ExpressionOfInterest(db.Model):
    """A municipality's Interessensbekundung, with the office's pipeline stage.

    Its personal links live in ``interest_links`` (only their hashes); as for registrations,
    the instance attribute ``token`` (not a column) holds the plain token of a link just
    minted by ``app.intake.links.issue_link``, and a row read from the database has none.
    """

    __tablename__ = "expressions_of_interest"
    __table_args__ = (Index("ix_interest_status_stage", "status", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[InterestStatus] = mapped_column(
        enum_column(InterestStatus), default=InterestStatus.PENDING
    )
    stage: Mapped[PipelineStage] = mapped_column(
        enum_column(PipelineStage), default=PipelineStage.NEW
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )

    # As entered, kept even when the directory record is later renamed or merged.
    municipality_name: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2))
    ags: Mapped[str] = mapped_column(String(8), default="")
    size_class: Mapped[SizeClass] = mapped_column(enum_column(SizeClass))
    strategy_stage: Mapped[StrategyStage] = mapped_column(enum_column(StrategyStage))
    message: Mapped[str] = mapped_column(Text, default="")

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="de")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who in the office looks after it: an account when there is one, and the name as text.
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    assignee_name: Mapped[str] = mapped_column(String(200), default="")
    # The last "already submitted" reminder: at most one an hour (see app.intake.interest).
    link_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when the contact details were removed (DSGVO: after the retention period or on
    # request); municipality, stage, topics and consultations stay for the statistics.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    municipality: Mapped[Municipality] = relationship(lazy="joined", innerjoin=True)
    topics: Mapped[list[Topic]] = relationship(
        secondary=interest_topics, order_by=Topic.name, lazy="selectin"
    )
    notes: Mapped[list[InterestNote]] = relationship(
        back_populates="interest",
        order_by="InterestNote.at",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def is_overdue(self, now: datetime, days: int) -> bool:
        """Confirmed, still new and not contacted within ``days`` of the confirmation."""
        return (
            self.status == InterestStatus.CONFIRMED
            and self.stage == PipelineStage.NEW
            and self.contacted_at is None
            and self.confirmed_at is not None
            and self.confirmed_at <= now - timedelta(days=days)
        )

    def __repr__(self) -> str:
        return f"<ExpressionOfInterest {self.id} {self.status}/{self.stage}>"


class InterestLink(db.Model):
    """One personal link to an expression of interest, as the SHA-256 of its token; every
    mail that carries a link gets a new one, all valid until the contact is anonymised."""

    __tablename__ = "interest_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("expressions_of_interest.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    interest: Mapped[ExpressionOfInterest] = relationship()

    def __repr__(self) -> str:
        return f"<InterestLink {self.id} interest={self.interest_id}>"


class InterestNote(db.Model):
    __tablename__ = "interest_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("expressions_of_interest.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(254), default="")
    text: Mapped[str] = mapped_column(Text)

    interest: Mapped[ExpressionOfInterest] = relationship(back_populates="notes")


class ConsultationSlot(db.Model):
    """A time the office offers for an initial consultation (Initialberatung)."""

    __tablename__ = "consultation_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    channel: Mapped[SlotChannel] = mapped_column(enum_column(SlotChannel))
    organiser_name: Mapped[str] = mapped_column(String(200))
    organiser_email: Mapped[str] = mapped_column(String(254))
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # Video link or the number the office will call from; shown to the booked municipality.
    access_details: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[SlotStatus] = mapped_column(
        enum_column(SlotStatus), default=SlotStatus.PUBLISHED, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def __repr__(self) -> str:
        return f"<ConsultationSlot {self.id} {self.starts_at:%Y-%m-%d %H:%M}>"


class ConsultationBooking(db.Model):
    __tablename__ = "consultation_bookings"
    __table_args__ = (
        # Behind the slot lock in the domain code: never two active bookings on one slot,
        # and never two active bookings for one expression of interest.
        Index(
            "uq_consultation_bookings_active_slot",
            "slot_id",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
        Index(
            "uq_consultation_bookings_active_interest",
            "interest_id",
            unique=True,
            sqlite_where=text("status = 'booked'"),
            postgresql_where=text("status = 'booked'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_slots.id", ondelete="CASCADE"), index=True
    )
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("expressions_of_interest.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[BookingStatus] = mapped_column(
        enum_column(BookingStatus), default=BookingStatus.BOOKED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # iCalendar SEQUENCE of the invitation (raised for the CANCEL).
    invite_sequence: Mapped[int] = mapped_column(Integer, default=0)

    slot: Mapped[ConsultationSlot] = relationship(lazy="joined", innerjoin=True)
    interest: Mapped[ExpressionOfInterest] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<ConsultationBooking {self.id} slot={self.slot_id} {self.status}>"
