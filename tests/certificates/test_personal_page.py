"""The certificate on the participant's own page (/r/<token>): only for people marked as
attended; created by a button, downloaded as a PDF in German or English."""

from __future__ import annotations

import pytest
from pdf_reading import pdf_text
from sqlalchemy import func, select

from app.certificates.models import Certificate
from app.certificates.rules import issue_certificate, revoke_certificate
from app.models import Attendance, RegistrationStatus, utcnow


def certificates_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Certificate))


def test_an_attended_participant_creates_and_downloads_the_certificate(
    client, session, attended, no_signature
):
    page = client.get(f"/r/{attended.token}").text
    assert "Teilnahmebescheinigung erstellen" in page
    assert f'action="/r/{attended.token}/teilnahmebescheinigung"' in page

    created = client.post(f"/r/{attended.token}/teilnahmebescheinigung")

    assert created.status_code == 302
    assert created.headers["Location"].endswith(f"/r/{attended.token}#teilnahmebescheinigung")
    page = client.get(f"/r/{attended.token}").text
    assert "Ihre Teilnahmebescheinigung ist erstellt." in page
    assert "Teilnahmebescheinigung erstellen" not in page
    download = client.get(f"/r/{attended.token}/teilnahmebescheinigung/de.pdf")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Cache-Control"] == "no-store"
    assert "Teilnahmebescheinigung-Schaefer-Joerg-" in download.headers["Content-Disposition"]
    assert "Jörg Schäfer" in pdf_text(download.data)
    english = client.get(f"/r/{attended.token}/teilnahmebescheinigung/en.pdf")
    assert "Certificate of attendance" in pdf_text(english.data)


def test_creating_twice_gives_one_certificate(client, session, attended):
    for _ in range(3):
        response = client.post(f"/r/{attended.token}/teilnahmebescheinigung")
        assert response.status_code == 302

    assert certificates_count(session) == 1


def test_opening_the_pdf_address_creates_nothing(client, session, attended):
    # A mail scanner or a prefetching browser opens links: GET never issues a certificate.
    response = client.get(f"/r/{attended.token}/teilnahmebescheinigung/de.pdf")

    assert response.status_code == 404
    assert certificates_count(session) == 0
    assert client.get(f"/r/{attended.token}/teilnahmebescheinigung").status_code == 405


@pytest.mark.parametrize("attendance", [None, Attendance.NO_SHOW])
def test_people_not_marked_as_attended_get_no_certificate(
    client, session, make_participant, attendance
):
    registration = make_participant(attendance=attendance)

    page = client.get(f"/r/{registration.token}").text
    created = client.post(f"/r/{registration.token}/teilnahmebescheinigung")
    download = client.get(f"/r/{registration.token}/teilnahmebescheinigung/de.pdf")

    assert "Teilnahmebescheinigung" not in page
    assert created.status_code == 404
    assert download.status_code == 404
    assert certificates_count(session) == 0


def test_a_waitlisted_registration_gets_no_certificate(
    client, session, make_registration, past_event
):
    registration = make_registration(past_event, status=RegistrationStatus.WAITLISTED)

    assert client.post(f"/r/{registration.token}/teilnahmebescheinigung").status_code == 404
    assert certificates_count(session) == 0


def test_undoing_the_attendance_mark_withdraws_the_download(client, session, attended):
    issue_certificate(session, attended.id, utcnow())
    session.commit()
    attended.attendance = None
    session.commit()

    assert client.get(f"/r/{attended.token}/teilnahmebescheinigung/de.pdf").status_code == 404


def test_after_a_revocation_the_participant_cannot_make_a_new_one(client, session, attended):
    certificate = issue_certificate(session, attended.id, utcnow())
    session.commit()
    revoke_certificate(session, None, certificate.id, utcnow())
    session.commit()

    page = client.get(f"/r/{attended.token}").text
    response = client.post(f"/r/{attended.token}/teilnahmebescheinigung", follow_redirects=True)

    assert "vom Organisationsteam widerrufen" in page
    assert "Teilnahmebescheinigung erstellen" not in page
    assert "vom Organisationsteam widerrufen" in response.text
    assert certificates_count(session) == 1
    assert client.get(f"/r/{attended.token}/teilnahmebescheinigung/de.pdf").status_code == 404


def test_the_section_is_in_english_for_english_readers(client, attended):
    page = client.get(f"/r/{attended.token}?lang=en").text

    assert "Create certificate of attendance" in page
    assert "Teilnahmebescheinigung" not in page


def test_an_unknown_link_opens_no_certificate(client):
    assert client.post("/r/nicht-vorhanden/teilnahmebescheinigung").status_code == 404
    assert client.get("/r/nicht-vorhanden/teilnahmebescheinigung/de.pdf").status_code == 404
