"""Reminder mails before an event: each once, in the person's language, only when still useful;
a calendar reminder (VALARM) in invitations, never in feeds."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
import vobject
from crowd import run_at_once
from ical.calendar_stream import IcsCalendarStream
from ical_consumers import assert_parsers_agree, assert_wire_format

from app.booking.reminders import send_due_reminders
from app.mail.housekeeping import run_housekeeping
from app.models import EventMode, RegistrationStatus, utcnow

S = RegistrationStatus


@pytest.fixture
def soon(make_event):
    """An event in ten days with the default reminders (7 and 1 days before)."""

    def factory(**fields):
        start = utcnow().replace(microsecond=0) + timedelta(days=10)
        fields.setdefault("starts_at", start)
        fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=3))
        return make_event(**fields)

    return factory


def confirmed(make_registration, event, **fields):
    """Confirmed well before any reminder is due."""
    fields.setdefault("now", event.starts_at - timedelta(days=20))
    return make_registration(event, S.CONFIRMED, **fields)


def at(event, days: float, hours: float = 1):
    """``days`` before the start, plus ``hours`` (just after a reminder's time)."""
    return event.starts_at - timedelta(days=days) + timedelta(hours=hours)


def test_each_reminder_goes_out_once_even_when_the_job_runs_twice(
    session, soon, make_registration, outbox
):
    event = soon()
    person = confirmed(make_registration, event)
    confirmed(make_registration, event, language="en")

    assert send_due_reminders(session, at(event, 7)) == 2
    assert send_due_reminders(session, at(event, 7)) == 0
    assert send_due_reminders(session, at(event, 7, hours=5)) == 0
    assert len(outbox("reminder")) == 2

    assert send_due_reminders(session, at(event, 1)) == 2
    run_housekeeping(session, at(event, 1, hours=2))  # the worker's round: nothing new
    mails = outbox("reminder")
    assert len(mails) == 4
    german = outbox("reminder", registration=person)
    assert [mail.subject for mail in german] == [
        f"Erinnerung an Ihre Veranstaltung: {event.title}"
    ] * 2
    assert "beginnt in 7 Tagen" in german[0].body_text
    assert "beginnt morgen" in german[1].body_text
    assert "/r/" in german[0].body_text  # the self-service link
    english = [mail for mail in mails if mail.registration_id != person.id]
    assert english[0].subject == f"Reminder of your event: {event.title}"
    assert "starts in 7 days" in english[0].body_text


def test_the_worker_sends_reminders_in_its_housekeeping_round(
    session, soon, make_registration, outbox
):
    event = soon()
    confirmed(make_registration, event)
    run_housekeeping(session, at(event, 7))
    assert len(outbox("reminder")) == 1


def test_several_workers_at_once_queue_each_reminder_once(
    app, session, soon, make_registration, outbox, make_wide_app
):
    event = soon()
    people = [confirmed(make_registration, event) for _ in range(12)]
    now = at(event, 7)
    wide = make_wide_app(connections=4)
    outcome = run_at_once(wide, [lambda session: send_due_reminders(session, now)] * 4)
    counts, errors = outcome.results, outcome.errors

    assert errors == []
    assert sum(counts) == len(people)
    per_person = sorted(mail.registration_id for mail in outbox("reminder"))
    assert per_person == sorted(person.id for person in people)


def test_a_missed_reminder_goes_out_late_only_before_the_start(
    session, soon, make_registration, outbox
):
    event = soon()
    person = confirmed(make_registration, event)
    other_event = soon()
    confirmed(make_registration, other_event)

    # The worker was down from before the 7-day reminder: it catches up two days before.
    assert send_due_reminders(session, at(event, 2)) == 2
    assert "beginnt in 7 Tagen" in outbox("reminder", registration=person)[0].body_text
    # Down again over the 1-day reminder's time until the events have begun: nothing stale.
    assert send_due_reminders(session, event.starts_at + timedelta(minutes=5)) == 0
    assert len(outbox("reminder")) == 2


def test_after_a_long_outage_only_the_latest_reminder_goes_out(
    session, soon, make_registration, outbox
):
    event = soon()
    person = confirmed(make_registration, event)
    assert send_due_reminders(session, at(event, 1)) == 1
    assert send_due_reminders(session, at(event, 1, hours=3)) == 0
    (mail,) = outbox("reminder", registration=person)
    assert "beginnt morgen" in mail.body_text


def test_a_late_confirmation_gets_no_stale_reminder(session, soon, make_registration, outbox):
    event = soon()
    # Confirmed (from the waiting list) three days before: after the 7-day reminder's time.
    late = make_registration(event, S.CONFIRMED, now=event.starts_at - timedelta(days=3))
    assert send_due_reminders(session, at(event, 3, hours=2)) == 0
    assert send_due_reminders(session, at(event, 1)) == 1
    (mail,) = outbox("reminder", registration=late)
    assert "beginnt morgen" in mail.body_text


def test_only_confirmed_people_get_reminders(session, soon, make_registration, outbox):
    event = soon()
    for status in (S.PENDING, S.WAITLISTED, S.CANCELLED, S.OFFERED, S.EXPIRED):
        make_registration(event, status, now=event.starts_at - timedelta(days=20))
    assert send_due_reminders(session, at(event, 7)) == 0
    assert outbox("reminder") == []


def test_online_link_only_for_online_and_hybrid_events(session, soon, make_registration, outbox):
    link = "https://video.example/raum-7"
    in_person = soon(mode=EventMode.IN_PERSON, online_url=link)
    hybrid = soon(mode=EventMode.HYBRID, online_url=link)
    online = soon(mode=EventMode.ONLINE, online_url=link, venue="", address="")
    people = {e.id: confirmed(make_registration, e) for e in (in_person, hybrid, online)}
    send_due_reminders(session, at(in_person, 7))
    texts = {key: outbox("reminder", registration=person)[0] for key, person in people.items()}
    assert link not in texts[in_person.id].body_text
    assert link not in texts[in_person.id].body_html
    assert link in texts[hybrid.id].body_text and link in texts[hybrid.id].body_html
    assert link in texts[online.id].body_text


def test_events_without_reminders_send_none(session, soon, make_registration, outbox):
    event = soon(reminder_days="")
    confirmed(make_registration, event)
    custom = soon(reminder_days="3")
    confirmed(make_registration, custom)
    assert send_due_reminders(session, at(event, 7)) == 0
    assert send_due_reminders(session, at(event, 3)) == 1
    assert [mail.kind for mail in outbox()] == ["reminder"]


def test_preparation_appears_in_the_reminder_and_on_the_personal_page(
    client, session, soon, make_registration, outbox
):
    event = soon(preparation="Bitte bringen Sie Ihren Laptop mit.")
    person = confirmed(make_registration, event)
    send_due_reminders(session, at(event, 7))
    (mail,) = outbox("reminder")
    assert "Bitte bringen Sie Ihren Laptop mit." in mail.body_text
    assert "Bitte bringen Sie Ihren Laptop mit." in mail.body_html
    page = client.get(f"/r/{person.token}").get_data(as_text=True)
    assert "Bitte bringen Sie Ihren Laptop mit." in page


def test_a_participant_turns_reminders_off_and_on_again(
    client, session, soon, make_registration, outbox
):
    event = soon()
    person = confirmed(make_registration, event)
    page = client.get(f"/r/{person.token}").get_data(as_text=True)
    assert "Keine Erinnerungen per E-Mail" in page

    response = client.post(f"/r/{person.token}/reminders/off", follow_redirects=True)
    assert response.status_code == 200
    assert "Sie erhalten keine Erinnerungen per E-Mail mehr." in response.get_data(as_text=True)
    assert "Erinnerungen wieder erhalten" in response.get_data(as_text=True)
    assert send_due_reminders(session, at(event, 7)) == 0

    client.post(f"/r/{person.token}/reminders/on")
    assert send_due_reminders(session, at(event, 1)) == 1
    assert len(outbox("reminder")) == 1


def test_the_reminder_switch_needs_csrf_and_a_valid_link(
    app, client, soon, make_registration, monkeypatch
):
    event = soon()
    person = confirmed(make_registration, event)
    assert client.post("/r/not-a-token/reminders/off").status_code == 404
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/r/{person.token}/reminders/off").status_code == 400
    assert client.get(f"/r/{person.token}/reminders/off").status_code == 405


def test_back_office_shows_how_many_got_each_reminder(
    orga_client, session, soon, make_registration
):
    event = soon()
    for _ in range(3):
        confirmed(make_registration, event)
    send_due_reminders(session, at(event, 7))
    page = orga_client.get(f"/admin/events/{event.id}").get_data(as_text=True)
    assert "7 Tage vorher: an 3 Personen verschickt" in page
    assert "1 Tag vorher: an 0 Personen verschickt" in page

    event.reminder_days = "3"  # changed afterwards: what went out stays visible
    session.commit()
    page = orga_client.get(f"/admin/events/{event.id}").get_data(as_text=True)
    assert "7 Tage vorher: an 3 Personen verschickt" in page
    assert "3 Tage vorher: an 0 Personen verschickt" in page
    assert "1 Tag vorher" not in page


def test_organisers_set_reminders_and_preparation_on_the_event_form(orga_client, session, soon):
    event = soon()
    form = orga_client.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert "Erinnerungen (Tage vor Beginn)" in form
    data = {
        "title": event.title,
        "format": event.format.value,
        "starts_at": "2031-03-10T10:00",
        "ends_at": "2031-03-10T13:00",
        "mode": "in_person",
        "capacity": "10",
        "waitlist_mode": "automatic",
        "offer_hours": "48",
        "model_projects": "equal",
        "reminder_days": "7, zwei",
        "preparation": "Laptop mitbringen",
    }
    refused = orga_client.post(f"/admin/events/{event.id}/edit", data=data)
    assert refused.status_code == 422
    assert "Bitte ganze Tage von 1 bis 90" in refused.get_data(as_text=True)

    data["reminder_days"] = "1; 14, 3"
    assert orga_client.post(f"/admin/events/{event.id}/edit", data=data).status_code == 302
    session.refresh(event)
    assert event.reminder_days == "14, 3, 1"
    assert event.preparation == "Laptop mitbringen"


def test_invites_carry_a_display_alarm_one_day_before(make_event, register, outbox):
    event = make_event()
    register(event)
    (mail,) = outbox("confirmed")
    assert_wire_format(mail.ics)
    assert_parsers_agree(mail.ics)

    (vevent,) = icalendar.Calendar.from_ical(mail.ics).walk("VEVENT")
    (alarm,) = vevent.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert event.title in str(alarm["DESCRIPTION"])
    assert alarm["TRIGGER"].dt == timedelta(days=-1)

    strict = IcsCalendarStream.calendar_from_ics(mail.ics)
    (strict_alarm,) = strict.events[0].alarm
    assert strict_alarm.trigger == timedelta(days=-1)

    parsed = vobject.readOne(mail.ics)
    assert parsed.vevent.valarm.trigger.value == timedelta(days=-1)
    assert parsed.vevent.valarm.action.value == "DISPLAY"


def test_invite_alarm_can_be_switched_off(app, make_event, register, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "INVITE_ALARM_HOURS", 0)
    register(make_event())
    (mail,) = outbox("confirmed")
    assert not icalendar.Calendar.from_ical(mail.ics).walk("VALARM")


def test_feeds_carry_no_alarm(client, make_event, register):
    event = make_event()
    register(event)
    for path in ("/calendar.ics", f"/events/{event.slug}/calendar.ics"):
        response = client.get(path)
        assert response.status_code == 200
        calendar = icalendar.Calendar.from_ical(response.data)
        assert calendar.walk("VEVENT")
        assert not calendar.walk("VALARM")
