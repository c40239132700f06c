"""Intake fixtures: topics and consultation slots (expressions of interest: tests/conftest.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.intake.consultation import publish_slot
from app.models import SlotChannel, Topic


@pytest.fixture
def topics(session):
    made = [Topic(name=name, slug=name.lower()) for name in ("Energie", "Mobilität", "Strategie")]
    session.add_all(made)
    session.commit()
    return made


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
def organiser(make_user):
    """The organiser logged in by ``orga_client``: Olga, who also runs the consultation slots."""
    return make_user(email="olga@kts.example")
