"""Development: mail goes out right after the request, and the dev mailbox shows it."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.mail.delivery import INLINE_HOUSEKEEPING_EVERY
from app.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus, utcnow

FORM = {
    "municipality": "Musterstadt",
    "state": "09",
    "first_name": "Erika",
    "last_name": "Mustermann",
    "email": "erika@musterstadt.example",
    "consent": "y",
}


@pytest.fixture
def make_app(app):
    """A second app on the same database with other settings; its connections closed after."""
    made = []

    def factory(config="testing", **overrides):
        settings = dict(
            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
            BASE_URL="http://localhost",
            INSTANCE_PATH=app.instance_path,
            RATELIMIT_ENABLED=False,
        )
        settings.update(overrides)
        other = create_app(config, **settings)
        made.append(other)
        return other

    yield factory
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    match = match or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def test_inline_delivery_sends_right_after_the_view_commits(
    make_app, session, make_event, smtp_port, smtp
):
    inline = make_app(MAIL_DELIVERY="inline", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port)
    event = make_event()

    response = inline.test_client().post(f"/events/{event.slug}/register", data=FORM)

    assert response.status_code == 302
    [entry] = smtp.received  # delivered before the test did anything else
    assert entry.rcpt_tos == ["erika@musterstadt.example"]
    assert "Bitte bestätigen" in entry.message["Subject"]
    session.commit()  # end the read snapshot: the other app wrote
    row = session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.SENT


def test_inline_delivery_failure_keeps_the_registration_and_the_mail(
    make_app, session, make_event, smtp_down, smtp_port
):
    inline = make_app(MAIL_DELIVERY="inline", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port)
    event = make_event()

    response = inline.test_client().post(f"/events/{event.slug}/register", data=FORM)

    assert response.status_code == 302
    session.commit()  # end the read snapshot: the other app wrote
    assert session.scalar(select(Registration)).status == RegistrationStatus.PENDING
    row = session.scalar(select(OutboxMessage))
    assert row.status == OutboxStatus.QUEUED and row.attempts == 1
    assert row.next_attempt_at > utcnow()


def test_inline_mode_expires_overdue_offers_at_most_once_a_minute(
    make_app, session, make_event, make_registration, monkeypatch
):
    inline = make_app(MAIL_DELIVERY="inline", DEV_MAILBOX=True)
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


def test_dev_mailbox_lets_a_newcomer_click_through_the_whole_flow(make_app, session, make_event):
    dev = make_app("development", DEV_MAILBOX=True, MAIL_DELIVERY="inline", MAIL_SERVER=None)
    event = make_event(title="Smart City Grundlagen", capacity=5)
    browser = dev.test_client()

    form_page = browser.get(f"/events/{event.slug}/register").get_data(as_text=True)
    response = browser.post(
        f"/events/{event.slug}/register", data={**FORM, "csrf_token": csrf_token(form_page)}
    )
    assert response.status_code == 302

    mailbox = browser.get("/dev/mailbox/").get_data(as_text=True)
    assert "Bitte bestätigen Sie Ihre Anmeldung: Smart City Grundlagen" in mailbox
    assert "erika@musterstadt.example" in mailbox
    [mail_link] = [href for href in links(mailbox) if re.fullmatch(r"/dev/mailbox/\d+", href)]

    mail_page = browser.get(mail_link).get_data(as_text=True)
    [manage_link] = {href for href in links(mail_page) if "/r/" in href}
    assert manage_link.startswith("http://localhost/r/")

    manage_page = browser.get(manage_link).get_data(as_text=True)
    assert "Anmeldung bestätigen" in manage_page
    session.commit()  # end the read snapshot: the other app wrote
    registration = session.scalar(select(Registration))
    confirm = browser.post(
        f"/r/{registration.token}/confirm", data={"csrf_token": csrf_token(manage_page)}
    )
    assert confirm.status_code == 302
    session.commit()  # end the read snapshot: other connections wrote
    assert session.get(Registration, registration.id).status == RegistrationStatus.CONFIRMED

    mailbox = browser.get("/dev/mailbox/").get_data(as_text=True)
    assert "Anmeldung bestätigt: Smart City Grundlagen" in mailbox
    confirmation = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "confirmed"))
    assert confirmation.status == OutboxStatus.SENT  # kept in the dev mailbox, not retried
    ics = browser.get(f"/dev/mailbox/{confirmation.id}/invite.ics")
    assert ics.mimetype == "text/calendar" and b"METHOD:REQUEST" in ics.data
    raw = browser.get(f"/dev/mailbox/{confirmation.id}/raw.eml")
    assert raw.mimetype == "message/rfc822" and confirmation.message_id.encode() in raw.data


def test_dev_mailbox_is_not_there_in_testing_or_production(client, make_app):
    production = make_app("production", SECRET_KEY="x" * 40, MAIL_SERVER="smtp.example.org")

    assert client.get("/dev/mailbox/").status_code == 404
    assert production.test_client().get("/dev/mailbox/").status_code == 404
    for application in (client.application, production):
        assert not any(rule.rule.startswith("/dev") for rule in application.url_map.iter_rules())
