"""The VTIMEZONE for Europe/Berlin that every calendar of the service carries.

Written as the two yearly rules (last Sunday of March and of October, EU rules since 1996) rather
than as a list of dates: it is small, never runs out, and is the form Outlook and Exchange
themselves send, so Outlook maps it onto its own "W. Europe Standard Time" reliably.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

TZID = "Europe/Berlin"
BERLIN = ZoneInfo(TZID)


def _observance(kind, name: str, start: datetime, offset_from: int, offset_to: int, month: int):
    observance = kind()
    observance.add("tzname", name)
    observance.add("dtstart", start)
    observance.add("tzoffsetfrom", timedelta(hours=offset_from))
    observance.add("tzoffsetto", timedelta(hours=offset_to))
    observance.add("rrule", vRecur(freq="YEARLY", bymonth=month, byday="-1SU"))
    return observance


def berlin_vtimezone() -> Timezone:
    timezone = Timezone()
    timezone.add("tzid", TZID)
    # DTSTART of an observance is local time without TZID (RFC 5545 3.6.5): 02:00 CET becomes
    # 03:00 CEST in March, 03:00 CEST becomes 02:00 CET in October.
    timezone.add_component(
        _observance(TimezoneDaylight, "CEST", datetime(1996, 3, 31, 2, 0), 1, 2, 3)
    )
    timezone.add_component(
        _observance(TimezoneStandard, "CET", datetime(1996, 10, 27, 3, 0), 2, 1, 10)
    )
    return timezone
