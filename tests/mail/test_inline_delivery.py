"""Inline delivery (development): mail goes out right after the view commits."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.mail.delivery import INLINE_HOUSEKEEPING_EVERY
from app.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus, utcnow


def test_inline_delivery_sends_right_after_the_view_commits(
    other_app, session, make_event, form_data, smtp_port, smtp
):
    inline = other_app(MAIL_DELIVERY="inline", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port)
    event = make_event()

    response = inline.test_client().post(
        f"/events/{event.slug}/register", data=form_data(email="erika@musterstadt.example")
    )

    assert response.status_code == 302
    [entry] = smtp.received  # delivered before the test did anything else
    assert entry.rcpt_tos == ["erika@musterstadt.example"]
    assert "Bitte bestätigen" in entry.message["Subject"]
    session.commit()  # end the read snapshot: the other app wrote
    row = session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.SENT


def test_inline_delivery_failure_keeps_the_registration_and_the_mail(
    other_app, session, make_event, form_data, smtp_down, smtp_port
):
    inline = other_app(MAIL_DELIVERY="inline", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port)
    event = make_event()

    response = inline.test_client().post(
        f"/events/{event.slug}/register", data=form_data(email="erika@musterstadt.example")
    )

    assert response.status_code == 302
    session.commit()  # end the read snapshot: the other app wrote
    assert session.scalar(select(Registration)).status == RegistrationStatus.PENDING
    row = session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.QUEUED and row.attempts == 1
    assert row.next_attempt_at > utcnow()


def test_inline_mode_expires_overdue_offers_at_most_once_a_minute(
    other_app, session, make_event, make_registration, monkeypatch
):
    inline = other_app(MAIL_DELIVERY="inline", DEV_MAILBOX=True)
    event = make_event(capacity=1)
    overdue = utcnow() - timedelta(minutes=5)
    first = make_registration(event, status=RegistrationStatus.OFFERED, offer_expires_at=overdue)
    client = inline.test_client()

    client.get("/")
    session.commit()  # end the read snapshot: other connections wrote
    assert session.get(Registration, first.id).status == RegistrationStatus.EXPIRED
    kinds = session.scalars(select(OutboxMessage.kind)).all()
    assert "offer_expired" in kinds

    second = make_registration(event, status=RegistrationStatus.OFFERED, offer_expires_at=overdue)
    client.get("/")
    session.commit()  # end the read snapshot: other connections wrote
    assert session.get(Registration, second.id).status == RegistrationStatus.OFFERED  # throttled

    clock = inline.extensions["startsmart_inline_housekeeping"]
    clock["last"] -= INLINE_HOUSEKEEPING_EVERY + 1
    client.get("/")
    session.commit()  # end the read snapshot: other connections wrote
    assert session.get(Registration, second.id).status == RegistrationStatus.EXPIRED
