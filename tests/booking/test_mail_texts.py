"""Every kind of mail renders in German and English and carries the personal link."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.booking.compose import compose
from app.models import RegistrationStatus, utcnow

KINDS = {
    "opt_in": {},
    "link_reminder": {},
    "confirmed": {"invite_method": "REQUEST"},
    "promoted": {"invite_method": "REQUEST"},
    "waitlisted": {"position": 3},
    "offered": {},
    "offer_expired": {},
    "cancelled": {"invite_method": "CANCEL"},
}

GERMAN_SUBJECTS = {
    "opt_in": "Bitte bestätigen Sie Ihre Anmeldung",
    "link_reminder": "Ihr persönlicher Link zur Anmeldung",
    "confirmed": "Anmeldung bestätigt",
    "promoted": "Sie sind von der Warteliste nachgerückt",
    "waitlisted": "Sie stehen auf der Warteliste",
    "offered": "Ein Platz ist für Sie reserviert",
    "offer_expired": "Ihr reservierter Platz ist verfallen",
    "cancelled": "Ihre Anmeldung ist storniert",
}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_mail_kind_renders_with_the_manage_link(
    session, make_event, make_registration, kind, language
):
    event = make_event(title="Open Data für Kommunen")
    registration = make_registration(
        event,
        status=RegistrationStatus.OFFERED if kind == "offered" else RegistrationStatus.CONFIRMED,
        first_name="Erika",
        last_name="Mustermann",
        language=language,
        offer_expires_at=utcnow() + timedelta(hours=48),
    )

    mail = compose(kind, registration, **KINDS[kind])

    manage_url = f"http://startsmart.test/r/{registration.token}"
    assert manage_url in mail.body_text
    assert f'href="{manage_url}"' in mail.body_html
    assert mail.subject.endswith(": Open Data für Kommunen")
    assert mail.recipient == registration.email
    assert "{{" not in mail.body_text and "{%" not in mail.body_html
    assert "Erika Mustermann" in mail.body_text
    assert bool(mail.ics) == ("invite_method" in KINDS[kind])
    if language == "de":
        assert mail.subject.startswith(GERMAN_SUBJECTS[kind])
        assert "Guten Tag Erika Mustermann," in mail.body_text
        assert " du " not in mail.body_text.lower()  # Sie-form throughout


def test_footer_offers_cancelling_only_while_there_is_something_to_cancel(
    session, make_event, make_registration
):
    event = make_event()
    registration = make_registration(event, status=RegistrationStatus.CONFIRMED)

    active = compose("confirmed", registration)
    ended = compose("cancelled", registration)
    lapsed = compose("offer_expired", registration)

    assert "Ihre Anmeldung ansehen oder stornieren:" in active.body_text
    assert "stornieren:" not in ended.body_text and "Ihre Anmeldung ansehen:" in ended.body_text
    assert "stornieren:" not in lapsed.body_html
    assert f"http://startsmart.test/events/{event.slug}" in lapsed.body_text  # register again


def test_waitlist_mail_tells_the_position(session, make_event, make_registration):
    event = make_event()
    registration = make_registration(event, status=RegistrationStatus.WAITLISTED)

    with_position = compose("waitlisted", registration, position=4)
    without_position = compose("waitlisted", registration, position=None)

    assert "Sie stehen auf Platz 4 der Warteliste." in with_position.body_text
    assert "Platz 4" in with_position.body_html
    assert "Sie stehen auf der Warteliste." in without_position.body_text


def test_offer_mail_tells_the_deadline_in_berlin_time(session, make_event, make_registration):
    event = make_event()
    deadline = utcnow().replace(month=1, day=15, hour=11, minute=30, second=0, microsecond=0)
    registration = make_registration(
        event, status=RegistrationStatus.OFFERED, offer_expires_at=deadline
    )

    mail = compose("offered", registration)

    assert "12:30 Uhr" in mail.body_text  # 11:30 UTC is 12:30 in Berlin in January
    assert "nehmen Sie den Platz an oder lehnen Sie ihn ab" in mail.body_text
