"""`flask seed-demo`: a past demo event has a public PDF and a link for its participants."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.materials.content import PDF, detect_type
from app.materials.storage import material_store
from app.models import Event, Material, MaterialKind, MaterialVisibility, utcnow


def test_a_past_demo_event_has_a_public_pdf_and_a_participants_link(runner, session, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    materials = list(session.scalars(select(Material).order_by(Material.id)))
    [event] = {material.event_id for material in materials}
    event = session.get(Event, event)
    assert event.ends_at < utcnow()
    by_kind = {(m.kind, m.visibility): m for m in materials}
    pdf = by_kind[(MaterialKind.FILE, MaterialVisibility.PUBLIC)]
    link = by_kind[(MaterialKind.LINK, MaterialVisibility.PARTICIPANTS)]
    assert link.url.startswith("https://")
    with material_store().open(pdf.stored_name) as stored:
        assert detect_type(io.BytesIO(stored.read())) == PDF
    assert pdf.title in client.get(f"/events/{event.slug}").text
    assert pdf.title in client.get("/archiv").text


def test_seeding_again_adds_no_second_set(runner, session):
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=["seed-demo"])
    assert len(session.scalars(select(Material)).all()) == 2
