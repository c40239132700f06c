"""One-line fields refuse line breaks and control characters, in every form, with a message in
the visitor's language; multi-line fields keep their line breaks."""

from __future__ import annotations

import importlib
import pkgutil

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField, TextAreaField

import app as app_package
from app.core.forms import SingleLine
from app.models import Event, ExpressionOfInterest, OrganiserMessage, RegistrationStatus, Topic

ATTACK = "Giftstadt\r\nBcc: evil@attacker.example"
LINE_BREAK_DE = "Bitte ohne Zeilenumbruch eingeben: Dieses Feld hat nur eine Zeile."
LINE_BREAK_EN = "Please enter this on one line, without line breaks."
CONTROL_DE = "Bitte ohne Tabulator und ohne unsichtbare Steuerzeichen eingeben."


def all_form_classes() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found, pending = [], [FlaskForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("app."):
                found.append(subclass)
    return found


def one_line_fields(form_class):
    """(name, unbound field) of every one-line text field: passwords are hashed and never
    shown or sent, text areas are meant to have lines."""
    for name in dir(form_class):
        unbound = getattr(form_class, name)
        field_class = getattr(unbound, "field_class", None)
        if field_class is None or not issubclass(field_class, StringField):
            continue
        if issubclass(field_class, PasswordField | TextAreaField):
            continue
        yield name, unbound


def test_every_one_line_field_of_every_form_refuses_line_breaks():
    forms = all_form_classes()
    checked = [
        (form.__name__, name)
        for form in forms
        for name, unbound in one_line_fields(form)
        if any(isinstance(v, SingleLine) for v in unbound.kwargs.get("validators", []))
    ]
    missing = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in forms
        for name, unbound in one_line_fields(form)
        if not any(isinstance(v, SingleLine) for v in unbound.kwargs.get("validators", []))
    ]

    assert missing == []
    # The walk found the forms (a broken import would make this pass on nothing).
    assert {("InterestForm", "municipality"), ("MessageForm", "subject")} <= set(checked)
    assert ("EventForm", "title") in checked and ("SlotForm", "access_details") in checked


def interest_form(**fields):
    topics = [Topic(name=name, slug=name.lower()) for name in ("Energie", "Mobilität")]
    data = {
        "municipality": "Stadt Musterhausen",
        "state": "09",
        "ags": "09123000",
        "size_class": "20k_50k",
        "first_name": "Kim",
        "last_name": "Beispiel",
        "email": "kim@musterhausen.example",
        "role": "Amtsleitung",
        "strategy_stage": "in_progress",
        "message": "Erstens: Datenplattform.\r\nZweitens: Beteiligung.",
        "consent": "y",
    }
    data.update(fields)
    return topics, data


def test_interest_form_refuses_a_header_in_the_municipality_and_queues_no_mail(
    client, session, outbox
):
    topics, data = interest_form(municipality=ATTACK)
    session.add_all(topics)
    session.commit()
    data["topics"] = [str(topics[0].id)]

    response = client.post("/interessensbekundung", data=data)

    assert response.status_code == 422
    assert LINE_BREAK_DE in response.text
    assert 'id="municipality-error"' in response.text
    assert session.scalar(select(ExpressionOfInterest)) is None
    assert outbox() == []

    english = client.post("/interessensbekundung?lang=en", data=data)
    assert english.status_code == 422
    assert LINE_BREAK_EN in english.text


def test_interest_form_strips_a_pasted_trailing_line_break_and_keeps_the_messages_lines(
    client, session, outbox
):
    topics, data = interest_form(municipality="Stadt Musterhausen\r\n", role="Amtsleitung\u2028x")
    session.add_all(topics)
    session.commit()
    data["topics"] = [str(topics[0].id)]

    refused = client.post("/interessensbekundung", data=data)
    assert refused.status_code == 422
    assert 'id="role-error"' in refused.text and 'id="municipality-error"' not in refused.text

    data["role"] = "Amtsleitung"
    response = client.post("/interessensbekundung", data=data)

    assert response.status_code == 302
    interest = session.scalar(select(ExpressionOfInterest))
    assert interest.municipality_name == "Stadt Musterhausen"
    assert interest.message == "Erstens: Datenplattform.\r\nZweitens: Beteiligung."
    [mail] = outbox()
    assert mail.subject.endswith(": Stadt Musterhausen")


def test_registration_form_refuses_control_characters_in_a_name(
    client, session, make_event, form_data, outbox
):
    event = make_event()

    response = client.post(
        f"/events/{event.slug}/register",
        data=form_data(last_name="Muster\u202emann", first_name="Erika\tMaria"),
    )

    assert response.status_code == 422
    assert CONTROL_DE in response.text
    assert 'id="first_name-error"' in response.text and 'id="last_name-error"' in response.text
    assert outbox() == []


def test_organisers_message_subject_with_a_line_break_is_refused(
    orga_client, session, make_event, make_registration, outbox
):
    event = make_event()
    make_registration(event, RegistrationStatus.CONFIRMED)
    data = {"group": "confirmed", "subject": "Raum\nBcc: evil@attacker.example", "body": "Text"}

    preview = orga_client.post(f"/admin/events/{event.id}/messages/preview", data=data)
    send = orga_client.post(
        f"/admin/events/{event.id}/messages/send", data={**data, "send_key": "k" * 24}
    )

    assert preview.status_code == 422 and LINE_BREAK_DE in preview.text
    assert send.status_code == 422 and LINE_BREAK_DE in send.text
    assert session.scalar(select(OrganiserMessage)) is None
    assert outbox() == []


def test_event_title_and_venue_with_a_line_break_are_refused_the_description_keeps_lines(
    orga_client, session
):
    data = {
        "title": "Werkstatt\r\nBcc: evil@attacker.example",
        "format": "workshop",
        "description": "Erste Zeile.\r\nZweite Zeile.",
        "starts_at": "2031-03-12T10:00",
        "ends_at": "2031-03-12T16:00",
        "mode": "in_person",
        "venue": "Rathaus\u0085Saal 2",
        "capacity": "20",
        "waitlist_mode": "automatic",
        "offer_hours": "48",
        "model_projects": "equal",
    }

    refused = orga_client.post("/admin/events/new", data=data)

    assert refused.status_code == 422
    assert 'id="title-error"' in refused.text and 'id="venue-error"' in refused.text
    assert 'id="description-error"' not in refused.text
    assert session.scalar(select(Event)) is None

    accepted = orga_client.post(
        "/admin/events/new", data={**data, "title": "Werkstatt", "venue": "Rathaus, Saal 2"}
    )

    assert accepted.status_code == 302
    assert session.scalar(select(Event.description)) == "Erste Zeile.\r\nZweite Zeile."
