"""A download is an attachment of the type found in the file, under a name that is safe in
every browser and header (Umlaute through filename*, an ASCII fallback), never sniffed."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from material_files import ALLOWED_FILES, minimal_pdf
from sqlalchemy import select

from app.materials.content import PDF, content_disposition, safe_filename
from app.models import Material


def the_material(session) -> Material:
    session.expire_all()
    return session.scalar(select(Material))


def test_a_public_download_is_an_attachment_with_umlaute_and_an_ascii_fallback(
    make_event, upload, session, visitor
):
    event = make_event()
    upload(event, minimal_pdf(), "Präsentation Übersicht – Straße.pdf")
    material = the_material(session)

    response = visitor.get(f"/unterlagen/{material.key}")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Praesentation Uebersicht _ Strasse.pdf"' in disposition
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "Präsentation Übersicht – Straße.pdf"
    assert disposition.isascii()
    assert response.data == minimal_pdf()


@pytest.mark.parametrize("kind", ["docx", "png", "jpeg"])
def test_each_type_is_served_with_its_own_content_type(kind, make_event, upload, session, visitor):
    filename, make, content_type = ALLOWED_FILES[kind]
    upload(make_event(), make(), filename)

    response = visitor.get(f"/unterlagen/{the_material(session).key}")

    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_a_hostile_file_name_loses_its_path_line_breaks_and_quotes(
    make_event, upload, session, visitor
):
    upload(make_event(), minimal_pdf(), '..\\..\\C:/etc/"passwd"\r\nSet-Cookie: x=1;.pdf')
    material = the_material(session)

    response = visitor.get(f"/unterlagen/{material.key}")

    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert "Set-Cookie" not in response.headers
    assert "/" not in material.filename and "\\" not in material.filename
    assert ".." not in material.filename
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert '"' not in fallback and ";" not in fallback
    assert material.filename.endswith(".pdf")


def test_the_stored_name_is_random_and_not_the_uploaded_one(make_event, upload, session, store):
    upload(make_event(), minimal_pdf(), "folien.pdf")
    material = the_material(session)

    assert "folien" not in material.stored_name
    assert len(material.stored_name) == 32
    assert (store.root / material.stored_name).is_file()
    assert "static" not in store.root.parts


def test_downloads_are_counted_per_material_not_per_person(
    make_event, upload, session, visitor, office
):
    upload(make_event(), minimal_pdf(), "folien.pdf")
    material = the_material(session)

    for _ in range(3):
        assert visitor.get(f"/unterlagen/{material.key}").status_code == 200

    assert the_material(session).downloads == 3
    page = office.get(f"/admin/events/{material.event_id}/materials").text
    assert "<td>3</td>" in page


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Protokoll.PDF", "Protokoll.pdf"),
        ("ohne-endung", "ohne-endung.pdf"),
        ("...", "unterlagen.pdf"),
        ("Tab\tund\u202eRTL.pdf", "Tab und RTL.pdf"),
        ("a" * 300 + ".pdf", "a" * 120 + ".pdf"),
    ],
)
def test_safe_filenames(name, expected):
    assert safe_filename(name, PDF) == expected


def test_content_disposition_follows_rfc_6266():
    assert content_disposition("Grüße 100%.pdf") == (
        "attachment; filename=\"Gruesse 100_.pdf\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20100%25.pdf"
    )
