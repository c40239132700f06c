"""Initial consultations: slots the office publishes, and booking one of them.

A slot is never double-booked: ``book_slot`` begins a write transaction, locks the expression
of interest and then the slot row (always in that order, so two bookings never wait on each
other crosswise), and checks inside the lock. A unique index on the active booking per slot is
the backstop. The caller commits.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.database import begin_write, lock_row
from app.intake.errors import InvalidSlot, NotConfirmed, SlotTaken, SlotUnavailable
from app.intake.interest import find_by_token
from app.intake.mail import send_booking_mails
from app.models import (
    BookingStatus,
    ConsultationBooking,
    ConsultationSlot,
    ExpressionOfInterest,
    InterestStatus,
    PipelineStage,
    SlotChannel,
    SlotStatus,
)

MIN_MINUTES, MAX_MINUTES = 15, 240


def _lock_timeout() -> int:
    return current_app.config.get("LOCK_TIMEOUT_SECONDS", 10)


def publish_slot(
    session: Session,
    starts_at: datetime,
    duration_minutes: int,
    channel: SlotChannel,
    organiser_name: str,
    organiser_email: str,
    now: datetime,
    access_details: str = "",
    organiser_id: int | None = None,
) -> ConsultationSlot:
    if starts_at <= now:
        raise InvalidSlot(_("Der Termin muss in der Zukunft liegen."))
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise InvalidSlot(
            _(
                "Die Dauer muss zwischen %(low)d und %(high)d Minuten liegen.",
                low=MIN_MINUTES,
                high=MAX_MINUTES,
            )
        )
    if not organiser_name.strip() or "@" not in organiser_email:
        raise InvalidSlot(_("Bitte Name und E-Mail-Adresse der beratenden Person angeben."))
    slot = ConsultationSlot(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        channel=channel,
        organiser_name=organiser_name.strip(),
        organiser_email=organiser_email.strip(),
        organiser_id=organiser_id,
        access_details=access_details.strip(),
        status=SlotStatus.PUBLISHED,
        created_at=now,
    )
    session.add(slot)
    session.flush()
    return slot


def booking_on_slot(session: Session, slot_id: int) -> ConsultationBooking | None:
    return session.scalar(
        select(ConsultationBooking).where(
            ConsultationBooking.slot_id == slot_id,
            ConsultationBooking.status == BookingStatus.BOOKED,
        )
    )


def active_booking(session: Session, interest_id: int) -> ConsultationBooking | None:
    return session.scalar(
        select(ConsultationBooking).where(
            ConsultationBooking.interest_id == interest_id,
            ConsultationBooking.status == BookingStatus.BOOKED,
        )
    )


def open_slots(session: Session, now: datetime) -> list[ConsultationSlot]:
    """Published future slots without an active booking, soonest first."""
    booked = select(ConsultationBooking.slot_id).where(
        ConsultationBooking.status == BookingStatus.BOOKED
    )
    return list(
        session.scalars(
            select(ConsultationSlot)
            .where(
                ConsultationSlot.status == SlotStatus.PUBLISHED,
                ConsultationSlot.starts_at > now,
                ConsultationSlot.id.not_in(booked),
            )
            .order_by(ConsultationSlot.starts_at, ConsultationSlot.id)
        )
    )


def _cancel(
    session: Session, booking: ConsultationBooking, now: datetime, to_contact: bool = True
) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.invite_sequence += 1
    session.flush()
    send_booking_mails(session, booking, "CANCEL", now, to_contact=to_contact)


def _back_from_booked(interest: ExpressionOfInterest, now: datetime) -> None:
    """Without a booking the interest is where it was before the booking."""
    if interest.stage == PipelineStage.CONSULTATION_BOOKED:
        interest.stage = PipelineStage.CONTACTED if interest.contacted_at else PipelineStage.NEW
        interest.stage_changed_at = now


def book_slot(session: Session, token: str, slot_id: int, now: datetime) -> ConsultationBooking:
    """Book ``slot_id`` for the expression of interest behind ``token``.

    A booking already held by the same interest is cancelled (a rebooking: the old invite
    gets a CANCEL, the new one a REQUEST). Booking the slot one already holds changes nothing.
    """
    begin_write(session)
    interest_id = find_by_token(session, token).id
    interest = lock_row(session, ExpressionOfInterest, interest_id, _lock_timeout())
    if interest.status != InterestStatus.CONFIRMED or interest.stage == PipelineStage.CLOSED:
        raise NotConfirmed()
    if session.get(ConsultationSlot, slot_id) is None:
        raise SlotUnavailable()
    slot = lock_row(session, ConsultationSlot, slot_id, _lock_timeout())
    if slot.status != SlotStatus.PUBLISHED or slot.starts_at <= now:
        raise SlotUnavailable()
    taken = booking_on_slot(session, slot.id)
    if taken is not None:
        if taken.interest_id == interest.id:
            return taken
        raise SlotTaken()
    previous = active_booking(session, interest.id)
    if previous is not None:
        _cancel(session, previous, now)
    booking = ConsultationBooking(
        slot=slot, interest=interest, status=BookingStatus.BOOKED, created_at=now
    )
    try:
        with session.begin_nested():
            session.add(booking)
            session.flush()
    except IntegrityError:  # only reachable if the lock above was bypassed
        raise SlotTaken() from None
    if interest.stage in (PipelineStage.NEW, PipelineStage.CONTACTED):
        interest.stage = PipelineStage.CONSULTATION_BOOKED
        interest.stage_changed_at = now
    send_booking_mails(session, booking, "REQUEST", now)
    return booking


def cancel_consultation(session: Session, token: str, now: datetime) -> ConsultationBooking | None:
    """The municipality cancels its consultation; the slot is free again at once."""
    begin_write(session)
    interest_id = find_by_token(session, token).id
    interest = lock_row(session, ExpressionOfInterest, interest_id, _lock_timeout())
    booking = active_booking(session, interest.id)
    if booking is None:
        return None
    _cancel(session, booking, now)
    _back_from_booked(interest, now)
    return booking


def cancel_for_erasure(
    session: Session, interest_id: int, now: datetime
) -> ConsultationBooking | None:
    """Cancel the consultation of a contact person who asked to be erased (Art. 17 DSGVO).

    The slot is free again at once, and the office's calendar gets the CANCEL; the contact
    gets no mail (their address is being erased). The caller holds the write transaction
    (``begin_write``) and has already removed the contact details, so the office's mail names
    nobody. Locks in the order ``book_slot`` does: the interest, then the slot.
    """
    interest = lock_row(session, ExpressionOfInterest, interest_id, _lock_timeout())
    booking = active_booking(session, interest.id)
    if booking is None:
        return None
    lock_row(session, ConsultationSlot, booking.slot_id, _lock_timeout())
    _cancel(session, booking, now, to_contact=False)
    _back_from_booked(interest, now)
    return booking


def withdraw_slot(session: Session, slot_id: int, now: datetime) -> ConsultationSlot:
    """The office takes a slot back; a booking on it is cancelled with mails to both sides."""
    begin_write(session)
    slot = lock_row(session, ConsultationSlot, slot_id, _lock_timeout())
    booking = booking_on_slot(session, slot.id)
    if booking is not None:
        _cancel(session, booking, now)
        _back_from_booked(booking.interest, now)
    slot.status = SlotStatus.WITHDRAWN
    return slot


def organiser_slots(
    session: Session, organiser_email: str, since: datetime
) -> list[tuple[ConsultationSlot, ConsultationBooking | None]]:
    """An organiser's published slots from ``since`` on, each with its active booking."""
    slots = session.scalars(
        select(ConsultationSlot)
        .where(
            ConsultationSlot.organiser_email == organiser_email,
            ConsultationSlot.status == SlotStatus.PUBLISHED,
            ConsultationSlot.starts_at >= since,
        )
        .order_by(ConsultationSlot.starts_at)
    ).all()
    bookings = bookings_by_slot(session, slots)
    return [(slot, bookings.get(slot.id)) for slot in slots]


def upcoming_slots(session: Session, now: datetime) -> list[ConsultationSlot]:
    """Every published slot from ``now`` on, booked or not, soonest first (the office's list)."""
    return list(
        session.scalars(
            select(ConsultationSlot)
            .where(
                ConsultationSlot.starts_at >= now, ConsultationSlot.status == SlotStatus.PUBLISHED
            )
            .order_by(ConsultationSlot.starts_at)
        )
    )


def bookings_by_slot(
    session: Session, slots: list[ConsultationSlot]
) -> dict[int, ConsultationBooking]:
    """The active booking of each of these slots that has one, by slot id (one query)."""
    if not slots:
        return {}
    return {
        booking.slot_id: booking
        for booking in session.scalars(
            select(ConsultationBooking).where(
                ConsultationBooking.slot_id.in_([slot.id for slot in slots]),
                ConsultationBooking.status == BookingStatus.BOOKED,
            )
        )
    }
