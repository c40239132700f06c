"""Attendance at the door, the QR code in the confirmation mail, and the sign-in sheet."""

from __future__ import annotations

from app.booking import notify
from app.booking.checkin_codes import checkin_code, checkin_qr_svg
from app.models import Registration, RegistrationStatus

S = RegistrationStatus


def test_checkin_lists_confirmed_people_and_searches_without_javascript(
    orga_client, make_event, make_registration
):
    event = make_event()
    make_registration(event, S.CONFIRMED, last_name="Ahrens", municipality="Aue")
    make_registration(event, S.CONFIRMED, last_name="Berger", municipality="Bonn")
    make_registration(event, S.WAITLISTED, last_name="Wartend")
    page = orga_client.get(f"/admin/checkin/{event.id}")
    assert "Ahrens" in page.text and "Berger" in page.text and "Wartend" not in page.text
    assert "js/checkin.js" in page.text and "<script>" not in page.text
    found = orga_client.get(f"/admin/checkin/{event.id}?q=bonn").text
    assert "Berger" in found and "Ahrens" not in found


def test_mark_attended_no_show_and_undo(orga_client, make_event, make_registration, session):
    event = make_event()
    person = make_registration(event, S.CONFIRMED, last_name="Ahrens")
    base = f"/admin/checkin/{event.id}/registrations/{person.id}"
    response = orga_client.post(f"{base}/attended")
    assert response.status_code == 302
    page = orga_client.get(response.headers["Location"])
    assert "ist als anwesend eingetragen" in page.text
    assert 'data-count="attended">1<' in page.text
    session.expire_all()
    assert session.get(Registration, person.id).checked_in_at is not None
    orga_client.post(f"{base}/no_show")
    session.expire_all()
    assert session.get(Registration, person.id).attendance == "no_show"
    orga_client.post(f"{base}/undo")
    session.expire_all()
    assert session.get(Registration, person.id).attendance is None
    assert orga_client.get(f"{base}/attended").status_code == 405  # no change on GET


def test_the_script_gets_json_and_counts(orga_client, make_event, make_registration):
    event = make_event()
    person = make_registration(event, S.CONFIRMED)
    response = orga_client.post(
        f"/admin/checkin/{event.id}/registrations/{person.id}/attended",
        headers={"Accept": "application/json"},
    )
    assert response.json == {
        "id": person.id,
        "attendance": "attended",
        "attended": 1,
        "no_show": 0,
    }


def test_only_confirmed_people_can_be_checked_in(orga_client, make_event, make_registration):
    event = make_event()
    waiting = make_registration(event, S.WAITLISTED)
    response = orga_client.post(
        f"/admin/checkin/{event.id}/registrations/{waiting.id}/attended",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409


def test_the_qr_code_opens_the_persons_entry(orga_client, make_event, make_registration):
    event = make_event()
    person = make_registration(event, S.CONFIRMED, last_name="Quirin")
    code = checkin_code(person)
    assert person.token not in code  # the secret self-service token is not in the code
    page = orga_client.get(f"/admin/checkin/{event.id}/code/{code}")
    assert page.status_code == 200 and "Quirin" in page.text
    assert orga_client.get(f"/admin/checkin/{event.id}/code/falsch").status_code == 404
    svg = checkin_qr_svg(person)
    assert svg.startswith("<svg") and "path" in svg


def test_the_confirmation_mail_carries_the_qr_code(session, make_event, make_registration):
    from app.mail.message import OutboxMailMessage
    from app.models import OutboxMessage

    event = make_event()
    person = make_registration(event, S.CONFIRMED)
    notify.confirmed(session, person)
    session.commit()
    mail = session.query(OutboxMessage).one()
    assert 'src="cid:checkin-qr@startsmart"' in mail.body_html
    assert f"/admin/checkin/{event.id}/code/{checkin_code(person)}" in mail.body_text

    # The image itself is drawn at delivery and travels as a related part of the HTML body.
    mime = OutboxMailMessage(mail)._message()
    images = [part for part in mime.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0]["Content-ID"] == "<checkin-qr@startsmart>"
    assert images[0].get_content().startswith(b"\x89PNG")
    assert images[0].get_content_disposition() == "inline"


def test_sign_in_sheet_lists_confirmed_people_with_a_signature_column(
    orga_client, make_event, make_registration
):
    event = make_event(title="Peer-Learning Süd")
    make_registration(event, S.CONFIRMED, last_name="Ahrens")
    make_registration(event, S.CANCELLED, last_name="Storniert")
    page = orga_client.get(f"/admin/events/{event.id}/sign-in-sheet").text
    assert "Teilnehmendenliste" in page and "Unterschrift" in page
    assert "Ahrens" in page and "Storniert" not in page
    assert "Peer-Learning Süd" in page
