"""The intake wired into the rest: organisers' feed, worker housekeeping, navigation."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from app.intake.consultation import book_slot, cancel_consultation
from app.models import ExpressionOfInterest, InterestStatus


def organiser_feed_path(runner) -> str:
    result = runner.invoke(args=["feeds", "organiser-url"])
    assert result.exit_code == 0, result.output
    return result.output.strip().removeprefix("http://startsmart.test")


def vevents(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_organisers_feed_lists_consultation_slots_free_and_booked(
    client, runner, session, make_event, make_slot, make_interest, now
):
    event = make_event(title="Kick-off Süd")
    free = make_slot(starts_at=now + timedelta(days=3), organiser_name="Olga Organisatorin")
    taken = make_slot(starts_at=now + timedelta(days=4), organiser_name="Bert Berater")
    interest = make_interest(municipality="Musterstadt")
    booking = book_slot(session, interest.token, taken.id, now)
    session.commit()
    path = organiser_feed_path(runner)

    entries = vevents(client.get(path))

    assert f"event-{event.id}@startsmart.test" in entries  # the events are still there
    open_entry = entries[f"consultation-slot-{free.id}@startsmart.test"]
    assert str(open_entry["SUMMARY"]) == "Initialberatung (noch frei) (Olga Organisatorin)"
    assert str(open_entry["TRANSP"]) == "TRANSPARENT"
    booked = entries[f"consultation-{booking.id}@startsmart.test"]  # the invitation's UID
    assert str(booked["SUMMARY"]) == "Initialberatung: Musterstadt (Bert Berater)"
    assert str(booked["TRANSP"]) == "OPAQUE"
    assert booked.decoded("DTSTART") == taken.starts_at
    assert f"consultation-slot-{taken.id}@startsmart.test" not in entries


def test_organisers_feed_is_not_answered_304_after_a_booking_changed(
    client, runner, session, make_slot, make_interest, now
):
    slot = make_slot()
    interest = make_interest()
    path = organiser_feed_path(runner)
    first = client.get(path)
    etag = first.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

    booking = book_slot(session, interest.token, slot.id, now)
    session.commit()
    booked = client.get(path, headers={"If-None-Match": etag})
    assert booked.status_code == 200
    assert f"consultation-{booking.id}@startsmart.test" in vevents(booked)

    cancel_consultation(session, interest.token, now)
    session.commit()
    cancelled = client.get(path, headers={"If-None-Match": booked.headers["ETag"]})
    assert cancelled.status_code == 200
    entries = vevents(cancelled)
    assert f"consultation-slot-{slot.id}@startsmart.test" in entries
    assert f"consultation-{booking.id}@startsmart.test" not in entries


def test_worker_lets_unconfirmed_expressions_of_interest_lapse(runner, session, make_interest):
    overdue = make_interest(confirmed=False)
    overdue.created_at -= timedelta(hours=49)
    recent = make_interest(confirmed=False)
    session.commit()

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(ExpressionOfInterest, overdue.id).status == InterestStatus.EXPIRED
    assert session.get(ExpressionOfInterest, recent.id).status == InterestStatus.PENDING


def test_main_navigation_leads_to_the_expression_of_interest(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/interessensbekundung"' in page
    assert ">Interessensbekundung</a>" in page
    form = client.get("/interessensbekundung").get_data(as_text=True)
    assert 'href="/interessensbekundung" aria-current="page"' in form


def test_back_office_navigation_leads_to_the_intake(orga_client):
    page = orga_client.get("/admin/events").get_data(as_text=True)

    assert 'href="/admin/intake/"' in page
    assert orga_client.get("/admin/intake/").status_code == 200
