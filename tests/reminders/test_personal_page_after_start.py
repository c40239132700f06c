"""The personal page offers the reminder switch only while a reminder can still come."""

from __future__ import annotations

from datetime import timedelta

from app.models import RegistrationStatus, utcnow


def confirmed_for(make_event, make_registration, starts_in: timedelta, **fields):
    start = utcnow().replace(microsecond=0) + starts_in
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=3), **fields)
    return make_registration(event, RegistrationStatus.CONFIRMED, now=start - timedelta(days=20))


def test_after_the_start_no_reminder_switch_and_no_promise(client, make_event, make_registration):
    person = confirmed_for(make_event, make_registration, -timedelta(days=2))
    page = client.get(f"/r/{person.token}").get_data(as_text=True)
    assert "Keine Erinnerungen per E-Mail" not in page
    assert "Wir erinnern Sie per E-Mail vor Beginn" not in page
    assert "Vorbereitung und Erinnerungen" not in page  # no heading over an empty section


def test_after_the_start_the_preparation_stays(client, make_event, make_registration):
    person = confirmed_for(
        make_event, make_registration, -timedelta(hours=1), preparation="Laptop mitbringen."
    )
    page = client.get(f"/r/{person.token}").get_data(as_text=True)
    assert "Laptop mitbringen." in page
    assert "Keine Erinnerungen per E-Mail" not in page


def test_before_the_start_the_switch_is_there(client, make_event, make_registration):
    person = confirmed_for(make_event, make_registration, timedelta(days=3))
    page = client.get(f"/r/{person.token}").get_data(as_text=True)
    assert "Keine Erinnerungen per E-Mail" in page
