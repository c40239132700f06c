"""The dev mailbox: a newcomer clicks through the whole flow without a mail server."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from app.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus, utcnow


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    match = match or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


def links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def test_dev_mailbox_lets_a_newcomer_click_through_the_whole_flow(
    other_app, session, make_event, form_data
):
    dev = other_app(
        "development",
        DEV_MAILBOX=True,
        MAIL_DELIVERY="inline",
        MAIL_SERVER=None,
        BASE_URL="http://localhost",
        RATELIMIT_ENABLED=False,
    )
    event = make_event(title="Smart City Grundlagen", capacity=5)
    browser = dev.test_client()

    form_page = browser.get(f"/events/{event.slug}/register").get_data(as_text=True)
    response = browser.post(
        f"/events/{event.slug}/register",
        data=form_data(email="erika@musterstadt.example", csrf_token=csrf_token(form_page)),
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
        f"{manage_link.removeprefix('http://localhost')}/confirm",
        data={"csrf_token": csrf_token(manage_page)},
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


def test_dev_mailbox_is_not_there_in_testing_or_production(client, other_app):
    production = other_app(
        "production", SECRET_KEY="x" * 40, MAIL_SERVER="smtp.example.org", RATELIMIT_ENABLED=False
    )

    assert client.get("/dev/mailbox/").status_code == 404
    assert production.test_client().get("/dev/mailbox/").status_code == 404
    for application in (client.application, production):
        assert not any(rule.rule.startswith("/dev") for rule in application.url_map.iter_rules())


def test_dev_mailbox_shows_why_a_mail_cannot_be_built_instead_of_failing(
    other_app, session, make_event
):
    dev = other_app("development", DEV_MAILBOX=True, MAIL_SERVER=None, RATELIMIT_ENABLED=False)
    poison = OutboxMessage(
        message_id="<poison@startsmart.test>",
        kind="opt_in",
        recipient="erika@musterstadt.example",
        subject="Giftstadt\r\nBcc: evil@attacker.example",
        body_text="Hallo",
        body_html="",
        ics="",
        ics_method="",
        created_at=utcnow(),
        next_attempt_at=utcnow(),
    )
    session.add(poison)
    session.commit()

    response = dev.test_client().get(f"/dev/mailbox/{poison.id}/raw.eml")

    assert response.status_code == 422
    assert "Bcc" not in response.headers
    assert response.mimetype == "text/plain"
