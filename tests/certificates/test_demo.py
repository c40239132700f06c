"""The demo data lets a newcomer see a certificate at once: the past demo event has its
attendance marked at the door."""

from __future__ import annotations

from pdf_reading import pdf_text
from sqlalchemy import select

from app.models import Attendance, Event, Registration, utcnow


def test_the_past_demo_event_has_attended_participants_who_get_certificates(
    runner, session, orga_client, no_signature
):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    past = session.scalars(select(Event).where(Event.ends_at < utcnow())).all()
    assert past
    marks = session.scalars(
        select(Registration.attendance).where(Registration.event_id.in_([e.id for e in past]))
    ).all()
    assert marks.count(Attendance.ATTENDED) >= 10
    assert Attendance.NO_SHOW in marks
    upcoming = session.scalars(
        select(Registration.attendance).join(Event).where(Event.starts_at > utcnow())
    ).all()
    assert set(upcoming) == {None}, "nobody is checked in for an event still to come"

    event = past[0]
    orga_client.post(f"/admin/events/{event.id}/certificates/issue")
    page = orga_client.get(f"/admin/events/{event.id}/certificates").text
    pdf_links = [line for line in page.splitlines() if ".pdf" in line]
    assert pdf_links
    certificate_url = pdf_links[0].split('href="')[1].split('"')[0]
    text = pdf_text(orga_client.get(certificate_url).data)
    assert event.title in text
