"""Who sees which material: public ones on the event page and in the archive; the others only
through the personal link of a confirmed or present person, and nobody reaches a file by
guessing its address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from material_files import minimal_pdf
from sqlalchemy import select

from app.models import (
    Attendance,
    EventStatus,
    Material,
    MaterialVisibility,
    RegistrationStatus,
    utcnow,
)

S = RegistrationStatus


@pytest.fixture
def past_event(make_event):
    now = utcnow().replace(microsecond=0)
    return make_event(
        title="Kick-off Nord",
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=10, hours=-5),
    )


@pytest.fixture
def with_materials(upload, add_link, session):
    """A public PDF, a participants-only PDF and a participants-only link for ``event``."""

    def attach(event):
        responses = [
            upload(event, minimal_pdf("oeffentlich"), "folien.pdf", title="Folien für alle"),
            upload(
                event,
                minimal_pdf("intern"),
                "protokoll.pdf",
                title="Protokoll nur für Teilnehmende",
                visibility="participants",
            ),
            add_link(event, title="Fotos im Cloud-Ordner", url="https://cloud.kommune.example/s/f"),
        ]
        assert [response.status_code for response in responses] == [302, 302, 302]
        session.expire_all()
        return {m.title: m for m in session.scalars(select(Material))}

    return attach


def download_links(html: str) -> list[str]:
    return re.findall(r'href="(/[^"]*unterlagen/[^"]+)"', html)


def test_public_materials_are_on_the_event_page_and_in_the_archive(
    past_event, with_materials, visitor
):
    items = with_materials(past_event)

    page = visitor.get(f"/events/{past_event.slug}").text
    archive = visitor.get("/archiv").text

    for html in (page, archive):
        assert "Folien für alle" in html
        assert "Protokoll nur für Teilnehmende" not in html
        assert "Fotos im Cloud-Ordner" not in html
        assert "cloud.kommune.example" not in html
        [link] = download_links(html)
        assert link == f"/unterlagen/{items['Folien für alle'].key}"
    response = visitor.get(link)
    assert response.status_code == 200
    assert response.data == minimal_pdf("oeffentlich")


def test_an_upcoming_event_shows_its_public_materials_too(make_event, upload, visitor):
    event = make_event()
    upload(event, minimal_pdf(), "agenda.pdf", title="Tagesordnung")
    assert "Tagesordnung" in visitor.get(f"/events/{event.slug}").text
    # The catalogue of upcoming events stays as it is: materials belong to the archive cards.
    assert "Tagesordnung" not in visitor.get("/").text


def test_a_new_material_shows_at_once_on_a_cached_event_page(
    past_event, upload, visitor, app, monkeypatch
):
    monkeypatch.setitem(app.config, "CATALOGUE_CACHE_SECONDS", 60)
    assert "Folien für alle" not in visitor.get(f"/events/{past_event.slug}").text

    upload(past_event, minimal_pdf(), "folien.pdf", title="Folien für alle")

    assert "Folien für alle" in visitor.get(f"/events/{past_event.slug}").text
    assert "Folien für alle" in visitor.get("/archiv").text


@pytest.mark.parametrize(
    "status, attendance",
    [(S.CONFIRMED, None), (S.CONFIRMED, Attendance.ATTENDED), (S.CANCELLED, Attendance.ATTENDED)],
    ids=["confirmed", "attended", "attended-then-cancelled"],
)
def test_participants_see_every_material_through_their_link(
    status, attendance, past_event, with_materials, make_registration, personal_link, visitor
):
    items = with_materials(past_event)
    person = make_registration(past_event, status, attendance=attendance)
    token = personal_link(person)

    page = visitor.get(f"/r/{token}").text

    for title in ("Folien für alle", "Protokoll nur für Teilnehmende", "Fotos im Cloud-Ordner"):
        assert title in page
    assert 'href="https://cloud.kommune.example/s/f"' in page
    internal = items["Protokoll nur für Teilnehmende"]
    assert f"/r/{token}/unterlagen/{internal.key}" in download_links(page)
    response = visitor.get(f"/r/{token}/unterlagen/{internal.key}")
    assert response.status_code == 200
    assert response.data == minimal_pdf("intern")
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    "status, attendance",
    [
        (S.PENDING, None),
        (S.WAITLISTED, None),
        (S.OFFERED, None),
        (S.CANCELLED, None),
        (S.EXPIRED, None),
        (S.CONFIRMED, "anonymised"),
    ],
)
def test_others_get_neither_the_list_nor_the_file(
    status, attendance, past_event, with_materials, make_registration, personal_link, visitor
):
    items = with_materials(past_event)
    extra = {"anonymised_at": utcnow()} if attendance == "anonymised" else {}
    person = make_registration(past_event, status, **extra)
    token = personal_link(person)

    page = visitor.get(f"/r/{token}")

    assert page.status_code == 200
    assert "Protokoll nur für Teilnehmende" not in page.text
    assert "cloud.kommune.example" not in page.text
    for material in items.values():
        assert visitor.get(f"/r/{token}/unterlagen/{material.key}").status_code == 404


def test_participants_only_files_cannot_be_guessed_or_reached_from_outside(
    past_event, make_event, with_materials, make_registration, personal_link, visitor
):
    items = with_materials(past_event)
    internal = items["Protokoll nur für Teilnehmende"]
    other_event = make_event()
    stranger = personal_link(make_registration(other_event, S.CONFIRMED))

    # The public address does not serve what is for participants, nor ids counted through.
    assert visitor.get(f"/unterlagen/{internal.key}").status_code == 404
    for guess in (str(internal.id), "1", "2", "3", internal.key[:-1] + "x"):
        assert visitor.get(f"/unterlagen/{guess}").status_code == 404
    # A made-up personal link, and a real one for another event, open nothing.
    assert visitor.get(f"/r/{'a' * 32}/unterlagen/{internal.key}").status_code == 404
    assert visitor.get(f"/r/{stranger}/unterlagen/{internal.key}").status_code == 404
    # Links have no download address at all.
    link = items["Fotos im Cloud-Ordner"]
    owner = personal_link(make_registration(past_event, S.CONFIRMED))
    assert visitor.get(f"/r/{owner}/unterlagen/{link.key}").status_code == 404


def test_public_files_of_a_draft_event_stay_hidden(make_event, upload, visitor, session):
    event = make_event(status=EventStatus.DRAFT)
    upload(event, minimal_pdf(), "folien.pdf")
    material = session.scalar(select(Material))
    assert material.visibility == MaterialVisibility.PUBLIC

    assert visitor.get(f"/unterlagen/{material.key}").status_code == 404
