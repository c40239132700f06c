"""The one time zone of the service: every event takes place in Germany.

Times are stored in UTC and converted at the edge (forms, pages, mails, calendars).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def to_utc(local: datetime | None) -> datetime | None:
    """A time typed in a form (Berlin wall clock, naive) as an aware UTC datetime."""
    return local.replace(tzinfo=BERLIN).astimezone(UTC) if local else None


def to_local(value: datetime | None) -> datetime | None:
    """An aware datetime as the naive Berlin wall clock a form field shows."""
    return value.astimezone(BERLIN).replace(tzinfo=None) if value else None
