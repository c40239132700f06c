"""An English-speaking partner gets English pages, form errors, mails and calendar texts;
everyone else keeps German, the default."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from app.models import ExpressionOfInterest, RegistrationStatus

REGISTRATION = {
    "municipality": "",
    "state": "09",
    "ags": "",
    "first_name": "",
    "last_name": "Mustermann",
    "email": "not-an-address",
    "role": "",
}


def error_at(html: str, field: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def test_catalogue_in_english_with_lang_parameter(client, make_event):
    make_event(title="Open Data Workshop", capacity=12)

    html = client.get("/?lang=en").text

    assert '<html lang="en">' in html
    assert "Events for municipalities" in html
    assert "Skip to content" in html
    assert "12 seats left" in html
    assert "Veranstaltungen für Kommunen" not in html and "Plätze frei" not in html


def test_event_page_in_english_with_accept_language(client, make_event):
    event = make_event(
        starts_at=datetime(2027, 6, 3, 8, 0, tzinfo=UTC),
        ends_at=datetime(2027, 6, 3, 14, 0, tzinfo=UTC),
        registration_closes_at=datetime(2027, 5, 31, 21, 59, tzinfo=UTC),
        max_per_municipality=2,
    )

    english = client.get(f"/events/{event.slug}", headers={"Accept-Language": "en-GB,en;q=0.8"})

    assert "Register now" in english.text
    assert "Thu, 3 June 2027, 10:00–16:00 (Berlin time)" in english.text
    assert "Mon, 31 May 2027, 23:59 (Berlin time)" in english.text  # the deadline
    assert "at most 2 people per municipality" in english.text
    assert "Uhr" not in english.text and "Jetzt anmelden" not in english.text

    german = client.get(f"/events/{event.slug}?lang=de").text
    assert "Do., 3. Juni 2027, 10:00–16:00 Uhr" in german
    assert "Mo., 31. Mai 2027, 23:59 Uhr" in german


def test_form_errors_in_english(client, make_event):
    event = make_event()

    response = client.post(f"/events/{event.slug}/register?lang=en", data=REGISTRATION)

    html = response.text
    assert "Please check your entries" in html
    assert error_at(html, "municipality") == "Error: Please enter the name of your municipality."
    assert error_at(html, "first_name") == "Error: Please enter your first name."
    assert "valid e-mail address" in error_at(html, "email")
    assert error_at(html, "consent") == "Error: Please agree to the privacy notice."


def test_form_errors_stay_german_by_default(client, make_event):
    event = make_event()

    html = client.post(f"/events/{event.slug}/register", data=REGISTRATION).text

    assert error_at(html, "first_name") == "Fehler: Bitte geben Sie Ihren Vornamen an."


def test_wtforms_own_messages_follow_the_language(app):
    # Messages WTForms writes itself (a number field given letters) come from its catalogue.
    from app.programme.forms import EventForm

    seen = {}
    for language in ("de", "en"):
        with app.test_request_context(f"/?lang={language}", method="POST", data={"capacity": "x"}):
            form = EventForm()
            form.validate()
            seen[language] = form.capacity.errors[0]
    assert seen == {"de": "Keine gültige, ganze Zahl.", "en": "Not a valid integer value."}


def test_mail_for_an_english_registration_is_in_english(app_ctx, make_event, make_registration):
    from app.booking.compose import compose

    event = make_event(
        title="Open Data Workshop",
        starts_at=datetime(2026, 10, 25, 9, 0, tzinfo=UTC),  # after the switch to CET
        ends_at=datetime(2026, 10, 25, 15, 0, tzinfo=UTC),
    )
    english = make_registration(event, language="en", first_name="Jane", last_name="Doe")

    mail = compose("opt_in", english)

    assert mail.subject == "Please confirm your registration: Open Data Workshop"
    assert mail.body_text.startswith("Dear Jane Doe,")
    assert "Sun, 25 October 2026, 10:00–16:00 (Berlin time)" in mail.body_text
    assert "Confirm registration" in mail.body_text and "Uhr" not in mail.body_text
    assert "Dear Jane Doe," in mail.body_html


def test_mail_for_a_german_registration_is_in_german(app_ctx, make_event, make_registration):
    from app.booking.compose import compose

    event = make_event(
        title="Datenwerkstatt",
        starts_at=datetime(2026, 3, 29, 8, 0, tzinfo=UTC),  # after the switch to CEST
        ends_at=datetime(2026, 3, 29, 14, 0, tzinfo=UTC),
    )
    german = make_registration(event, language="de", first_name="Erika", last_name="Muster")

    mail = compose("opt_in", german)

    assert mail.subject == "Bitte bestätigen Sie Ihre Anmeldung: Datenwerkstatt"
    assert mail.body_text.startswith("Guten Tag Erika Muster,")
    assert "So., 29. März 2026, 10:00–16:00 Uhr" in mail.body_text


def test_english_mail_even_when_an_organiser_acts_in_german(client, make_event, make_registration):
    # The waitlist mail is written during a German request; it follows the registration.
    from app.booking.compose import compose

    event = make_event(title="Peer Learning Day")
    registration = make_registration(
        event, status=RegistrationStatus.WAITLISTED, language="en", first_name="Sam"
    )
    with client.application.test_request_context("/?lang=de"):
        mail = compose("waitlisted", registration)

    assert mail.subject == "You are on the waiting list: Peer Learning Day"
    assert "All seats are currently taken" in mail.body_text


def test_intake_mail_follows_the_language_of_the_expression_of_interest(app_ctx):
    from app.intake.mail import compose

    interest = ExpressionOfInterest(
        municipality_name="Musterstadt",
        first_name="Jane",
        last_name="Doe",
        email="jane@example.org",
        language="en",
    )

    english = compose("interest_opt_in", interest, interest.email, "en")
    german = compose("interest_opt_in", interest, interest.email, "de")

    assert english.subject == "Please confirm your expression of interest: Musterstadt"
    assert "Thank you for the expression of interest from Musterstadt" in english.body_text
    assert german.subject == "Bitte bestätigen Sie Ihre Interessensbekundung: Musterstadt"


def test_calendar_feed_texts_follow_the_language(client, make_event):
    from app.models import EventStatus

    make_event(title="Sensor Networks", status=EventStatus.CANCELLED)

    english = client.get("/calendar.ics?lang=en").text
    german = client.get("/calendar.ics?lang=de").text

    assert "SUMMARY:Cancelled: Sensor Networks" in english
    assert "This event has been cancelled." in english.replace("\r\n ", "")
    assert "SUMMARY:Abgesagt: Sensor Networks" in german


def test_calendar_invite_texts_follow_the_registration(app_ctx, make_event, make_registration):
    from app.booking.compose import compose

    event = make_event(title="Open Data Workshop", online_url="https://meet.example/room")
    english = make_registration(event, status=RegistrationStatus.CONFIRMED, language="en")
    german = make_registration(event, status=RegistrationStatus.CONFIRMED, language="de")

    english_ics = compose("confirmed", english, invite_method="REQUEST").ics.replace("\r\n ", "")
    german_ics = compose("confirmed", german, invite_method="REQUEST").ics.replace("\r\n ", "")

    assert "Online access: https://meet.example/room" in english_ics
    assert "View or cancel your registration:" in english_ics
    assert "Ihre Anmeldung ansehen oder stornieren:" in german_ics
