"""The certificate as a PDF: what it states, read back with a real parser, and that it is an
accessible, tagged PDF/UA document with an embedded font."""

from __future__ import annotations

from pdf_reading import image_bytes, pdf_text, read_pdf

from app.certificates.pdf import build_pdf
from app.certificates.rules import issue_certificate
from app.models import utcnow


def issued(session, registration):
    certificate = issue_certificate(session, registration.id, utcnow())
    session.commit()
    return certificate


def test_the_certificate_states_name_municipality_event_date_duration_and_office(
    session, attended, past_event, no_signature
):
    certificate = issued(session, attended)

    text = pdf_text(build_pdf(certificate, "de"))

    assert "Teilnahmebescheinigung" in text
    assert "Jörg Schäfer" in text
    assert "Stadt Dessau-Roßlau" in text
    assert "Themenwerkstatt: Kommunale Wärmeplanung für Einsteiger" in text
    assert "Termin Do., 13. März 2025, 09:30–15:30 Uhr" in text
    assert "Dauer 6 Stunden" in text
    assert "Koordinierungs- und Transferstelle Start Smart" in text
    assert "Rathaus Görlitz" in text
    assert f"Bescheinigungs-Nr. {certificate.id}" in text
    # Without a signature image the certificate says why it is valid all the same.
    assert "ohne Unterschrift gültig" in text


def test_the_english_certificate_says_the_same_in_english(session, attended, no_signature):
    certificate = issued(session, attended)

    text = pdf_text(build_pdf(certificate, "en"))

    assert "Certificate of attendance" in text
    assert "Jörg Schäfer" in text and "Stadt Dessau-Roßlau" in text
    assert "Duration 6 hours" in text
    assert "Date Thu, 13 March 2025, 09:30–15:30 (Berlin time)" in text
    assert "Teilnahmebescheinigung" not in text
    assert read_pdf(build_pdf(certificate, "en")).trailer["/Root"]["/Lang"] == "en"


def test_the_pdf_is_tagged_pdf_ua_with_language_title_and_an_embedded_font(
    session, attended, no_signature
):
    reader = read_pdf(build_pdf(issued(session, attended), "de"))
    root = reader.trailer["/Root"]

    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "de"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Teilnahmebescheinigung: Jörg Schäfer"
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp or "<pdfuaid:part>1</pdfuaid:part>" in xmp
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    descriptors = [
        descendant.get_object()["/FontDescriptor"].get_object()
        for font in fonts
        for descendant in font["/DescendantFonts"]
    ]
    assert descriptors and all("/FontFile2" in d for d in descriptors), "fonts are embedded"
    assert any("DejaVu" in str(d["/FontName"]) for d in descriptors)


def test_the_qr_code_and_the_signature_carry_alternative_texts(
    app, session, attended, no_signature
):
    from app.certificates.signature import store_signature

    store_signature(app.instance_path, image_bytes())
    reader = read_pdf(build_pdf(issued(session, attended), "de", no_signature.read_bytes()))

    figures = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            figures.append(str(node.get("/Alt")))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert "Unterschrift" in figures
    assert any("QR-Code" in alt for alt in figures)
    assert "ohne Unterschrift gültig" not in pdf_text(
        build_pdf(issued(session, attended), "de", no_signature.read_bytes())
    )
