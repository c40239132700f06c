"""Round trips through consumers nobody here wrote, across the daylight-saving switch.

Every calendar parses with icalendar, the strict ``ical`` package and vobject; a Radicale CalDAV
server stores each invite and gives back the same UID, DTSTART and SEQUENCE.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from ical_consumers import BERLIN, assert_parsers_agree, assert_wire_format, parse_everywhere

from app.booking.registration import cancel_registration
from app.calendar.invites import build_invite
from app.models import RegistrationStatus, utcnow
from app.programme import changes as programme

S = RegistrationStatus

# Last Sunday of October 2026 (clocks go back at 03:00) and of March 2027 (forward at 02:00).
AUTUMN = datetime(2026, 10, 25, 10, 0, tzinfo=BERLIN)  # CET, 09:00 UTC
SPRING = datetime(2027, 3, 28, 10, 0, tzinfo=BERLIN)  # CEST, 08:00 UTC


def berlin_wall_clock(value: datetime) -> tuple:
    local = value.astimezone(BERLIN)
    return (local.year, local.month, local.day, local.hour, local.minute)


@pytest.mark.parametrize("start", [AUTUMN, SPRING], ids=["october", "march"])
def test_invites_keep_the_berlin_hour_across_the_switch(
    session, make_event, make_registration, start
):
    event = make_event(
        starts_at=start.astimezone(UTC), ends_at=(start + timedelta(hours=2)).astimezone(UTC)
    )
    registration = make_registration(event, S.CONFIRMED)
    ics = build_invite(registration, "REQUEST", utcnow())
    assert_wire_format(ics)
    for parser, (parsed,) in parse_everywhere(ics).items():
        assert berlin_wall_clock(parsed.start) == (start.year, start.month, start.day, 10, 0), (
            parser
        )
        assert parsed.start.astimezone(UTC) == start.astimezone(UTC), parser
        assert parsed.end - parsed.start == timedelta(hours=2), parser
    expected_utc_hour = 9 if start is AUTUMN else 8
    assert start.astimezone(UTC).hour == expected_utc_hour


def test_an_event_spanning_the_spring_switch_lasts_one_real_hour(
    session, make_event, make_registration
):
    start = datetime(2027, 3, 28, 1, 30, tzinfo=BERLIN)  # CET
    end = datetime(2027, 3, 28, 3, 30, tzinfo=BERLIN)  # CEST: only one hour later
    event = make_event(starts_at=start.astimezone(UTC), ends_at=end.astimezone(UTC))
    ics = build_invite(make_registration(event, S.CONFIRMED), "REQUEST", utcnow())
    for parser, (parsed,) in parse_everywhere(ics).items():
        assert parsed.end.astimezone(UTC) - parsed.start.astimezone(UTC) == timedelta(hours=1), (
            parser
        )
        assert berlin_wall_clock(parsed.end)[3:] == (3, 30), parser


def test_feeds_keep_the_berlin_hour_across_the_switch(client, runner, make_event):
    autumn_2027 = datetime(2027, 10, 31, 10, 0, tzinfo=BERLIN)  # last Sunday of October 2027
    for start in (SPRING, autumn_2027):
        make_event(
            starts_at=start.astimezone(UTC), ends_at=(start + timedelta(hours=1)).astimezone(UTC)
        )
    organiser = runner.invoke(args=["feeds", "organiser-url"]).output.strip()
    for path in ("/calendar.ics", organiser.removeprefix("http://startsmart.test")):
        body = client.get(path).data
        assert_parsers_agree(body)
        for parser, events in parse_everywhere(body).items():
            clocks = sorted(berlin_wall_clock(event.start) for event in events)
            assert clocks == [(2027, 3, 28, 10, 0), (2027, 10, 31, 10, 0)], parser


# Radicale ----------------------------------------------------------------------------------


def as_stored_by_a_client(ics: str) -> bytes:
    """What a calendar client PUTs after accepting an invite: the same object without METHOD.

    RFC 4791 4.1 forbids METHOD in calendar object resources. Radicale 3.9 happens to accept it
    anyway (checked by hand); the test stores invites the way a conforming client does.
    """
    calendar = icalendar.Calendar.from_ical(ics)
    del calendar["METHOD"]
    return calendar.to_ical()


def stored_event(radicale, path: str) -> icalendar.Event:
    body = radicale.get(path)
    assert_parsers_agree(body)
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return event


@pytest.fixture
def collection(radicale, request):
    """A fresh calendar collection per test (MKCOL for the user, MKCALENDAR for the calendar)."""
    name = request.node.name.replace("[", "-").replace("]", "")
    radicale.request("MKCOL", "/startsmart/")
    status, body = radicale.request("MKCALENDAR", f"/startsmart/{name}/")
    assert status == 201, (status, body)
    return f"/startsmart/{name}/"


def test_radicale_stores_request_update_and_cancel_of_one_entry(
    session, radicale, collection, make_event, make_registration
):
    event = make_event(
        starts_at=AUTUMN.astimezone(UTC), ends_at=(AUTUMN + timedelta(hours=2)).astimezone(UTC)
    )
    registration = make_registration(event, S.CONFIRMED)
    href = f"{collection}registration-{registration.id}.ics"
    uid = f"registration-{registration.id}@startsmart.test"

    request = build_invite(registration, "REQUEST", utcnow())
    assert radicale.put(href, as_stored_by_a_client(request)) == 201
    stored = stored_event(radicale, href)
    assert str(stored["UID"]) == uid
    assert stored.start == AUTUMN and berlin_wall_clock(stored.start)[3] == 10
    assert int(stored["SEQUENCE"]) == 0

    moved = SPRING  # moved across the switch: the wall clock must still read 10:00
    programme.update_event(
        session,
        event.id,
        {
            "starts_at": moved.astimezone(UTC),
            "ends_at": (moved + timedelta(hours=2)).astimezone(UTC),
        },
        utcnow(),
    )
    session.commit()
    session.refresh(registration)
    update = build_invite(registration, "REQUEST", utcnow())
    assert radicale.put(href, as_stored_by_a_client(update)) in (201, 204)
    stored = stored_event(radicale, href)
    assert str(stored["UID"]) == uid
    assert stored.start == moved and berlin_wall_clock(stored.start)[3] == 10
    assert int(stored["SEQUENCE"]) == 1

    cancel_registration(session, registration.token, utcnow())
    session.commit()
    session.refresh(registration)
    cancel = build_invite(registration, "CANCEL", utcnow())
    assert radicale.put(href, as_stored_by_a_client(cancel)) in (201, 204)
    stored = stored_event(radicale, href)
    assert str(stored["UID"]) == uid
    assert str(stored["STATUS"]) == "CANCELLED"
    assert int(stored["SEQUENCE"]) == 2


def test_radicale_stores_every_mailed_invite(
    session, radicale, collection, make_event, register, outbox
):
    """Every invite the outbox holds after a full flow goes in and comes back the same."""
    event = make_event(
        capacity=1,
        starts_at=SPRING.astimezone(UTC),
        ends_at=(SPRING + timedelta(hours=3)).astimezone(UTC),
        online_url="https://video.example/r",
    )
    tokens = [register(event).token for _ in (1, 2)]
    cancel_registration(session, tokens[0], utcnow())  # the second person is promoted
    session.commit()
    new_start = SPRING + timedelta(hours=1)
    programme.update_event(
        session,
        event.id,
        {
            "starts_at": new_start.astimezone(UTC),
            "ends_at": (new_start + timedelta(hours=2)).astimezone(UTC),
        },
        utcnow(),
    )
    session.commit()
    programme.cancel_event(session, event.id, "Ausfall", utcnow())
    session.commit()

    invites = [mail for mail in outbox() if mail.ics]
    assert [mail.kind for mail in invites] == [
        "confirmed",
        "cancelled",
        "promoted",
        "updated",
        "event_cancelled",
    ]
    for mail in invites:
        assert_wire_format(mail.ics)
        (sent,) = icalendar.Calendar.from_ical(mail.ics).walk("VEVENT")
        # One resource per UID, as a client keeps it: a later invite replaces the earlier one.
        # (Radicale answers 409 to a second resource with the same UID in a collection.)
        href = f"{collection}{sent['UID']}.ics"
        assert radicale.put(href, as_stored_by_a_client(mail.ics)) in (201, 204)
        stored = stored_event(radicale, href)
        assert str(stored["UID"]) == str(sent["UID"])
        assert stored.start == sent.start
        assert stored.start.astimezone(BERLIN).utcoffset() == timedelta(hours=2)  # CEST
        assert int(stored["SEQUENCE"]) == int(sent["SEQUENCE"])
        assert str(stored["STATUS"]) == str(sent["STATUS"])

    status, listing = radicale.request("PROPFIND", collection, headers={"Depth": "1"})
    assert status == 207
    # Two people, two calendar entries: updates and cancels replaced, never added.
    assert listing.count(b".ics</") == 2
