"""Organisers upload files that are checked by their content, not by their name: each allowed
type gets in; an impostor, an empty or an oversized file gets a field error in the page's
language, and nothing is stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from material_files import ALLOWED_FILES, HTML, JPEG, SVG, minimal_pdf, ooxml_bytes
from sqlalchemy import func, select

from app.models import Material, MaterialKind, MaterialVisibility

NOT_ALLOWED_DE = "Geprüft wird der Inhalt der Datei, nicht ihr Name."
NOT_ALLOWED_EN = "The content of the file is checked, not its name."


def materials(session) -> list[Material]:
    session.expire_all()
    return list(session.scalars(select(Material).order_by(Material.id)))


def stored_files(store) -> list[str]:
    return sorted(path.name for path in store.root.glob("*") if path.is_file())


@pytest.mark.parametrize("kind", ALLOWED_FILES)
def test_each_allowed_type_is_stored_and_listed(kind, make_event, upload, session, store, client):
    event = make_event()
    filename, make, content_type = ALLOWED_FILES[kind]
    content = make()

    response = upload(event, content, filename)

    assert response.status_code == 302
    [material] = materials(session)
    assert (material.kind, material.content_type) == (MaterialKind.FILE, content_type)
    assert material.size == len(content)
    with store.open(material.stored_name) as stored:
        assert stored.read() == content
    page = client.get(f"/admin/events/{event.id}/materials")
    assert "Folien der Vorträge" in page.text
    assert filename.rsplit(".", 1)[0] in page.text


@pytest.mark.parametrize(
    "content, filename",
    [
        (HTML, "folien.pdf"),
        (SVG, "folien.pdf"),
        (SVG, "bild.png"),
        (b"%!PS-Adobe-3.0\n", "folien.pdf"),
        # A ZIP named like a Word file, but without an Office package inside.
        (b"PK\x03\x04" + b"\x00" * 40, "protokoll.docx"),
    ],
    ids=["html-as-pdf", "svg-as-pdf", "svg-as-png", "postscript", "broken-zip"],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    content, filename, make_event, upload, session, store
):
    event = make_event()
    before = stored_files(store)

    response = upload(event, content, filename)

    assert response.status_code == 422
    assert NOT_ALLOWED_DE in response.text
    assert 'id="upload-file-error"' in response.text  # at the field, linked from the summary
    assert 'href="#upload-file"' in response.text
    assert materials(session) == []
    assert stored_files(store) == before


def test_the_refusal_is_in_english_on_english_pages(make_event, upload, session):
    response = upload(make_event(), HTML, "slides.pdf", lang="en")

    assert response.status_code == 422
    assert NOT_ALLOWED_EN in response.text
    assert NOT_ALLOWED_DE not in response.text


def zip_with(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        # A macro-enabled Word document (docm) renamed to .docx.
        ooxml_bytes("docx", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        # "mimetype" inside, but not as the first entry: not an OpenDocument package.
        zip_with({"index.html": HTML, "mimetype": b"application/vnd.oasis.opendocument.text"}),
        # An OpenDocument drawing: a real format, but not one of those allowed.
        zip_with({"mimetype": b"application/vnd.oasis.opendocument.graphics"}),
    ],
    ids=["docm", "mimetype-not-first", "odg"],
)
def test_zip_packages_are_judged_by_what_they_declare(content, make_event, upload, session):
    response = upload(make_event(), content, "protokoll.docx")

    assert response.status_code == 422
    assert NOT_ALLOWED_DE in response.text
    assert materials(session) == []


def test_an_oversized_file_gets_the_limit_at_the_field(
    make_event, upload, session, store, app, monkeypatch
):
    monkeypatch.setitem(app.config, "MATERIALS_MAX_MB", 1)
    event = make_event()
    big = minimal_pdf() + b"\n%" + b"x" * (1024 * 1024)
    before = stored_files(store)

    response = upload(event, big, "folien.pdf")

    assert response.status_code == 422
    assert "Die Datei ist zu groß: höchstens 1 MB sind möglich." in response.text
    assert 'id="upload-file-error"' in response.text
    assert materials(session) == []
    assert stored_files(store) == before
    assert upload(event, minimal_pdf(), "folien.pdf").status_code == 302


def test_the_limit_is_shown_before_anyone_uploads(office, make_event, app, monkeypatch):
    monkeypatch.setitem(app.config, "MATERIALS_MAX_MB", 40)
    page = office.get(f"/admin/events/{make_event().id}/materials")
    assert "höchstens 40 MB" in page.text


def test_an_empty_file_and_a_missing_file_are_refused(make_event, upload, session):
    event = make_event()
    assert "Die Datei ist leer." in upload(event, b"", "folien.pdf").text
    response = upload(event, b"", "")
    assert response.status_code == 422
    assert "Bitte wählen Sie eine Datei aus." in response.text
    assert materials(session) == []


def test_title_is_required_and_one_line(make_event, upload, session):
    event = make_event()
    assert "Bitte geben Sie einen Titel ein." in upload(event, JPEG, "a.jpg", title="").text
    response = upload(event, JPEG, "a.jpg", title="Folien\r\nBcc: x@example.org")
    assert response.status_code == 422
    assert "ohne Zeilenumbruch" in response.text
    assert materials(session) == []


def test_a_file_is_served_as_the_type_found_in_it(make_event, upload, session, client):
    """A photo uploaded as "folien.pdf" is kept as a PNG named "folien.png"."""
    event = make_event()
    upload(event, ALLOWED_FILES["png"][1](), "folien.pdf")

    [material] = materials(session)

    assert (material.content_type, material.filename) == ("image/png", "folien.png")


def test_links_must_be_https(make_event, add_link, session):
    event = make_event()
    for url in ("http://cloud.kommune.example/s/1", "javascript:alert(1)", "https://", "cloud"):
        response = add_link(event, url=url)
        assert response.status_code == 422, url
        assert "die mit https:// beginnt" in response.text
    assert materials(session) == []

    assert add_link(event, url="https://cloud.kommune.example/s/1").status_code == 302
    [link] = materials(session)
    assert (link.kind, link.url) == (MaterialKind.LINK, "https://cloud.kommune.example/s/1")
    assert link.visibility == MaterialVisibility.PARTICIPANTS


def test_an_unknown_visibility_or_language_is_a_field_error(make_event, upload, session):
    event = make_event()
    response = upload(event, JPEG, "a.jpg", visibility="everyone", language="fr")
    assert response.status_code == 422
    assert "Bitte wählen Sie aus der Liste, wer die Unterlage sieht." in response.text
    assert "Bitte wählen Sie eine Sprache aus der Liste." in response.text
    assert session.scalar(select(func.count(Material.id))) == 0


def test_a_file_of_the_largest_size_gets_through_the_back_offices_body_limit(
    make_event, upload, session, app
):
    """With the defaults, the request-size limit in front of the back office (a middleware
    that refuses larger bodies before reading them) leaves room for a file of
    MATERIALS_MAX_MB and its form."""
    limit = app.config["MATERIALS_MAX_MB"] * 1024 * 1024
    largest = minimal_pdf() + b"%" + b"x" * (limit - len(minimal_pdf()) - 1)
    assert len(largest) == limit

    response = upload(make_event(), largest, "folien.pdf")

    assert response.status_code == 302
    assert materials(session)[0].size == limit
