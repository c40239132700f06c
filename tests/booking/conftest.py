"""Booking fixtures: the waiting list as people see it."""

from __future__ import annotations

import pytest

from app.booking.allocation import waitlist, waitlist_position


@pytest.fixture
def line(session):
    """The waiting list of ``event`` as (registration id, shown position), in order."""

    def _line(event) -> list[tuple[int, int]]:
        return [(r.id, waitlist_position(session, r)) for r in waitlist(session, event.id)]

    return _line
