"""Factories for the intake tests: topics, expressions of interest, consultation slots."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import select

from app.intake.consultation import publish_slot
from app.intake.interest import InterestApplication, confirm_interest, submit_interest
from app.models import OutboxMessage, SizeClass, SlotChannel, StrategyStage, Topic, utcnow

_numbers = count(1)


@pytest.fixture
def now():
    return utcnow().replace(microsecond=0)


@pytest.fixture
def topics(session):
    made = [Topic(name=name, slug=name.lower()) for name in ("Energie", "Mobilität", "Strategie")]
    session.add_all(made)
    session.commit()
    return made


def application(**fields) -> InterestApplication:
    number = next(_numbers)
    values = dict(
        municipality=f"Gemeinde {number}",
        state="09",
        size_class=SizeClass.FROM_5K,
        strategy_stage=StrategyStage.NO_STRATEGY,
        first_name="Kim",
        last_name=f"Beispiel {number}",
        email=f"kim{number}@kommune.example",
        role="Digitalisierungsbeauftragte",
    )
    values.update(fields)
    return InterestApplication(**values)


@pytest.fixture
def make_interest(session, now):
    def factory(confirmed: bool = True, **fields):
        interest = submit_interest(session, application(**fields), now)
        session.commit()
        if confirmed:
            confirm_interest(session, interest.token, now)
            session.commit()
        return interest

    return factory


@pytest.fixture
def make_slot(session, now):
    def factory(**fields):
        values = dict(
            starts_at=now + timedelta(days=7),
            duration_minutes=60,
            channel=SlotChannel.ONLINE,
            organiser_name="Olga Organisatorin",
            organiser_email="olga@kts.example",
            now=now,
            access_details="https://meet.example/beratung",
        )
        values.update(fields)
        slot = publish_slot(session, **values)
        session.commit()
        return slot

    return factory


@pytest.fixture
def outbox(session):
    """Queued mail, optionally only of one kind or to one recipient, oldest first."""

    def read(kind=None, recipient=None) -> list[OutboxMessage]:
        return _read_outbox(session, kind, recipient)

    return read


def _read_outbox(session, kind=None, recipient=None) -> list[OutboxMessage]:
    statement = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        statement = statement.where(OutboxMessage.kind == kind)
    if recipient:
        statement = statement.where(OutboxMessage.recipient == recipient)
    return list(session.scalars(statement))
