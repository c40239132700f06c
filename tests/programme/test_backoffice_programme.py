"""Programme: create, edit, duplicate, preview, publish, unpublish, cancel; capacity rules."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.core.timezone import to_local
from app.models import Event, EventStatus, RegistrationStatus

S = RegistrationStatus


def event_form(**overrides):
    data = {
        "title": "Themenwerkstatt Open Data",
        "format": "workshop",
        "summary": "Daten öffnen",
        "description": "Ein Tag zu offenen Daten.",
        "new_topics": "Open Data, Beteiligung",
        "starts_at": "2031-03-12T10:00",
        "ends_at": "2031-03-12T16:00",
        "mode": "in_person",
        "venue": "Rathaus Musterstadt",
        "address": "Marktplatz 1",
        "online_url": "",
        "capacity": "20",
        "max_per_municipality": "2",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "waitlist_mode": "automatic",
        "offer_hours": "48",
    }
    data.update(overrides)
    return data


def test_a_new_event_is_a_draft_with_berlin_times_stored_in_utc(orga_client, session):
    response = orga_client.post("/admin/events/new", data=event_form())
    assert response.status_code == 302
    event = session.scalar(select(Event).where(Event.title == "Themenwerkstatt Open Data"))
    assert event.status == EventStatus.DRAFT
    assert event.slug == "themenwerkstatt-open-data"
    assert event.starts_at == datetime(2031, 3, 12, 9, 0, tzinfo=UTC)  # CET = UTC+1
    assert sorted(t.name for t in event.topics) == ["Beteiligung", "Open Data"]
    assert orga_client.get(f"/events/{event.slug}").status_code == 404  # not public yet


def test_errors_are_shown_at_the_fields_in_german(orga_client):
    response = orga_client.post(
        "/admin/events/new", data=event_form(title="", ends_at="2031-03-12T09:00")
    )
    assert response.status_code == 422
    assert "Bitte geben Sie einen Titel an." in response.text
    assert "Das Ende muss nach dem Beginn liegen." in response.text
    assert 'id="title-error"' in response.text
    assert 'value="Daten öffnen"' in response.text  # entered values are kept


def test_preview_shows_a_draft_to_organisers_only(orga_client, make_event, client):
    event = make_event(status=EventStatus.DRAFT, title="Geheimer Entwurf")
    page = orga_client.get(f"/admin/events/{event.id}/preview")
    assert page.status_code == 200
    assert "Geheimer Entwurf" in page.text and "Vorschau" in page.text


def test_publish_and_unpublish(orga_client, make_event, session, audit_entries):
    event = make_event(status=EventStatus.DRAFT)
    orga_client.post(f"/admin/events/{event.id}/publish")
    session.expire_all()
    assert session.get(Event, event.id).status == EventStatus.PUBLISHED
    assert orga_client.get(f"/events/{event.slug}").status_code == 200
    orga_client.post(f"/admin/events/{event.id}/unpublish")
    session.expire_all()
    assert session.get(Event, event.id).status == EventStatus.DRAFT
    assert [e.action for e in audit_entries()] == ["event.published", "event.unpublished"]


def test_edit_changes_the_event_and_records_before_and_after(
    orga_client, make_event, session, audit_entries
):
    event = make_event(title="Alt", capacity=10)
    page = orga_client.get(f"/admin/events/{event.id}/edit")
    assert 'value="Alt"' in page.text
    response = orga_client.post(
        f"/admin/events/{event.id}/edit", data=event_form(title="Neu", capacity="10")
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Event, event.id).title == "Neu"
    entry = audit_entries("event.updated")[0]
    assert '"title": "Alt"' in entry.before and '"title": "Neu"' in entry.after
    assert entry.actor == "orga@kts.example"


def test_raising_capacity_promotes_from_the_waitlist_at_once(
    orga_client, make_event, make_registration, session, outbox
):
    event = make_event(capacity=1)
    make_registration(event, S.CONFIRMED)
    waiting = make_registration(event, S.WAITLISTED)
    form = event_form(
        title=event.title,
        capacity="2",
        starts_at=to_local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=to_local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
    )
    response = orga_client.post(f"/admin/events/{event.id}/edit", data=form)
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Event, event.id).capacity == 2
    assert session.get(type(waiting), waiting.id).status == S.CONFIRMED
    assert [m.recipient for m in outbox("promoted")] == [waiting.email]


def test_lowering_capacity_below_the_seats_taken_is_refused(
    orga_client, make_event, make_registration, session
):
    event = make_event(capacity=3)
    for _ in range(3):
        make_registration(event, S.CONFIRMED)
    response = orga_client.post(
        f"/admin/events/{event.id}/edit", data=event_form(title="Egal", capacity="2")
    )
    assert response.status_code == 422
    assert "3 Plätze sind bereits vergeben" in response.text
    session.expire_all()
    refreshed = session.get(Event, event.id)
    assert refreshed.capacity == 3 and refreshed.title != "Egal"


def test_duplicate_makes_a_draft_copy(orga_client, make_event, session):
    event = make_event(title="Kick-off Nord", topics=["Strategie"])
    response = orga_client.post(f"/admin/events/{event.id}/duplicate")
    assert response.status_code == 302
    copy = session.scalar(select(Event).where(Event.title == "Kick-off Nord (Kopie)"))
    assert copy.status == EventStatus.DRAFT
    assert copy.slug != event.slug
    assert [t.name for t in copy.topics] == ["Strategie"]
    assert copy.capacity == event.capacity


def test_cancel_needs_a_reason_and_tells_participants(
    orga_client, make_event, make_registration, session, outbox
):
    event = make_event()
    confirmed = make_registration(event, S.CONFIRMED)
    response = orga_client.post(f"/admin/events/{event.id}/cancel", data={"reason": ""})
    assert response.status_code == 422
    assert "Bitte geben Sie einen Grund an" in response.text
    response = orga_client.post(
        f"/admin/events/{event.id}/cancel", data={"reason": "Die Referentin ist erkrankt."}
    )
    assert response.status_code == 302
    session.expire_all()
    cancelled = session.get(Event, event.id)
    assert cancelled.status == EventStatus.CANCELLED
    assert cancelled.cancel_reason == "Die Referentin ist erkrankt."
    assert confirmed.email in [m.recipient for m in outbox()]
    audit = orga_client.get(f"/admin/events/{event.id}/audit").text
    assert "event.cancelled" in audit and "Die Referentin ist erkrankt." in audit
