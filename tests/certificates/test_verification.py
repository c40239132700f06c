"""The verification page a certificate's QR code and printed address open: it confirms name,
event and date; a changed or made-up code answers 404; a revoked certificate says so."""

from __future__ import annotations

from pdf_reading import pdf_text, verification_path

from app.certificates.pdf import build_pdf
from app.certificates.rules import issue_certificate, revoke_certificate
from app.models import utcnow
from app.privacy.personal_data import anonymise_registration


def issued_pdf(session, registration) -> tuple:
    certificate = issue_certificate(session, registration.id, utcnow())
    session.commit()
    return certificate, build_pdf(certificate, "de")


def test_the_code_in_the_pdf_opens_a_page_that_confirms_name_event_and_date(
    client, session, attended, no_signature
):
    _, pdf = issued_pdf(session, attended)
    path = verification_path(pdf)

    page = client.get(path)

    assert page.status_code == 200
    assert path.removeprefix("/bescheinigung/") in pdf_text(pdf)  # printed as well
    assert "echt und gültig" in page.text
    assert "Jörg Schäfer" in page.text
    assert "Stadt Dessau-Roßlau" in page.text
    assert "Themenwerkstatt: Kommunale Wärmeplanung für Einsteiger" in page.text
    assert "Do., 13. März 2025, 09:30–15:30 Uhr" in page.text
    assert '<meta name="robots" content="noindex">' in page.text
    assert page.headers["Cache-Control"] == "no-store"
    # People type codes off paper: capitals are the same code.
    assert client.get(path.upper().replace("/BESCHEINIGUNG/", "/bescheinigung/")).status_code == 200


def test_a_changed_code_answers_404(client, session, attended, make_participant, no_signature):
    _, pdf = issued_pdf(session, attended)
    path = verification_path(pdf)
    number, mac = path.removeprefix("/bescheinigung/").split("-")
    other = issue_certificate(session, make_participant().id, utcnow())
    session.commit()

    flipped = mac[:-1] + ("a" if mac[-1] != "a" else "b")
    assert client.get(f"/bescheinigung/{number}-{flipped}").status_code == 404
    # The code of one certificate does not open another (counting the numbers finds nothing).
    assert client.get(f"/bescheinigung/{other.id}-{mac}").status_code == 404
    assert client.get(f"/bescheinigung/{number}").status_code == 404
    assert client.get(f"/bescheinigung/{number}-{mac}x").status_code == 404
    assert client.get(f"/bescheinigung/99999999999999-{mac}").status_code == 404
    assert client.get("/bescheinigung/" + "1-" + "a" * 200).status_code == 404


def test_a_revoked_certificate_says_it_is_revoked(client, session, attended, no_signature):
    certificate, pdf = issued_pdf(session, attended)

    revoke_certificate(session, None, certificate.id, utcnow())
    session.commit()
    page = client.get(verification_path(pdf))

    assert page.status_code == 200
    assert "widerrufen" in page.text and "nicht mehr gültig" in page.text
    assert "echt und gültig" not in page.text


def test_the_code_no_longer_opens_once_the_name_on_it_is_wrong(
    client, session, attended, no_signature
):
    _, pdf = issued_pdf(session, attended)
    attended.last_name = "Schaefer"
    session.commit()

    assert client.get(verification_path(pdf)).status_code == 404


def test_anonymisation_voids_the_code(client, session, attended, no_signature):
    _, pdf = issued_pdf(session, attended)

    anonymise_registration(session, attended, utcnow())
    session.commit()

    assert client.get(verification_path(pdf)).status_code == 404


def test_another_secret_key_makes_other_codes(app, session, attended, no_signature):
    certificate, pdf = issued_pdf(session, attended)
    code = verification_path(pdf).removeprefix("/bescheinigung/")
    from app.certificates.rules import verification_code

    app.config["SECRET_KEY"], original = (
        "another-secret-key-for-this-test",
        app.config["SECRET_KEY"],
    )
    try:
        assert verification_code(certificate) != code
    finally:
        app.config["SECRET_KEY"] = original
    assert verification_code(certificate) == code
