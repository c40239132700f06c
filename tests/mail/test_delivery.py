"""Mail goes out after commit, through a real SMTP server, exactly once, even across outages."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from links import token_in
from sqlalchemy import func, select

from app.booking.registration import cancel_registration, find_by_token, submit_registration
from app.mail.delivery import deliver_all_due, deliver_due, retry_delay
from app.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus, utcnow


def test_registration_opt_in_mail_arrives_with_personal_link(
    client, session, make_event, form_data, outbox, smtp
):
    event = make_event(title="KI in der Verwaltung")
    response = client.post(
        f"/events/{event.slug}/register", data=form_data(email="erika@musterstadt.example")
    )
    assert response.status_code == 302
    assert smtp.received == []  # nothing is sent inside the request in worker mode

    report = deliver_all_due(session)

    assert report.sent == 1
    [entry] = smtp.received
    registration = session.scalar(select(Registration))
    [row] = outbox()
    mail = entry.message
    assert entry.rcpt_tos == ["erika@musterstadt.example"]
    assert mail["To"] == "Erika Mustermann <erika@musterstadt.example>"
    assert mail["From"] == "Start Smart KTS <kts@startsmart.test>"
    assert mail["Subject"] == "Bitte bestätigen Sie Ihre Anmeldung: KI in der Verwaltung"
    assert mail["Message-ID"] == row.message_id
    assert row.message_id.endswith("@startsmart.test>")
    text = mail.get_body(("plain",)).get_content()
    assert "Guten Tag Erika Mustermann," in text
    token = token_in(text)  # only its hash is stored: the mail is where the link lives
    assert find_by_token(session, token).id == registration.id
    assert f"http://startsmart.test/r/{token}" in text
    html = mail.get_body(("html",)).get_content()
    assert f'href="http://startsmart.test/r/{token}"' in html
    assert b"\r\n" in entry.content and b"\n" not in entry.content.replace(b"\r\n", b"")
    assert row.status == OutboxStatus.SENT and row.sent_at is not None


def test_rolled_back_change_sends_no_mail(session, make_event, make_applicant, outbox, smtp):
    event = make_event()
    submit_registration(session, event, make_applicant(), utcnow())
    session.rollback()

    assert deliver_all_due(session).sent == 0
    assert outbox() == []
    assert smtp.received == []


def test_server_down_keeps_mail_queued_then_delivers_each_exactly_once(
    session, make_event, register, outbox, smtp_down
):
    event = make_event(capacity=10)
    tokens = [register(event, email=f"erika{n}@kommune.example").token for n in range(3)]
    assert len(outbox()) == 6  # opt-in and confirmation for each
    start = utcnow()

    report = deliver_due(session, now=start)

    assert (report.sent, report.retried, report.failed) == (0, 6, 0)
    for row in outbox():
        assert row.status == OutboxStatus.QUEUED
        assert row.attempts == 1
        assert "ConnectionRefused" in row.last_error
        assert row.next_attempt_at == start + retry_delay(1)
        assert row.next_attempt_at > start
    statuses = session.scalars(select(Registration.status)).all()
    assert statuses == [RegistrationStatus.CONFIRMED] * 3  # the outage changed nothing

    smtp_down.start()
    assert deliver_due(session, now=start + timedelta(seconds=10)).sent == 0  # still backing off
    assert smtp_down.received == []

    report = deliver_all_due(session, now=start + retry_delay(1) + timedelta(seconds=1))

    assert report.sent == 6
    ids = smtp_down.handler.message_ids()
    assert sorted(ids) == sorted(row.message_id for row in outbox())
    assert len(set(ids)) == 6
    assert all(row.status == OutboxStatus.SENT for row in outbox())
    assert deliver_all_due(session, now=start + timedelta(days=1)).sent == 0
    assert len(smtp_down.received) == 6
    recipients = sorted(entry.rcpt_tos[0] for entry in smtp_down.received)
    assert recipients == sorted([f"erika{n}@kommune.example" for n in range(3)] * 2)
    registrations = session.scalars(select(Registration.id)).all()
    assert sorted(find_by_token(session, token).id for token in tokens) == sorted(registrations)


def test_backoff_grows_and_delivery_gives_up_after_max_attempts(
    app, session, make_event, submit, outbox, smtp_down, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    event = make_event()
    registration = submit(event)
    now = utcnow()

    delays = []
    for _ in range(3):
        deliver_due(session, now=now)
        [row] = outbox()
        delays.append(row.next_attempt_at - now)
        now = row.next_attempt_at

    [row] = outbox()
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == 3
    assert delays[0] == timedelta(seconds=30) and delays[1] == timedelta(seconds=60)
    assert deliver_due(session, now=now + timedelta(days=1)).handled == 0  # no more attempts
    session.refresh(registration)
    assert registration.status == RegistrationStatus.PENDING


def test_retry_delay_doubles_and_is_capped_at_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(30) == timedelta(hours=1)


def test_refused_message_is_retried_with_the_same_message_id(
    session, make_event, submit, outbox, smtp
):
    event = make_event()
    submit(event)
    smtp.handler.refuse_next = 1
    start = utcnow()

    first = deliver_due(session, now=start)
    [row] = outbox()
    assert "451" in row.last_error and row.status == OutboxStatus.QUEUED
    second = deliver_due(session, now=start + retry_delay(1))

    assert (first.retried, second.sent) == (1, 1)
    [refused] = smtp.handler.refused
    [accepted] = smtp.received
    [row] = outbox()
    assert refused.message["Message-ID"] == accepted.message["Message-ID"] == row.message_id
    assert row.last_error == ""  # cleared once sent
    assert row.attempts == 2 and row.status == OutboxStatus.SENT


def test_one_rejected_recipient_does_not_hold_back_the_others(session, make_event, submit, smtp):
    event = make_event()
    submit(event)
    submit(event, email="erika2@kommune.example")
    smtp.handler.refuse_next = 1

    report = deliver_due(session)

    assert (report.sent, report.retried) == (1, 1)
    assert [entry.rcpt_tos for entry in smtp.received] == [["erika2@kommune.example"]]


def calendar_parts(mail):
    """The multipart/alternative and the invite.ics attachment (the check-in QR code, when
    embedded, is a third, inline part)."""
    parts = list(mail.iter_parts())
    [alternative] = [p for p in parts if p.get_content_type() == "multipart/alternative"]
    [attachment] = [p for p in parts if p.get_filename() == "invite.ics"]
    return alternative, attachment


def test_confirmation_is_an_imip_request_with_attachment(session, make_event, register, smtp_down):
    event = make_event(title="Datenstrategie kompakt")
    registration = register(event, email="erika1@kommune.example")
    start = utcnow()
    deliver_due(session, now=start)  # server down: the invitation waits for a retry
    smtp_down.start()
    deliver_all_due(session, now=start + retry_delay(1))

    [confirmation] = [e.message for e in smtp_down.received if "bestätigt" in e.message["Subject"]]
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "confirmed"))
    assert confirmation["Message-ID"] == row.message_id  # the same message after the retry
    assert row.attempts == 2
    assert confirmation.get_content_type() == "multipart/mixed"
    alternative, attachment = calendar_parts(confirmation)
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar = alternative.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_param("charset") == "UTF-8"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_disposition() == "attachment"

    inline_ics = Calendar.from_ical(calendar.get_content())
    attached_ics = Calendar.from_ical(attachment.get_content())
    assert inline_ics["METHOD"] == calendar.get_param("method")
    assert inline_ics.to_ical() == attached_ics.to_ical()
    [vevent] = inline_ics.walk("VEVENT")
    assert str(vevent["ATTENDEE"]) == "mailto:erika1@kommune.example"
    assert f"/r/{registration.token}" in str(vevent["DESCRIPTION"])


def test_cancelling_a_confirmed_seat_sends_an_imip_cancel(session, make_event, register, smtp):
    event = make_event()
    registration = register(event)
    cancel_registration(session, registration.token, utcnow())
    session.commit()

    deliver_all_due(session)

    [cancel] = [e.message for e in smtp.received if "storniert" in e.message["Subject"]]
    alternative, attachment = calendar_parts(cancel)
    calendar = list(alternative.iter_parts())[2]
    assert calendar.get_param("method") == "CANCEL"
    assert Calendar.from_ical(calendar.get_content())["METHOD"] == "CANCEL"
    assert attachment.get_filename() == "invite.ics"


def test_opt_in_mail_has_no_calendar(session, make_event, submit, smtp):
    event = make_event()
    submit(event)

    deliver_all_due(session)

    [entry] = smtp.received
    assert entry.message.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in entry.message.iter_parts()]
    assert types == ["text/plain", "text/html"]
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
