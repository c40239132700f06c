"""Invitations by mail (RFC 5546, 6047): what a confirmed, promoted or cancelling person gets."""

from __future__ import annotations

from email.utils import parseaddr

import icalendar
from ical_consumers import BERLIN, assert_parsers_agree, assert_wire_format
from sqlalchemy import select

from app.booking.registration import cancel_registration
from app.mail.delivery import deliver_due
from app.models import OutboxMessage, RegistrationStatus, utcnow

S = RegistrationStatus


def only_event(ics: str):
    calendar = icalendar.Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_confirmed_mail_carries_a_request_invite_clients_accept(make_event, register, outbox):
    event = make_event(
        title="Daten & Plattformen; Teil 1",
        venue="Rathaus Musterstadt",
        address="Marktplatz 1, 12345 Musterstadt",
        online_url="https://video.example/raum-42",
        mode="hybrid",
    )
    registration = register(
        event, first_name="Kim", last_name="Beispiel 1", email="kim1@kommune.example"
    )
    (mail,) = outbox("confirmed")
    assert mail.ics_method == "REQUEST"
    assert_wire_format(mail.ics)
    assert_parsers_agree(mail.ics)
    calendar, vevent = only_event(mail.ics)

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(vevent["UID"]) == f"registration-{registration.id}@startsmart.test"
    assert int(vevent["SEQUENCE"]) == 0
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["TRANSP"]) == "OPAQUE"
    assert [component.name for component in vevent.subcomponents] == ["VALARM"]
    assert vevent.start == event.starts_at and vevent.end == event.ends_at
    assert vevent.start.tzinfo.key == "Europe/Berlin"
    assert str(vevent["SUMMARY"]) == "Daten & Plattformen; Teil 1"
    assert str(vevent["LOCATION"]) == "Rathaus Musterstadt, Marktplatz 1, 12345 Musterstadt"
    assert str(vevent["URL"]) == f"http://startsmart.test/events/{event.slug}"
    description = str(vevent["DESCRIPTION"])
    assert f"http://startsmart.test/r/{registration.token}" in description
    assert "https://video.example/raum-42" in description

    organizer = vevent["ORGANIZER"]
    assert str(organizer) == "mailto:kts@startsmart.test"
    assert organizer.params["CN"] == "Start Smart KTS"
    (attendee,) = [vevent["ATTENDEE"]]
    assert str(attendee) == "mailto:kim1@kommune.example"
    assert attendee.params["CN"] == "Kim Beispiel 1"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "FALSE"
    assert "nicht ausgewertet" in mail.body_text  # RSVP=FALSE, said in words


def test_waitlisted_get_their_position_and_no_invite_until_promoted(
    session, make_event, register, outbox
):
    event = make_event(capacity=1, online_url="https://video.example/geheim")
    first = register(event)
    waiting = register(event, email="kim2@kommune.example")
    assert waiting.status == S.WAITLISTED
    (waitlisted_mail,) = outbox("waitlisted")
    assert waitlisted_mail.recipient == "kim2@kommune.example"
    assert waitlisted_mail.ics == ""
    assert "Platz 1" in waitlisted_mail.body_text
    assert "video.example" not in waitlisted_mail.body_text

    cancel_registration(session, first.token, utcnow())
    session.commit()
    (promoted,) = outbox("promoted")
    assert promoted.recipient == "kim2@kommune.example"
    assert promoted.ics_method == "REQUEST"
    _, vevent = only_event(promoted.ics)
    assert str(vevent["UID"]) == f"registration-{waiting.id}@startsmart.test"
    assert int(vevent["SEQUENCE"]) == 0
    assert "https://video.example/geheim" in str(vevent["DESCRIPTION"])
    assert_parsers_agree(promoted.ics)


def test_participant_cancel_sends_cancel_that_outranks_the_request(
    session, make_event, register, outbox
):
    event = make_event(online_url="https://video.example/raum")
    registration = register(event)
    (request_mail,) = outbox("confirmed")
    cancel_registration(session, registration.token, utcnow())
    session.commit()
    (cancel_mail,) = outbox("cancelled")
    assert cancel_mail.ics_method == "CANCEL"
    assert_wire_format(cancel_mail.ics)
    assert_parsers_agree(cancel_mail.ics)
    _, request_event = only_event(request_mail.ics)
    cancel_cal, cancel_event = only_event(cancel_mail.ics)
    assert str(cancel_cal["METHOD"]) == "CANCEL"
    assert str(cancel_event["STATUS"]) == "CANCELLED"
    assert str(cancel_event["UID"]) == str(request_event["UID"])
    assert int(cancel_event["SEQUENCE"]) > int(request_event["SEQUENCE"])
    assert str(cancel_event["ORGANIZER"]) == str(request_event["ORGANIZER"])
    assert str(cancel_event["ATTENDEE"]) == str(request_event["ATTENDEE"])
    assert "video.example" not in cancel_mail.ics  # the link goes to confirmed people only


def test_invite_travels_through_smtp_as_imip(session, make_event, register, smtp):
    event = make_event(online_url="https://video.example/raum")
    registration = register(event)
    report = deliver_due(session)
    assert report.sent == 2  # opt-in and confirmation
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "confirmed"))
    (message,) = [m for m in smtp.messages if m["Message-ID"] == row.message_id]

    assert parseaddr(message["From"])[1] == "kts@startsmart.test"
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment, *_inline_images = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    calendar_part = list(alternative.iter_parts())[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset().upper() == "UTF-8"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() in ("application/ics", "text/calendar")

    inline = calendar_part.get_payload(decode=True)
    attached = attachment.get_payload(decode=True)
    assert inline == attached
    calendar = icalendar.Calendar.from_ical(inline)
    assert str(calendar["METHOD"]) == calendar_part.get_param("method")
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"registration-{registration.id}@startsmart.test"
    assert vevent.start.astimezone(BERLIN) == event.starts_at.astimezone(BERLIN)


def test_update_and_cancel_travel_through_smtp_with_their_method(
    session, make_event, register, smtp
):
    from datetime import timedelta

    from app.programme import changes as programme

    event = make_event()
    registration = register(event)
    new_start = event.starts_at + timedelta(hours=1)
    programme.update_event(
        session,
        event.id,
        {"starts_at": new_start, "ends_at": new_start + timedelta(hours=2)},
        utcnow(),
    )
    session.commit()
    cancel_registration(session, registration.token, utcnow())
    session.commit()
    deliver_due(session)

    def calendar_of(kind):
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == kind))
        (message,) = [m for m in smtp.messages if m["Message-ID"] == row.message_id]
        alternative, attachment, *_inline_images = message.iter_parts()
        part = list(alternative.iter_parts())[-1]
        assert part.get_content_type() == "text/calendar"
        assert part.get_payload(decode=True) == attachment.get_payload(decode=True)
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert str(calendar["METHOD"]) == part.get_param("method")
        (vevent,) = calendar.walk("VEVENT")
        return part.get_param("method"), vevent

    sequences = []
    for kind, method in (("confirmed", "REQUEST"), ("updated", "REQUEST"), ("cancelled", "CANCEL")):
        sent_method, vevent = calendar_of(kind)
        assert sent_method == method
        assert str(vevent["UID"]) == f"registration-{registration.id}@startsmart.test"
        sequences.append(int(vevent["SEQUENCE"]))
    assert sequences == [0, 1, 2]
