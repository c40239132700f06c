"""The organisers' certificates page: issue for a whole event, a ZIP of PDFs with safe names,
one PDF, revoke (audited), issue anew; erasure leaves nothing to download or verify."""

from __future__ import annotations

import io
import re
import zipfile

from pdf_reading import pdf_text, verification_path
from sqlalchemy import select

from app.certificates.models import Certificate
from app.certificates.pdf import build_pdf
from app.certificates.rules import issue_certificate
from app.models import Attendance, utcnow
from app.privacy.erasure import erase_person


def certificates(session) -> list[Certificate]:
    session.expire_all()
    return list(session.scalars(select(Certificate).order_by(Certificate.id)))


def zip_of(orga_client, event) -> zipfile.ZipFile:
    response = orga_client.get(f"/admin/events/{event.id}/certificates.zip")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="Teilnahmebescheinigungen-{event.slug}.zip"'
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_issuing_for_the_event_gives_one_pdf_per_attended_participant_with_safe_names(
    orga_client, session, past_event, make_participant, no_signature
):
    make_participant(first_name="Jörg", last_name="Schäfer", language="de")
    make_participant(first_name="Ayşe", last_name="Yılmaz-Øberg", language="en")
    make_participant(first_name="../../etc", last_name="pass/wd\\x:*?", language="de")
    make_participant(first_name="李", last_name="小龙")
    make_participant(attendance=Attendance.NO_SHOW, last_name="Fehlt")
    make_participant(attendance=None, last_name="Offen")

    page = orga_client.get(f"/admin/events/{past_event.id}/certificates")
    assert page.status_code == 200
    assert "Bescheinigungen für alle Anwesenden ausstellen" in page.text
    response = orga_client.post(f"/admin/events/{past_event.id}/certificates/issue")
    assert response.status_code == 302
    assert (
        "4 Teilnahmebescheinigungen ausgestellt."
        in orga_client.get(response.headers["Location"]).text
    )

    archive = zip_of(orga_client, past_event)
    names = archive.namelist()
    assert len(names) == 4
    for name in names:
        assert re.fullmatch(r"Teilnahmebescheinigung(-[A-Za-z0-9]+)+\.pdf", name), name
    ids = [certificate.id for certificate in certificates(session)]
    assert sorted(names) == sorted(
        [
            f"Teilnahmebescheinigung-Schaefer-Joerg-{ids[0]}.pdf",
            f"Teilnahmebescheinigung-Yilmaz-Oberg-Ayse-{ids[1]}.pdf",
            f"Teilnahmebescheinigung-pass-wd-x-etc-{ids[2]}.pdf",
            f"Teilnahmebescheinigung-{ids[3]}.pdf",
        ]
    )
    texts = {name: pdf_text(archive.read(name)) for name in names}
    assert "Jörg Schäfer" in texts[f"Teilnahmebescheinigung-Schaefer-Joerg-{ids[0]}.pdf"]
    english = texts[f"Teilnahmebescheinigung-Yilmaz-Oberg-Ayse-{ids[1]}.pdf"]
    assert "Certificate of attendance" in english and "Ayşe Yılmaz-Øberg" in english
    assert not any("Fehlt" in text or "Offen" in text for text in texts.values())


def test_issuing_again_adds_nobody_twice(orga_client, session, past_event, make_participant):
    make_participant()
    orga_client.post(f"/admin/events/{past_event.id}/certificates/issue")

    response = orga_client.post(
        f"/admin/events/{past_event.id}/certificates/issue", follow_redirects=True
    )

    assert "Alle Anwesenden haben bereits eine Teilnahmebescheinigung." in response.text
    assert len(certificates(session)) == 1


def test_revoking_is_audited_and_the_verification_page_says_so(
    orga_client, session, attended, past_event, audit_entries, no_signature
):
    certificate = issue_certificate(session, attended.id, utcnow())
    session.commit()
    path = verification_path(build_pdf(certificate, "de"))

    response = orga_client.post(f"/admin/certificates/{certificate.id}/revoke")

    assert response.status_code == 302
    [entry] = audit_entries("registration.certificate_revoked")
    assert entry.actor == "orga@kts.example"
    assert entry.target_id == attended.id and entry.event_id == past_event.id
    assert f'"certificate_id": {certificate.id}' in entry.after
    assert "widerrufen" in orga_client.get(path).text
    page = orga_client.get(f"/admin/events/{past_event.id}/certificates").text
    assert f"Nr. {certificate.id}, widerrufen am" in page
    # The ZIP leaves it out, and issuing for the event does not bring it back.
    orga_client.post(f"/admin/events/{past_event.id}/certificates/issue")
    assert len(certificates(session)) == 1
    assert orga_client.get(f"/admin/events/{past_event.id}/certificates.zip").status_code == 302
    # Revoking twice changes nothing more.
    orga_client.post(f"/admin/certificates/{certificate.id}/revoke")
    assert len(audit_entries("registration.certificate_revoked")) == 1


def test_an_organiser_issues_a_new_certificate_after_a_revocation(
    orga_client, session, attended, audit_entries
):
    first = issue_certificate(session, attended.id, utcnow())
    session.commit()
    orga_client.post(f"/admin/certificates/{first.id}/revoke")

    response = orga_client.post(f"/admin/registrations/{attended.id}/certificate")

    assert response.status_code == 302
    old, new = certificates(session)
    assert old.revoked_at is not None and new.revoked_at is None
    assert len(audit_entries("registration.certificate_issued")) == 1
    assert orga_client.get(f"/r/{attended.token}/teilnahmebescheinigung/de.pdf").status_code == 200


def test_an_organiser_downloads_one_pdf_in_the_participants_language(
    orga_client, session, make_participant, no_signature
):
    registration = make_participant(first_name="Kim", last_name="Park", language="en")
    certificate = issue_certificate(session, registration.id, utcnow())
    session.commit()

    response = orga_client.get(f"/admin/certificates/{certificate.id}.pdf")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "Certificate of attendance" in pdf_text(response.data)


def test_erasure_leaves_no_certificate_to_download_or_verify(
    orga_client, session, attended, past_event, no_signature
):
    certificate = issue_certificate(session, attended.id, utcnow())
    session.commit()
    token, path = attended.token, verification_path(build_pdf(certificate, "de"))

    erase_person(session, None, attended.email, utcnow())
    session.commit()

    assert orga_client.get(path).status_code == 404
    assert orga_client.get(f"/r/{token}/teilnahmebescheinigung/de.pdf").status_code == 404
    assert orga_client.get(f"/admin/certificates/{certificate.id}.pdf").status_code == 404
    assert orga_client.get(f"/admin/events/{past_event.id}/certificates.zip").status_code == 302
    page = orga_client.get(f"/admin/events/{past_event.id}/certificates").text
    assert "Schäfer" not in page


def test_the_back_office_pages_need_a_login(client, session, attended):
    certificate = issue_certificate(session, attended.id, utcnow())
    session.commit()
    event_id = attended.event_id

    for method, url in [
        ("GET", f"/admin/events/{event_id}/certificates"),
        ("POST", f"/admin/events/{event_id}/certificates/issue"),
        ("GET", f"/admin/events/{event_id}/certificates.zip"),
        ("GET", f"/admin/certificates/{certificate.id}.pdf"),
        ("POST", f"/admin/certificates/{certificate.id}/revoke"),
        ("POST", f"/admin/registrations/{attended.id}/certificate"),
        ("GET", "/admin/certificates/signature"),
        ("POST", "/admin/certificates/signature/remove"),
    ]:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/admin/login" in response.headers["Location"]
    assert certificates(session)[0].revoked_at is None


def test_the_event_tabs_lead_to_the_certificates(orga_client, past_event):
    page = orga_client.get(f"/admin/events/{past_event.id}/registrations").text

    assert f'href="/admin/events/{past_event.id}/certificates"' in page
