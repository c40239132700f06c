"""Certificate fixtures: a participant marked as attended at a past event, and no signature
left over from another test."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.certificates.signature import signature_path
from app.core.timezone import BERLIN
from app.models import Attendance, RegistrationStatus


@pytest.fixture
def past_event(make_event):
    """A workshop on Thursday, 13 March 2025, 09:30 to 15:30 Berlin time (6 hours)."""
    starts_at = datetime(2025, 3, 13, 9, 30, tzinfo=BERLIN)
    return make_event(
        title="Themenwerkstatt: Kommunale Wärmeplanung für Einsteiger",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        venue="Rathaus Görlitz",
        address="Untermarkt 6–8, 02826 Görlitz",
    )


@pytest.fixture
def make_participant(make_registration, past_event):
    """A confirmed registration for ``past_event``, marked as attended unless told otherwise."""

    def factory(attendance=Attendance.ATTENDED, event=None, **fields):
        return make_registration(
            event or past_event,
            status=RegistrationStatus.CONFIRMED,
            attendance=attendance,
            checked_in_at=(event or past_event).starts_at if attendance else None,
            **fields,
        )

    return factory


@pytest.fixture
def attended(make_participant):
    return make_participant(
        first_name="Jörg", last_name="Schäfer", municipality="Stadt Dessau-Roßlau", state="15"
    )


@pytest.fixture
def no_signature(app):
    """No signature stored before or after the test (the instance folder is shared)."""
    path = signature_path(app.instance_path)
    path.unlink(missing_ok=True)
    yield path
    path.unlink(missing_ok=True)
