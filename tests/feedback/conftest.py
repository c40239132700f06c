"""Feedback fixtures: an event that ended yesterday and its participants, present or not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Attendance, RegistrationStatus, utcnow


@pytest.fixture
def ended_event(make_event):
    def factory(**fields):
        ends_at = utcnow().replace(microsecond=0) - timedelta(days=1)
        values = dict(starts_at=ends_at - timedelta(hours=3), ends_at=ends_at)
        values.update(fields)
        return make_event(**values)

    return factory


@pytest.fixture
def participant(make_registration):
    """A confirmed registration, marked present unless told otherwise."""

    def factory(event, attendance=Attendance.ATTENDED, **fields):
        return make_registration(
            event,
            status=fields.pop("status", RegistrationStatus.CONFIRMED),
            attendance=attendance,
            **fields,
        )

    return factory
