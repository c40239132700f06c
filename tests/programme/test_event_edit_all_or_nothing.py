"""Editing an event is all or nothing: the capacity is saved with the other changes or not at all,
and a cancelled event keeps its seats."""

from __future__ import annotations

import pytest

from app.core.timezone import to_local
from app.models import Event, EventStatus, RegistrationStatus, utcnow
from app.programme import changes as programme

S = RegistrationStatus


def edit_form(event: Event, **overrides) -> dict:
    """The edit form as the browser posts it for ``event`` unchanged; keywords change fields."""
    data = {
        "title": event.title,
        "format": event.format.value,
        "summary": event.summary,
        "description": event.description,
        "new_topics": "",
        "starts_at": to_local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": to_local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "mode": event.mode.value,
        "venue": event.venue,
        "address": event.address,
        "online_url": event.online_url,
        "capacity": str(event.capacity),
        "max_per_municipality": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "waitlist_mode": event.waitlist_mode.value,
        "offer_hours": str(event.offer_hours),
        "model_projects": event.model_projects.value,
    }
    data.update(overrides)
    return data


@pytest.fixture
def cancelled_event(make_event):
    return make_event(title="Abgesagte Werkstatt", capacity=10, status=EventStatus.CANCELLED)


def test_a_refused_edit_of_a_cancelled_event_saves_not_even_the_capacity(
    orga_client, cancelled_event, session, audit_entries
):
    form = edit_form(cancelled_event, capacity="25", title="Neuer Titel")

    response = orga_client.post(f"/admin/events/{cancelled_event.id}/edit", data=form)

    assert response.status_code == 422
    assert "abgesagte Veranstaltung" in response.text
    session.expire_all()
    event = session.get(Event, cancelled_event.id)
    assert (event.capacity, event.title) == (10, "Abgesagte Werkstatt")
    assert audit_entries("event.capacity_changed") == []


def test_a_cancelled_event_refuses_a_change_of_seats_alone(
    orga_client, cancelled_event, session, audit_entries
):
    form = edit_form(cancelled_event, capacity="25")

    response = orga_client.post(f"/admin/events/{cancelled_event.id}/edit", data=form)

    assert response.status_code == 422
    assert "abgesagte Veranstaltung" in response.text
    session.expire_all()
    assert session.get(Event, cancelled_event.id).capacity == 10
    assert audit_entries("event.capacity_changed") == []


def test_the_refusal_reads_in_english_too(orga_client, cancelled_event):
    form = edit_form(cancelled_event, capacity="25")

    response = orga_client.post(f"/admin/events/{cancelled_event.id}/edit?lang=en", data=form)

    assert response.status_code == 422
    assert "cancelled event can no longer be edited" in response.text


def test_a_capacity_below_the_seats_taken_saves_none_of_the_other_changes(
    orga_client, make_event, make_registration, session, audit_entries
):
    event = make_event(title="Alt", capacity=3)
    for _ in range(3):
        make_registration(event, S.CONFIRMED)

    form = edit_form(event, capacity="2", title="Neu", venue="Anderer Ort")
    response = orga_client.post(f"/admin/events/{event.id}/edit", data=form)

    assert response.status_code == 422
    assert "3 Plätze sind bereits vergeben" in response.text
    session.expire_all()
    refreshed = session.get(Event, event.id)
    assert (refreshed.capacity, refreshed.title, refreshed.venue) == (3, "Alt", "Rathaus")
    assert audit_entries("event.updated") == []


def test_capacity_and_title_are_saved_together(
    orga_client, make_event, make_registration, session, audit_entries, outbox
):
    event = make_event(title="Alt", capacity=1)
    make_registration(event, S.CONFIRMED)
    waiting = make_registration(event, S.WAITLISTED)

    response = orga_client.post(
        f"/admin/events/{event.id}/edit", data=edit_form(event, capacity="2", title="Neu")
    )

    assert response.status_code == 302
    session.expire_all()
    refreshed = session.get(Event, event.id)
    assert (refreshed.capacity, refreshed.title) == (2, "Neu")
    assert [m.recipient for m in outbox("promoted")] == [waiting.email]
    assert len(audit_entries("event.capacity_changed")) == 1
    assert len(audit_entries("event.updated")) == 1


def test_the_domain_refuses_a_seat_change_of_a_cancelled_event(session, cancelled_event):
    with pytest.raises(programme.EventIsCancelled):
        programme.change_capacity(session, None, cancelled_event.id, 25, utcnow())
    session.rollback()
    assert session.get(Event, cancelled_event.id).capacity == 10
