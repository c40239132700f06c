"""Organisers change and remove materials in the back office; each step is in the audit log,
a removed file leaves the store, and every page needs a login."""

from __future__ import annotations

import json

import pytest
from material_files import minimal_pdf
from sqlalchemy import select

from app.materials.storage import StoredFileMissing
from app.models import Material, MaterialVisibility


def the_material(session) -> Material:
    session.expire_all()
    return session.scalar(select(Material))


def test_the_event_pages_link_to_the_materials(office, make_event):
    event = make_event()
    page = office.get(f"/admin/events/{event.id}").text
    assert f'href="/admin/events/{event.id}/materials"' in page
    listing = office.get(f"/admin/events/{event.id}/materials")
    assert listing.status_code == 200
    assert 'aria-current="page">Unterlagen</a>' in listing.text
    assert "Für diese Veranstaltung gibt es noch keine Unterlagen." in listing.text


def test_adding_is_audited(make_event, upload, audit_entries, session):
    event = make_event()
    upload(event, minimal_pdf(), "folien.pdf", title="Folien")

    [entry] = audit_entries("event.material_added")
    after = json.loads(entry.after)
    assert (entry.event_id, entry.actor) == (event.id, "orga@kts.example")
    assert after["title"] == "Folien" and after["visibility"] == "public"
    assert after["filename"] == "folien.pdf"


def test_changing_title_and_visibility_moves_the_material_off_the_public_page(
    make_event, upload, office, session, visitor, audit_entries
):
    event = make_event()
    upload(event, minimal_pdf(), "folien.pdf", title="Folien")
    material = the_material(session)
    assert "Folien" in visitor.get(f"/events/{event.slug}").text

    edit = office.get(f"/admin/materials/{material.id}/edit")
    assert edit.status_code == 200 and 'value="Folien"' in edit.text
    response = office.post(
        f"/admin/materials/{material.id}/edit",
        data={"title": "Folien (intern)", "language": "en", "visibility": "participants"},
    )

    assert response.status_code == 302
    material = the_material(session)
    assert (material.title, material.language) == ("Folien (intern)", "en")
    assert material.visibility == MaterialVisibility.PARTICIPANTS
    assert "Folien" not in visitor.get(f"/events/{event.slug}").text
    assert visitor.get(f"/unterlagen/{material.key}").status_code == 404
    [entry] = audit_entries("event.material_changed")
    assert json.loads(entry.before) == {
        "material_id": material.id,
        "title": "Folien",
        "language": "de",
        "visibility": "public",
    }
    assert json.loads(entry.after)["visibility"] == "participants"


def test_an_edit_with_errors_shows_them_at_the_fields(make_event, upload, office, session):
    upload(make_event(), minimal_pdf(), "folien.pdf", title="Folien")
    material = the_material(session)

    response = office.post(
        f"/admin/materials/{material.id}/edit",
        data={"title": "", "language": "de", "visibility": "public"},
    )

    assert response.status_code == 422
    assert "Bitte geben Sie einen Titel ein." in response.text
    assert the_material(session).title == "Folien"


def test_delete_removes_the_file_from_the_store(
    make_event, upload, office, session, store, visitor, audit_entries
):
    event = make_event()
    upload(event, minimal_pdf(), "folien.pdf", title="Folien")
    material = the_material(session)
    key, stored_name = material.key, material.stored_name
    store.open(stored_name).close()

    response = office.post(f"/admin/materials/{material.id}/delete")

    assert response.status_code == 302
    assert the_material(session) is None
    with pytest.raises(StoredFileMissing):
        store.open(stored_name)
    assert visitor.get(f"/unterlagen/{key}").status_code == 404
    [entry] = audit_entries("event.material_deleted")
    assert json.loads(entry.before)["title"] == "Folien"
    page = office.get(f"/admin/events/{event.id}/materials").text
    assert "„Folien“ ist gelöscht." in page


def test_deleting_a_link_needs_no_file(make_event, add_link, office, session):
    add_link(make_event())
    material = the_material(session)

    assert office.post(f"/admin/materials/{material.id}/delete").status_code == 302
    assert the_material(session) is None


def test_organisers_can_check_a_participants_only_file_without_counting_it(
    make_event, upload, office, session
):
    upload(make_event(), minimal_pdf(), "protokoll.pdf", visibility="participants")
    material = the_material(session)

    response = office.get(f"/admin/materials/{material.id}/download")

    assert response.status_code == 200
    assert response.data == minimal_pdf()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert the_material(session).downloads == 0


def test_materials_pages_need_a_login(client, make_event):
    event = make_event()
    urls = [
        ("GET", f"/admin/events/{event.id}/materials"),
        ("POST", f"/admin/events/{event.id}/materials/file"),
        ("POST", f"/admin/events/{event.id}/materials/link"),
        ("GET", "/admin/materials/1/edit"),
        ("POST", "/admin/materials/1/edit"),
        ("POST", "/admin/materials/1/delete"),
        ("GET", "/admin/materials/1/download"),
    ]
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, url
        assert "/admin/login" in response.headers["Location"]
