"""Finding an event's registrations for the back office: the table's search and the door list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.text_match import contains_text
from app.models import Attendance, Registration, RegistrationStatus

S = RegistrationStatus


def search_registrations(
    session: Session, event_id: int, text: str, status: str
) -> list[Registration]:
    """Registrations whose name, e-mail or municipality contains ``text``, by last name.

    ``status`` filters by a registration status or an attendance mark; anything else (or "")
    shows all.
    """
    query = select(Registration).where(Registration.event_id == event_id)
    if status in {s.value for s in S}:
        query = query.where(Registration.status == S(status))
    elif status in {mark.value for mark in Attendance}:
        query = query.where(Registration.attendance == status)
    if text:
        query = query.where(
            contains_text(
                text,
                Registration.first_name,
                Registration.last_name,
                Registration.email,
                Registration.municipality,
            )
        )
    return list(session.scalars(query.order_by(Registration.last_name, Registration.first_name)))


def confirmed_participants(session: Session, event_id: int) -> list[Registration]:
    """Everyone holding a confirmed seat, by last name: the check-in list and sign-in sheet."""
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.event_id == event_id, Registration.status == S.CONFIRMED)
            .order_by(Registration.last_name, Registration.first_name)
        )
    )
