"""Calendar consumers nobody here wrote: three parsers, and checks of the wire format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import vobject
from ical.calendar_stream import IcsCalendarStream

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class ParsedEvent:
    """One VEVENT as a parser understood it: the values the tests compare."""

    parser: str
    uid: str
    start: datetime
    end: datetime
    sequence: int | None
    status: str | None
    summary: str


def parse_everywhere(text: str | bytes) -> dict[str, list[ParsedEvent]]:
    """Parse ``text`` with icalendar, the strict ``ical`` package and vobject.

    Each must accept it; the VEVENTs each saw are returned for comparison.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    results: dict[str, list[ParsedEvent]] = {}

    calendar = icalendar.Calendar.from_ical(text)
    results["icalendar"] = [
        ParsedEvent(
            "icalendar",
            str(event["UID"]),
            event.start,
            event.end,
            int(event["SEQUENCE"]) if "SEQUENCE" in event else None,
            str(event["STATUS"]) if "STATUS" in event else None,
            str(event["SUMMARY"]),
        )
        for event in calendar.walk("VEVENT")
    ]

    strict = IcsCalendarStream.calendar_from_ics(text)
    results["ical"] = [
        ParsedEvent(
            "ical",
            event.uid,
            event.dtstart,
            event.dtend,
            event.sequence,
            event.status.value if event.status else None,
            event.summary,
        )
        for event in strict.events
    ]

    parsed = vobject.readOne(text)
    results["vobject"] = (
        [
            ParsedEvent(
                "vobject",
                vevent.uid.value,
                vevent.dtstart.value,
                vevent.dtend.value,
                int(vevent.sequence.value) if hasattr(vevent, "sequence") else None,
                vevent.status.value if hasattr(vevent, "status") else None,
                vevent.summary.value,
            )
            for vevent in parsed.vevent_list
        ]
        if hasattr(parsed, "vevent_list")
        else []
    )
    return results


def assert_parsers_agree(text: str | bytes) -> list[ParsedEvent]:
    """All three parsers read the same UIDs, instants, sequences, statuses and summaries."""
    results = parse_everywhere(text)
    reference = sorted(results["icalendar"], key=lambda event: event.uid)
    for name, events in results.items():
        events = sorted(events, key=lambda event: event.uid)
        assert [e.uid for e in events] == [e.uid for e in reference], name
        for event, expected in zip(events, reference, strict=True):
            assert event.start.tzinfo is not None and event.end.tzinfo is not None, name
            assert event.start == expected.start and event.end == expected.end, name
            assert event.start.utcoffset() == expected.start.utcoffset(), name
            assert event.sequence == expected.sequence, name
            assert event.status == expected.status, name
            assert event.summary == expected.summary, name
    return reference


def assert_wire_format(text: str | bytes) -> None:
    """CRLF line ends, folded at 75 octets (RFC 5545 3.1), never floating times (3.3.5)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Start Smart" in str(calendar["PRODID"])
    for event in calendar.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert prop in event, prop
        for prop in ("DTSTART", "DTEND"):
            value = event[prop]
            assert value.dt.tzinfo is not None, "floating time"
            assert value.params.get("TZID") == "Europe/Berlin"
        assert event["DTSTAMP"].dt.utcoffset().total_seconds() == 0
    tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert tzids == {"Europe/Berlin"}
