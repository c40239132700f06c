"""Fair allocation as people see it: the rule on the event page, the refusal of an excluded
model project, and the two settings in the back-office event form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.booking.registration import submit_registration
from app.intake.municipalities import find_or_create, set_model_project
from app.models import Event, EventFormat, Registration, RegistrationStatus
from app.models.event import ModelProjectPolicy


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def flag_model_project(session, now):
    def flag(name, state="09", ags=""):
        set_model_project(session, find_or_create(session, name, state, ags, now), True, now)
        session.commit()

    return flag


@pytest.mark.parametrize(
    ("settings", "sentence"),
    [
        (
            {"priority_newcomers": True, "format": EventFormat.PEER_LEARNING},
            "Wird ein Platz frei, haben Kommunen Vorrang, die noch an keiner Veranstaltung des "
            "Formats „Peer-Learning“ teilgenommen haben.",
        ),
        (
            {"model_projects": ModelProjectPolicy.LOWER},
            "Wird ein Platz frei, rücken geförderte Modellprojekte Smart Cities erst nach, wenn "
            "keine andere Kommune mehr wartet.",
        ),
        (
            {"model_projects": ModelProjectPolicy.EXCLUDED},
            "Diese Veranstaltung steht geförderten Modellprojekten Smart Cities nicht offen; sie "
            "können sich nicht anmelden.",
        ),
    ],
)
def test_event_page_states_the_allocation_rule(client, make_event, settings, sentence):
    plain = make_event()
    fair = make_event(**settings)

    assert sentence in text_of(client.get(f"/events/{fair.slug}").text)
    assert "Platzvergabe" not in client.get(f"/events/{plain.slug}").text


def test_an_excluded_model_project_is_told_at_the_municipality_field(
    client, session, make_event, flag_model_project, form_data
):
    flag_model_project("Stadt Musterhausen", ags="09162000")
    event = make_event(model_projects=ModelProjectPolicy.EXCLUDED)

    response = client.post(f"/events/{event.slug}/register", data=form_data())

    assert response.status_code == 422
    error = re.search(r'id="municipality-error">(.*?)</p>', response.text, re.S).group(1)
    assert "steht geförderten Modellprojekten Smart Cities nicht offen" in error
    assert 'value="Stadt Musterhausen"' in response.text  # what was typed stays
    assert session.scalar(select(func.count(Registration.id))) == 0


def test_confirming_after_being_flagged_shows_a_message_and_takes_no_seat(
    client, session, make_event, flag_model_project, now, make_applicant
):
    event = make_event(model_projects=ModelProjectPolicy.EXCLUDED)
    applicant = make_applicant(municipality="Musterstadt")
    registration = submit_registration(session, event, applicant, now)
    session.commit()
    flag_model_project("Musterstadt")
    client.get(f"/r/{registration.token}")  # the page holds the CSRF token for the button

    response = client.post(f"/r/{registration.token}/confirm", follow_redirects=True)

    assert "steht geförderten Modellprojekten Smart Cities nicht offen" in response.text
    session.expire_all()
    assert session.get(Registration, registration.id).status == RegistrationStatus.PENDING


def event_form(**overrides) -> dict:
    data = {
        "title": "Peer-Learning Datenräume",
        "format": "peer_learning",
        "starts_at": "2031-03-12T10:00",
        "ends_at": "2031-03-12T16:00",
        "mode": "in_person",
        "venue": "Rathaus Musterstadt",
        "capacity": "20",
        "waitlist_mode": "automatic",
        "offer_hours": "48",
    }
    data.update(overrides)
    return data


def test_organisers_set_the_rule_in_the_event_form(orga_client, session):
    form = orga_client.get("/admin/events/new").text
    assert 'name="priority_newcomers"' in form
    assert 'name="model_projects"' in form and 'value="excluded"' in form

    response = orga_client.post(
        "/admin/events/new",
        data=event_form(priority_newcomers="y", model_projects="lower"),
    )
    assert response.status_code == 302
    event = session.scalar(select(Event))
    assert event.priority_newcomers is True
    assert event.model_projects == ModelProjectPolicy.LOWER

    edit = orga_client.get(f"/admin/events/{event.id}/edit").text
    checkbox = re.search(r'<input[^>]*name="priority_newcomers"[^>]*>', edit).group(0)
    assert "checked" in checkbox
    assert re.search(r'<option selected value="lower"|<option value="lower" selected', edit)

    response = orga_client.post(
        f"/admin/events/{event.id}/edit", data=event_form(model_projects="excluded")
    )
    assert response.status_code == 302
    session.expire_all()
    event = session.get(Event, event.id)
    assert event.priority_newcomers is False
    assert event.model_projects == ModelProjectPolicy.EXCLUDED
