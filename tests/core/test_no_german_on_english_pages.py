"""English pages carry no German interface text: a text a template forgot to wrap shows here."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask import current_app

from app.core.laender import LAENDER
from app.models import RegistrationStatus, utcnow

# Words of German interface text; none of them is English or part of a proper name here.
GERMAN = re.compile(
    r"\b(und|oder|der|die|das|nicht|Sie|Ihre?|Bitte|bitte|Uhr|Veranstaltung\w*|Anmeldung\w*|"
    r"Kommune\w*|Warteliste|Plätze|Platz|Zurück|Speichern|Abbrechen|Datenschutz\w*|Termin\w*)\b"
)


def visible_text(page: str, office: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    # Attributes a person perceives: labels for screen readers, placeholders, titles.
    attributes = re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    text = html.unescape(" ".join([text, *attributes]))
    for name in LAENDER.values():  # proper names, kept in German
        text = text.replace(name, " ")
    # The language switch offers German in German; the office's official name stays German.
    return text.replace("Deutsch", " ").replace(office, " ")


def german_words(page: str) -> list[str]:
    office = current_app.config["OFFICE_NAME"]
    return sorted(set(GERMAN.findall(visible_text(page, office))))


@pytest.fixture
def english_event(make_event):
    return make_event(
        title="Open Data Workshop",
        summary="Hands-on and compact.",
        description="Description.",
        venue="Town hall",
        address="Market square 1",
        max_per_municipality=2,
    )


def test_public_pages_in_english(client, english_event, make_registration):
    event = english_event
    confirmed = make_registration(
        event, status=RegistrationStatus.CONFIRMED, language="en", municipality="Sample Town"
    )
    offered = make_registration(
        event,
        status=RegistrationStatus.OFFERED,
        offer_expires_at=utcnow() + timedelta(hours=20),
        municipality="Sample Town",
    )
    pending = make_registration(event, municipality="Sample Town")
    paths = [
        "/",
        "/archiv",
        f"/events/{event.slug}",
        f"/events/{event.slug}/register",
        f"/events/{event.slug}/register/sent",
        f"/r/{confirmed.token}",
        f"/r/{offered.token}",
        f"/r/{pending.token}",
        "/interessensbekundung",
        "/interessensbekundung/gesendet",
        "/datenschutz",
        "/no-such-page",
    ]
    client.get("/?lang=en")  # the choice is kept for the following pages
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        words = german_words(response.text)
        if words:
            found[path] = words
    assert not found
    # The same check does see German where German belongs.
    assert {"Veranstaltungen", "Datenschutz"} <= set(german_words(client.get("/?lang=de").text))


def test_form_with_errors_in_english(client, english_event):
    client.get("/?lang=en")
    response = client.post(f"/events/{english_event.slug}/register", data={"email": "x"})

    assert "Please check your entries" in response.text
    assert not german_words(response.text)


def test_back_office_pages_in_english(client, english_event, make_registration, make_user, log_in):
    event = english_event
    registration = make_registration(event, status=RegistrationStatus.CONFIRMED)
    admin = make_user(email="admin@kts.example", role="admin", name="Ada Admin")
    client.get("/admin/login?lang=en")
    assert log_in(client, admin.email).status_code == 302
    paths = [
        "/admin/events",
        f"/admin/events/{event.id}",
        f"/admin/events/{event.id}/edit",
        "/admin/events/new",
        f"/admin/events/{event.id}/registrations",
        f"/admin/events/{event.id}/registrations/new",
        f"/admin/registrations/{registration.id}",
        f"/admin/checkin/{event.id}",
        f"/admin/events/{event.id}/sign-in-sheet",
        f"/admin/events/{event.id}/audit",
        f"/admin/events/{event.id}/cancel",
        f"/admin/events/{event.id}/messages",
        "/admin/exports",
        "/admin/statistics",
        "/admin/users",
        "/admin/password",
        "/admin/privacy",
        "/admin/intake/",
        "/admin/intake/slots",
        "/admin/intake/municipalities",
    ]
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        words = german_words(response.text)
        if words:
            found[path] = words
    assert not found


MAIL_KINDS = {
    "opt_in": {},
    "link_reminder": {},
    "confirmed": {},
    "waitlisted": {},
    "promoted": {},
    "offered": {},
    "offer_expired": {},
    "cancelled": {},
    "event_cancelled": {},
    "updated": {
        "changed": ["starts_at", "venue", "online_url", "description"],
        "previous": {"venue": "Old hall"},
    },
}


@pytest.mark.parametrize("kind", sorted(MAIL_KINDS))
def test_every_registration_mail_in_english(app_ctx, english_event, make_registration, kind):
    from app.booking.compose import compose

    english_event.online_url = "https://meet.example/room"
    english_event.cancel_reason = "The speaker is ill."
    registration = make_registration(
        english_event,
        status=RegistrationStatus.CONFIRMED,
        language="en",
        offer_expires_at=utcnow() + timedelta(hours=20),
        municipality="Sample Town",
    )

    mail = compose(kind, registration, **MAIL_KINDS[kind])

    assert not german_words(mail.subject + " " + mail.body_text), mail.body_text
    assert not german_words(mail.body_html), mail.body_html
