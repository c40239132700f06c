"""Personal links at rest: the database keeps only hashes of the tokens, so a copy of it opens
no one's page or feed, while every link a person was mailed (before or after) keeps working."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from links import token_in, tokens_in

from app.booking.operations import resend_mail
from app.booking.registration import expire_offers
from app.extensions import db
from app.intake.errors import DuplicateInterest
from app.intake.interest import submit_interest
from app.mail.delivery import deliver_all_due
from app.mail.housekeeping import registered_jobs, run_housekeeping
from app.models import (
    OutboxMessage,
    OutboxStatus,
    Registration,
    RegistrationStatus,
    WaitlistMode,
    utcnow,
)
from app.programme.changes import update_event

S = RegistrationStatus
ROOT = Path(__file__).resolve().parents[2]
# A token-like word: what a URL segment of a personal link would be.
WORD = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])")


def every_stored_word(session) -> set[str]:
    """Every token-like word in every column of every row (a database dump)."""
    session.commit()
    words = set()
    for table in db.metadata.sorted_tables:
        for row in session.execute(sa.select(table)).all():
            for value in row:
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                words.update(WORD.findall(re.sub(r"\r?\n[ \t]", "", str(value))))
    return words


def opens_something(client, word: str) -> bool:
    paths = (
        f"/r/{word}",
        f"/interessensbekundung/{word}",
        f"/feeds/personal/{word}.ics",
        f"/feeds/organisers/{word}.ics",
    )
    return any(client.get(path).status_code == 200 for path in paths)


def test_a_database_dump_holds_no_token_that_opens_a_page(
    app, client, runner, session, make_event, form_data, make_interest_application, outbox, smtp
):
    event = make_event()
    client.post(f"/events/{event.slug}/register", data=form_data())
    token = token_in(outbox("opt_in")[0].body_text)
    client.post(f"/r/{token}/confirm")
    client.post(f"/r/{token}/calendar-feed")
    feed = token_in(client.get(f"/r/{token}").get_data(as_text=True), "feed")
    organisers = token_in(runner.invoke(args=["feeds", "organiser-url"]).output, "feed")
    interest = submit_interest(session, make_interest_application(), utcnow())
    session.commit()
    interest_token = interest.token
    mailed = {token, feed, organisers, interest_token}
    assert all(opens_something(client, word) for word in mailed)  # the links work
    assert deliver_all_due(session).sent == len(outbox())

    # The mails themselves still carry the links for a few days after delivery ...
    assert any(opens_something(client, word) for word in every_stored_word(session))
    run_housekeeping(session, utcnow() + timedelta(days=app.config["MAIL_BODY_RETENTION_DAYS"]))

    # ... then nothing stored opens anything, though every link mailed still works.
    stored = every_stored_word(session)
    assert mailed.isdisjoint(stored)
    assert [word for word in stored if opens_something(client, word)] == []
    assert all(opens_something(client, word) for word in mailed)


def test_delivered_mails_lose_their_text_after_the_configured_days(
    app, session, make_event, make_registration, outbox, smtp, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_BODY_RETENTION_DAYS", 3)
    assert "mail_body_blanking" in registered_jobs(app)
    delivered = make_registration(make_event(), S.PENDING)
    from app.booking import notify

    notify.confirmed(session, delivered)
    session.commit()
    deliver_all_due(session)
    notify.link_reminder(session, delivered)  # still queued: nothing may be lost
    session.commit()

    run_housekeeping(session, utcnow() + timedelta(days=2))
    assert all(mail.body_text for mail in outbox())
    run_housekeeping(session, utcnow() + timedelta(days=3, minutes=1))

    sent, queued = outbox("confirmed")[0], outbox("link_reminder")[0]
    assert sent.status == OutboxStatus.SENT
    assert (sent.body_text, sent.body_html, sent.ics) == ("", "", "")
    assert sent.subject.startswith("Anmeldung bestätigt") and sent.recipient == delivered.email
    assert queued.status == OutboxStatus.QUEUED and "/r/" in queued.body_text


def fresh(session, registration) -> Registration:
    """The registration as a later process sees it: read from the database, no token known."""
    registration_id = registration.id
    session.commit()
    session.expunge(registration)
    loaded = session.get(Registration, registration_id)
    assert not hasattr(loaded, "token")
    return loaded


def link_opens(client, session, mail: OutboxMessage, registration) -> bool:
    from app.booking.registration import find_by_token

    [token] = set(tokens_in(mail.body_text))
    return find_by_token(session, token).id == registration.id and (
        client.get(f"/r/{token}").status_code == 200
    )


def test_mails_queued_later_carry_working_links_and_older_links_keep_working(
    client, session, make_event, register, now, outbox
):
    event = make_event(capacity=1, waitlist_mode=WaitlistMode.OFFER)
    holder, waiting = register(event), register(event)
    first_links = {r.id: r.token for r in (holder, waiting)}
    waiting = fresh(session, waiting)

    # The holder cancels through the page, as a person does; the seat is offered onwards by
    # code that never saw the next person's token.
    assert client.post(f"/r/{first_links[holder.id]}/cancel").status_code == 302
    [offer] = outbox("offered")
    assert link_opens(client, session, offer, waiting)

    expire_offers(session, now + timedelta(days=10))  # the worker, later: offer_expired
    session.commit()
    [lapsed] = outbox("offer_expired")
    assert link_opens(client, session, lapsed, waiting)

    other = make_event(capacity=5)
    person = fresh(session, register(other))
    resend_mail(session, None, person.id)  # an organiser resends the confirmation
    session.commit()
    update_event(session, other.id, {"venue": "Bürgerhaus"}, now)  # a change to the event
    session.commit()
    for kind in ("confirmed", "updated"):
        mail = outbox(kind, registration=person)[-1]
        assert link_opens(client, session, mail, person), kind
    # Every earlier link still opens the page.
    for registration_id, token in first_links.items():
        assert client.get(f"/r/{token}").status_code == 200, registration_id


def test_the_already_registered_reminder_brings_a_working_link(
    session, make_event, submit, make_applicant, now, outbox, client
):
    from app.booking.errors import DuplicateRegistration
    from app.booking.registration import submit_registration

    event = make_event()
    first = fresh(session, submit(event, email="kim@kommune.example"))

    try:
        submit_registration(session, event, make_applicant(email="kim@kommune.example"), now)
    except DuplicateRegistration:
        session.commit()
    [reminder] = outbox("link_reminder")
    assert link_opens(client, session, reminder, first)


def test_the_interest_reminder_brings_a_working_link(
    session, make_interest_application, now, outbox, client
):
    application = make_interest_application()
    interest = submit_interest(session, application, now)
    session.commit()
    interest_id = interest.id
    session.expunge(interest)  # a later request: the token of the first mail is not known

    try:
        submit_interest(session, application, now)
    except DuplicateInterest:
        session.commit()
    [reminder] = outbox("interest_link_reminder")
    token = token_in(reminder.body_text, "interest")
    assert client.get(f"/interessensbekundung/{token}").status_code == 200
    assert reminder.interest_id == interest_id


# Where a personal link's plain token may be read: right where it was minted.
MINTED_HERE = {
    "app/booking/links.py",
    "app/intake/links.py",
    "app/feeds/tokens.py",
    "app/feeds/pages.py",  # the feed address just issued, shown once
    "app/feeds/cli.py",  # the organisers' feed address just issued, printed once
}


def test_no_code_builds_a_link_from_a_token_it_did_not_just_mint():
    """A mail queued later must mint its own link: a stored row carries no plain token."""
    offenders = []
    for path in sorted((ROOT / "app").rglob("*.py")) + sorted((ROOT / "templates").rglob("*")):
        if not path.is_file() or str(path.relative_to(ROOT)) in MINTED_HERE:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.token\b", line.replace("csrf_token", "")):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
