"""Registrations of an event: table, counts, and the organiser's actions."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models import Registration, RegistrationStatus

S = RegistrationStatus


def reload(session, registration):
    session.expire_all()
    return session.get(Registration, registration.id)


def test_table_searches_and_filters_and_counts(orga_client, make_event, make_registration):
    event = make_event()
    make_registration(event, S.CONFIRMED, last_name="Ahrens", municipality="Gemeinde Aue")
    make_registration(event, S.WAITLISTED, last_name="Berger")
    make_registration(event, S.PENDING, last_name="Conrad")
    make_registration(event, S.CONFIRMED, last_name="Dorn", attendance="attended")
    page = orga_client.get(f"/admin/events/{event.id}/registrations")
    assert all(name in page.text for name in ("Ahrens", "Berger", "Conrad", "Dorn"))
    assert "Platz 1" in page.text  # the waitlist position
    counts = page.text.split('class="counts"')[1].split("</dl>")[0]
    assert "Bestätigt</dt><dd>2" in counts
    assert "Warteliste</dt><dd>1" in counts
    assert 'Anwesend</dt><dd data-count="attended">1' in counts
    found = orga_client.get(f"/admin/events/{event.id}/registrations?q=aue").text
    assert "Ahrens" in found and "Berger" not in found
    waiting = orga_client.get(f"/admin/events/{event.id}/registrations?status=waitlisted").text
    assert "Berger" in waiting and "Ahrens" not in waiting


def test_phone_registration_is_confirmed_without_opt_in(
    orga_client, make_event, session, outbox, audit_entries
):
    event = make_event(capacity=1)
    data = {
        "municipality": "Stadt Telefon",
        "state": "09",
        "ags": "",
        "first_name": "Tanja",
        "last_name": "Telefon",
        "email": "tanja@telefon.example",
        "role": "",
    }
    response = orga_client.post(f"/admin/events/{event.id}/registrations/new", data=data)
    assert response.status_code == 302
    registration = session.scalar(select(Registration).where(Registration.last_name == "Telefon"))
    assert registration.status == S.CONFIRMED
    assert [m.kind for m in outbox()] == ["confirmed"]
    assert audit_entries("registration.phone")
    again = orga_client.post(f"/admin/events/{event.id}/registrations/new", data=data)
    assert again.status_code == 422
    assert "schon eine Anmeldung" in again.text
    second = orga_client.post(
        f"/admin/events/{event.id}/registrations/new",
        data={**data, "email": "zwei@telefon.example", "municipality": "Anderswo"},
    )
    assert second.status_code == 302
    follow = orga_client.get(second.headers["Location"])
    assert "Warteliste" in follow.text


def test_promote_out_of_order_needs_a_reason_and_a_seat(
    orga_client, make_event, make_registration, session, outbox, audit_entries
):
    event = make_event(capacity=1)
    make_registration(event, S.CONFIRMED)
    first = make_registration(event, S.WAITLISTED)
    second = make_registration(event, S.WAITLISTED)
    url = f"/admin/registrations/{second.id}/promote"
    assert orga_client.post(url, data={"promote-reason": ""}).status_code == 422
    full = orga_client.post(url, data={"promote-reason": "Referentin der Kommune"})
    assert full.status_code == 422
    assert "Alle Plätze sind vergeben" in full.text
    response = orga_client.post(
        url, data={"promote-reason": "Referentin der Kommune", "promote-add_seat": "y"}
    )
    assert response.status_code == 302
    assert reload(session, second).status == S.CONFIRMED
    assert reload(session, first).status == S.WAITLISTED  # skipped, still first in line
    assert second.event.capacity == 2
    assert [m.recipient for m in outbox("promoted")] == [second.email]
    entry = audit_entries("registration.promoted")[0]
    assert "Referentin der Kommune" in entry.after


def test_cancel_on_behalf_frees_the_seat_for_the_next_in_line(
    orga_client, make_event, make_registration, session, outbox
):
    event = make_event(capacity=1)
    seated = make_registration(event, S.CONFIRMED)
    waiting = make_registration(event, S.WAITLISTED)
    response = orga_client.post(
        f"/admin/registrations/{seated.id}/cancel", data={"cancel-reason": "Anruf: krank"}
    )
    assert response.status_code == 302
    assert reload(session, seated).status == S.CANCELLED
    assert reload(session, waiting).status == S.CONFIRMED
    assert {m.kind for m in outbox()} >= {"cancelled", "promoted"}


def test_move_to_another_event(orga_client, make_event, make_registration, session, outbox):
    source = make_event(title="Termin A")
    target = make_event(title="Termin B")
    registration = make_registration(source, S.CONFIRMED)
    page = orga_client.get(f"/admin/registrations/{registration.id}")
    assert "Termin B" in page.text
    response = orga_client.post(
        f"/admin/registrations/{registration.id}/move", data={"target_event": str(target.id)}
    )
    assert response.status_code == 302
    assert reload(session, registration).status == S.CANCELLED
    moved = session.scalar(select(Registration).where(Registration.event_id == target.id))
    assert moved.email == registration.email and moved.status == S.CONFIRMED
    assert [m.kind for m in outbox()] == ["cancelled", "confirmed"]


def test_move_starts_with_no_event_chosen(orga_client, make_event, make_registration, session):
    source = make_event(title="Termin A")
    make_event(title="Termin B")
    registration = make_registration(source, S.CONFIRMED)

    page = orga_client.get(f"/admin/registrations/{registration.id}").text
    response = orga_client.post(
        f"/admin/registrations/{registration.id}/move", data={"target_event": ""}
    )

    assert re.search(r'<select[^>]*id="target_event"[^>]*>\s*<option selected value="">', page)
    assert response.status_code == 422
    assert "Bitte wählen Sie eine Veranstaltung." in response.text
    assert reload(session, registration).status == S.CONFIRMED


def test_resend_sends_the_mail_that_fits_the_status(
    orga_client, make_event, make_registration, outbox
):
    event = make_event()
    confirmed = make_registration(event, S.CONFIRMED)
    waiting = make_registration(event, S.WAITLISTED)
    orga_client.post(f"/admin/registrations/{confirmed.id}/resend")
    orga_client.post(f"/admin/registrations/{waiting.id}/resend")
    mails = outbox()
    assert [(m.kind, m.recipient) for m in mails] == [
        ("confirmed", confirmed.email),
        ("waitlisted", waiting.email),
    ]
    assert mails[0].ics_method == "REQUEST"
