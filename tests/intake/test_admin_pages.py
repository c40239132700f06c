"""Back-office pages of the intake: behind the login, pipeline, slots and directory usable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.intake.municipalities import find_or_create
from app.models import ConsultationSlot, Municipality, PipelineStage


def test_intake_back_office_needs_a_login(client, app):
    urls = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("intake_admin.")]
    assert len(urls) >= 8
    for url in ["/admin/intake/", "/admin/intake/slots", "/admin/intake/municipalities"]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    response = client.post("/admin/intake/1/stage", data={"stage": "closed"})
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_dashboard_shows_overdue_and_pipeline_actions_work(
    orga_client, session, make_interest, now
):
    late = make_interest(municipality="Spätdorf")
    late.confirmed_at = now - timedelta(days=8)
    make_interest(municipality="Frischstadt")
    session.commit()

    page = orga_client.get("/admin/intake/").get_data(as_text=True)
    assert "Spätdorf" in page and "Frischstadt" in page
    assert "1 Kommune wartet seit mehr als 5 Tagen auf Kontakt" in page
    filtered = orga_client.get("/admin/intake/?overdue=1").get_data(as_text=True)
    assert "Spätdorf" in filtered and "Frischstadt" not in filtered

    orga_client.post(f"/admin/intake/{late.id}/stage", data={"stage": "contacted"})
    orga_client.post(f"/admin/intake/{late.id}/assign", data={"assignee": "Paul Planer"})
    orga_client.post(f"/admin/intake/{late.id}/note", data={"text": "Rückruf vereinbart."})
    session.expire_all()
    assert late.stage == PipelineStage.CONTACTED and late.assignee_name == "Paul Planer"
    detail = orga_client.get(f"/admin/intake/{late.id}").get_data(as_text=True)
    assert "Rückruf vereinbart." in detail and "Olga Orga" in detail
    assert "wartet" not in orga_client.get("/admin/intake/").get_data(as_text=True)


def test_publishing_and_withdrawing_a_slot(orga_client, session, now):
    day = (now + timedelta(days=10)).date().isoformat()
    data = {
        "day": day,
        "time": "10:30",
        "duration_minutes": "45",
        "channel": "phone",
        "organiser_name": "Olga Orga",
        "organiser_email": "olga@kts.example",
        "access_details": "Wir rufen Sie an.",
    }
    response = orga_client.post("/admin/intake/slots", data=data)
    assert response.status_code == 302
    slot = session.scalar(select(ConsultationSlot))
    assert slot.duration_minutes == 45 and slot.organiser_id is not None
    assert slot.starts_at.astimezone().tzinfo is not None
    page = orga_client.get("/admin/intake/slots").get_data(as_text=True)
    assert "10:30" in page and "frei" in page

    bad = orga_client.post("/admin/intake/slots", data={**data, "duration_minutes": "5"})
    assert bad.status_code == 422
    assert "zwischen 15 und 240 Minuten" in bad.get_data(as_text=True)

    orga_client.post(f"/admin/intake/slots/{slot.id}/withdraw")
    assert "Keine kommenden Beratungstermine" in orga_client.get("/admin/intake/slots").get_data(
        as_text=True
    )


def test_directory_flag_history_and_merge(orga_client, session, now):
    sankt = find_or_create(session, "Sankt Ingbert", "10", "", now)
    st = find_or_create(session, "St. Ingbert", "10", "", now)
    session.commit()
    page = orga_client.get("/admin/intake/municipalities").get_data(as_text=True)
    assert "Vermutlich doppelt" in page

    orga_client.post(f"/admin/intake/municipalities/{sankt.id}/model-project")
    detail = orga_client.get(f"/admin/intake/municipalities/{sankt.id}").get_data(as_text=True)
    assert "Modellprojekt: ja (von Hand)" in detail
    page = orga_client.get("/admin/intake/municipalities?mpsc=1").get_data(as_text=True)
    flagged = page.split("<table")[1]  # the directory table, not the duplicates box above
    assert "Sankt Ingbert" in flagged and "St. Ingbert" not in flagged

    response = orga_client.post(
        "/admin/intake/municipalities/merge",
        data={"source_id": str(st.id), "target_id": str(sankt.id)},
    )
    assert response.status_code == 302
    session.expire_all()
    assert [m.id for m in session.scalars(select(Municipality))] == [sankt.id]
    assert "zusammengeführt" in orga_client.get(response.headers["Location"]).get_data(as_text=True)
