"""Whoever moves up from the waiting list gets the check-in QR code too, as in every
confirmation (HTML with the image, and the text part), except for online events."""

from __future__ import annotations

from app.booking.checkin_codes import CHECKIN_QR_CID, checkin_url
from app.mail.message import OutboxMailMessage
from app.models import EventMode, RegistrationStatus, utcnow
from app.programme.changes import change_capacity

S = RegistrationStatus


def promote_one(session, make_event, make_registration, **event_fields):
    event = make_event(capacity=1, **event_fields)
    make_registration(event, S.CONFIRMED)
    waiting = make_registration(event, S.WAITLISTED)
    change_capacity(session, None, event.id, 2, utcnow())
    session.commit()
    return waiting


def test_the_promotion_mail_carries_the_check_in_code(
    session, make_event, make_registration, outbox
):
    waiting = promote_one(session, make_event, make_registration, title="Werkstatt Jena")

    [mail] = outbox("promoted", registration=waiting)

    assert f'src="cid:{CHECKIN_QR_CID}"' in mail.body_html
    for body in (mail.body_html, mail.body_text):
        assert "Ihr Check-in-Code für den Einlass" in body
        assert "Werkstatt Jena" in body
    assert checkin_url(waiting) in mail.body_text
    mime = OutboxMailMessage(mail)._message()
    images = [part for part in mime.walk() if part.get_content_type() == "image/png"]
    assert [image["Content-ID"] for image in images] == [f"<{CHECKIN_QR_CID}>"]


def test_the_promotion_mail_of_an_online_event_has_no_door_to_check_in_at(
    session, make_event, make_registration, outbox
):
    waiting = promote_one(
        session,
        make_event,
        make_registration,
        mode=EventMode.ONLINE,
        venue="",
        address="",
        online_url="https://konferenz.example/w",
    )

    [mail] = outbox("promoted", registration=waiting)

    assert "cid:" not in mail.body_html
    assert "Check-in" not in mail.body_text
