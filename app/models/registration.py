"""A person's registration for one event, and the statuses it moves through."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.event import Event, enum_column
from app.models.types import UTCDateTime, utcnow


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"  # submitted, e-mail address not yet confirmed; holds no seat
    CONFIRMED = "confirmed"  # holds a seat
    WAITLISTED = "waitlisted"  # in line for a seat
    OFFERED = "offered"  # a seat is held for them until offer_expires_at
    CANCELLED = "cancelled"  # by the person, an organiser, or a declined offer
    EXPIRED = "expired"  # never confirmed, or an offer not taken in time


class Attendance(enum.StrEnum):
    """What an organiser marked at the door; None while nobody has checked the person in.

    Stored as the plain string in ``registrations.attendance``, so comparisons with the
    column work either way.
    """

    ATTENDED = "attended"
    NO_SHOW = "no_show"


# Registrations in these statuses block a second one with the same e-mail for the same event.
ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED,
)
# These hold a seat: the capacity check counts them.
SEAT_HOLDING_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


def new_checkin_code() -> str:
    # 80 random bits: the code only opens the entry for a logged-in organiser at the door, and
    # it is short enough for a QR code that phones read from a printed page.
    return secrets.token_hex(10)


class Registration(db.Model):
    """One person's registration for one event.

    Its personal links live in ``registration_links`` (only their hashes). Code that has just
    minted a link finds its plain token in the instance attribute ``token`` (not a column, set
    by ``app.booking.links.issue_link``); a registration read from the database has none, so
    a mail never builds its link from it but mints its own.
    """

    __tablename__ = "registrations"
    __table_args__ = (
        # One active registration per e-mail and event, enforced by the database as the last
        # line of defence behind the friendly check in the booking code.
        Index(
            "uq_registrations_active_email",
            "event_id",
            "email_normalised",
            unique=True,
            sqlite_where=text("status IN ('pending','confirmed','waitlisted','offered')"),
            postgresql_where=text("status IN ('pending','confirmed','waitlisted','offered')"),
        ),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus), default=RegistrationStatus.PENDING
    )

    municipality: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(2))  # first two digits of the AGS of the Land
    ags: Mapped[str] = mapped_column(String(8), default="")
    # AGS when given, else the normalised name and Land: what the per-municipality limit counts.
    municipality_key: Mapped[str] = mapped_column(String(220), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="de")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when the registration joins the waiting list; the line is ordered by it (then id).
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised with each calendar update sent to this person (iCalendar SEQUENCE).
    invite_sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Attendance at the door (back office): None until checked, then "attended" or "no_show".
    attendance: Mapped[str | None] = mapped_column(String(16), nullable=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # What the QR code in the confirmation mail carries: random, unrelated to the personal
    # links, so a photographed badge opens no self-service page. Stored, because the code is
    # drawn again at each delivery and must stay the same in every mail.
    checkin_code: Mapped[str] = mapped_column(String(20), unique=True, default=new_checkin_code)
    # The last "you are already registered" reminder: at most one an hour (see booking).
    link_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when the personal data was removed (DSGVO: after the retention period or on request);
    # status, attendance and the municipality stay for the statistics.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    event: Mapped[Event] = relationship(lazy="joined", innerjoin=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING_STATUSES

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


class RegistrationLink(db.Model):
    """One personal link to a registration, as the SHA-256 of its token.

    Every mail that carries a link gets a new one, and all stay valid until the registration is
    anonymised, so a link in an older mail keeps working (see ``app.booking.links``).
    """

    __tablename__ = "registration_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()

    def __repr__(self) -> str:
        return f"<RegistrationLink {self.id} registration={self.registration_id}>"
