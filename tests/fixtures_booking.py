"""Helpers for the booking domain tests: register people, read the outbox."""

from __future__ import annotations

from itertools import count

import pytest
from sqlalchemy import select

from app.booking.allocation import waitlist, waitlist_position
from app.booking.registration import Applicant, confirm_email, submit_registration
from app.models import OutboxMessage, Registration, utcnow

_people = count(1)


def make_applicant(**fields) -> Applicant:
    number = next(_people)
    values = dict(
        municipality=f"Gemeinde {number}",
        state="09",
        first_name="Alex",
        last_name=f"Muster {number}",
        email=f"person{number}@kommune.example",
    )
    values.update(fields)
    return Applicant(**values)


@pytest.fixture
def applicant():
    """What someone types into the registration form; unique e-mail unless given."""
    return make_applicant


@pytest.fixture
def now():
    return utcnow().replace(microsecond=0)


@pytest.fixture
def submit(session, now):
    """Submit the form for ``event``; returns the pending registration, committed."""

    def _submit(event, at=None, **fields) -> Registration:
        registration = submit_registration(session, event, make_applicant(**fields), at or now)
        session.commit()
        return registration

    return _submit


@pytest.fixture
def register(session, submit, now):
    """Submit and confirm the e-mail address; returns the registration, committed."""

    def _register(event, at=None, **fields) -> Registration:
        registration = submit(event, at=at, **fields)
        confirm_email(session, registration.token, at or now)
        session.commit()
        return registration

    return _register


@pytest.fixture
def mails(session):
    """The outbox, oldest first; optionally of one kind and/or for one registration."""

    def _mails(kind=None, registration=None) -> list[OutboxMessage]:
        statement = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            statement = statement.where(OutboxMessage.kind == kind)
        if registration is not None:
            statement = statement.where(OutboxMessage.registration_id == registration.id)
        return list(session.scalars(statement))

    return _mails


@pytest.fixture
def line(session):
    """The waiting list of ``event`` as (registration id, shown position), in order."""

    def _line(event) -> list[tuple[int, int]]:
        return [(r.id, waitlist_position(session, r)) for r in waitlist(session, event.id)]

    return _line
