"""Messages to an event's participants: preview, send through the outbox, log, audit."""

from __future__ import annotations

import re

from app.models import OrganiserMessage, RegistrationStatus

S = RegistrationStatus


def preview(client, event, **fields):
    data = {"group": "confirmed", "subject": "Raumänderung", "body": "Wir treffen uns in Raum 2."}
    data.update(fields)
    return client.post(f"/admin/events/{event.id}/messages/preview", data=data)


def send_fields(html: str) -> dict:
    """The hidden fields of the send form on the preview page, as a browser would post them."""
    form = html[html.index('messages/send"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))


def test_preview_shows_recipients_and_rendered_text_and_sends_nothing(
    orga_client, make_event, make_registration, outbox
):
    event = make_event()
    first = make_registration(event, S.CONFIRMED, first_name="Ada", last_name="Albers")
    make_registration(event, S.CONFIRMED)
    make_registration(event, S.WAITLISTED)
    make_registration(event, S.CANCELLED)

    response = preview(orga_client, event)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-recipients="2"' in html
    assert "Diese Nachricht geht an 2 Personen" in html
    assert "Guten Tag Ada Albers," in html
    assert "Wir treffen uns in Raum 2." in html
    # Where the person's own link will be: each mail gets one when it is queued, so the
    # preview shows none that would open anybody's page.
    assert "/r/persoenlicher-link" in html
    assert f"/r/{first.token}" not in html
    assert outbox("organiser_message") == []


def test_send_queues_one_mail_per_recipient_and_logs_it(
    orga_client, organiser, make_event, make_registration, outbox, audit_entries, session
):
    event = make_event()
    confirmed = [make_registration(event, S.CONFIRMED) for _ in range(3)]
    waiting = make_registration(event, S.WAITLISTED)

    fields = send_fields(preview(orga_client, event).get_data(as_text=True))
    assert fields["group"] == "confirmed" and fields["send_key"]
    response = orga_client.post(f"/admin/events/{event.id}/messages/send", data=fields)

    assert response.status_code == 302
    mails = outbox("organiser_message")
    assert sorted(m.registration_id for m in mails) == sorted(r.id for r in confirmed)
    assert waiting.id not in {m.registration_id for m in mails}
    by_id = {r.id: r for r in confirmed}
    for mail in mails:
        registration = by_id[mail.registration_id]
        assert mail.recipient == registration.email
        assert mail.subject == "Raumänderung"
        assert f"Guten Tag {registration.full_name}," in mail.body_text
        assert "Wir treffen uns in Raum 2." in mail.body_text
        assert registration.token in mail.body_text  # the personal link
        assert "Raum 2." in mail.body_html

    [entry] = audit_entries("event.message_sent")
    assert entry.event_id == event.id and entry.actor == organiser.email
    assert '"recipients": 3' in entry.after

    log = orga_client.get(f"/admin/events/{event.id}/messages").get_data(as_text=True)
    assert "Raumänderung" in log
    assert "3 Empfänger*innen" in log
    for registration in confirmed:
        assert registration.email in log
    assert waiting.email not in log.split("Gesendete Nachrichten")[1]


def test_sending_the_same_preview_twice_sends_once(
    orga_client, make_event, make_registration, outbox, session
):
    event = make_event()
    make_registration(event, S.CONFIRMED)
    fields = send_fields(preview(orga_client, event).get_data(as_text=True))

    orga_client.post(f"/admin/events/{event.id}/messages/send", data=fields)
    again = orga_client.post(
        f"/admin/events/{event.id}/messages/send", data=fields, follow_redirects=True
    )

    assert "bereits gesendet" in again.get_data(as_text=True)
    assert len(outbox("organiser_message")) == 1
    assert session.query(OrganiserMessage).count() == 1


def test_waitlisted_and_attended_groups(orga_client, make_event, make_registration, outbox):
    event = make_event()
    came = make_registration(event, S.CONFIRMED, attendance="attended")
    make_registration(event, S.CONFIRMED, attendance="no_show")
    waiting = make_registration(event, S.WAITLISTED)
    offered = make_registration(event, S.OFFERED)

    for group in ("waitlisted", "attended"):
        html = preview(orga_client, event, group=group).get_data(as_text=True)
        orga_client.post(f"/admin/events/{event.id}/messages/send", data=send_fields(html))

    mails = outbox("organiser_message")
    assert sorted(m.registration_id for m in mails) == sorted([waiting.id, offered.id, came.id])


def test_an_empty_group_is_refused_with_a_message(
    orga_client, make_event, make_registration, outbox
):
    event = make_event()
    make_registration(event, S.CONFIRMED)

    response = preview(orga_client, event, group="attended")

    assert response.status_code == 422
    assert "Empfängerkreis" in response.get_data(as_text=True)
    assert "leer" in response.get_data(as_text=True)
    assert outbox() == []


def test_subject_and_text_are_required(orga_client, make_event, make_registration):
    event = make_event()
    make_registration(event, S.CONFIRMED)

    response = preview(orga_client, event, subject="", body="")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bitte geben Sie einen Betreff ein." in html
    assert "Bitte geben Sie einen Text ein." in html
