"""What the booking code tells people, queued in the outbox of the same transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.booking.compose import compose
from app.mail.outbox import enqueue
from app.models import Registration


def _send(session: Session, kind: str, registration: Registration, **kwargs) -> None:
    enqueue(session, kind, compose(kind, registration, **kwargs), registration.id)


def opt_in(session: Session, registration: Registration) -> None:
    _send(session, "opt_in", registration)


def link_reminder(session: Session, registration: Registration) -> None:
    _send(session, "link_reminder", registration)


def confirmed(session: Session, registration: Registration) -> None:
    _send(session, "confirmed", registration, invite_method="REQUEST")


def promoted(session: Session, registration: Registration) -> None:
    _send(session, "promoted", registration, invite_method="REQUEST")


def waitlisted(session: Session, registration: Registration, position: int | None) -> None:
    _send(session, "waitlisted", registration, position=position)


def offered(session: Session, registration: Registration) -> None:
    _send(session, "offered", registration)


def offer_expired(session: Session, registration: Registration) -> None:
    _send(session, "offer_expired", registration)


def cancelled(session: Session, registration: Registration, was_confirmed: bool) -> None:
    if was_confirmed:
        # A cancel must out-rank the REQUEST it withdraws, or calendars ignore it.
        registration.invite_sequence += 1
        _send(session, "cancelled", registration, invite_method="CANCEL")
    else:
        _send(session, "cancelled", registration)
