"""The request for feedback: one mail per person marked present, once, after the event."""

from __future__ import annotations

from datetime import timedelta

from crowd import run_at_once

from app.feedback.rules import feedback_job
from app.mail.housekeeping import run_housekeeping
from app.models import Attendance, EventStatus, RegistrationStatus, utcnow

KIND = "feedback_request"


def test_only_people_marked_present_get_the_mail_once(session, ended_event, participant, outbox):
    event = ended_event()
    present = participant(event)
    participant(event, attendance=Attendance.NO_SHOW)
    participant(event, attendance=None)
    participant(event, status=RegistrationStatus.CANCELLED, attendance=None)

    assert feedback_job(session, utcnow()) == 1
    assert feedback_job(session, utcnow()) == 0

    mails = outbox(KIND)
    assert [mail.registration_id for mail in mails] == [present.id]
    assert "/rueckmeldung" in mails[0].body_text


def test_nobody_is_asked_before_the_event_has_ended(session, make_event, participant, outbox):
    event = make_event()  # in 30 days
    participant(event)
    feedback_job(session, utcnow())
    assert outbox(KIND) == []


def test_nobody_is_asked_once_the_feedback_has_closed(session, ended_event, participant, outbox):
    event = ended_event(ends_at=utcnow() - timedelta(days=20))
    participant(event)
    feedback_job(session, utcnow())
    assert outbox(KIND) == []


def test_the_worker_sends_the_requests_in_its_housekeeping_round(
    session, ended_event, participant, outbox
):
    event = ended_event()
    present = participant(event)
    run_housekeeping(session, utcnow())
    assert [mail.registration_id for mail in outbox(KIND)] == [present.id]


def test_the_mail_is_in_the_persons_language_and_opens_the_form(
    client, session, ended_event, participant, outbox
):
    event = ended_event(title="Open Data für Kommunen")
    participant(event, language="en", first_name="Li", last_name="Wu")
    feedback_job(session, utcnow())
    (mail,) = outbox(KIND)
    assert mail.subject == "Your opinion on “Open Data für Kommunen”"
    assert "Li Wu" in mail.body_text
    link = next(word for word in mail.body_text.split() if "/rueckmeldung" in word)
    assert link.endswith("?lang=en")
    page = client.get(link.replace("http://startsmart.test", ""))
    assert page.status_code == 200
    assert "How useful was the event for your work?" in page.text


def test_several_workers_at_once_send_each_request_once(
    app, session, ended_event, participant, outbox, make_wide_app
):
    event = ended_event()
    people = [participant(event) for _ in range(8)]
    wide = make_wide_app(connections=4)
    now = utcnow()
    outcome = run_at_once(wide, [lambda session: feedback_job(session, now)] * 4)
    counts, errors = outcome.results, outcome.errors

    assert errors == []
    assert sum(counts) == len(people)
    assert sorted(m.registration_id for m in outbox(KIND)) == sorted(p.id for p in people)


def test_organisers_send_the_requests_from_the_back_office_once(
    orga_client, session, ended_event, participant, outbox
):
    event = ended_event()
    present = participant(event)
    page = orga_client.post(f"/admin/events/{event.id}/feedback/request", follow_redirects=True)
    assert "1 Bitte um Rückmeldung verschickt." in page.text
    again = orga_client.post(f"/admin/events/{event.id}/feedback/request", follow_redirects=True)
    assert "bereits erhalten" in again.text
    feedback_job(session, utcnow())
    assert [mail.registration_id for mail in outbox(KIND)] == [present.id]


def test_the_back_office_cannot_send_before_the_event_has_ended(
    orga_client, make_event, participant, outbox
):
    event = make_event()
    participant(event)
    page = orga_client.post(f"/admin/events/{event.id}/feedback/request", follow_redirects=True)
    assert "Die Umfrage ist nicht offen" in page.text
    assert outbox(KIND) == []


def test_nobody_is_asked_about_a_cancelled_event(session, ended_event, participant, outbox):
    event = ended_event(status=EventStatus.CANCELLED)
    participant(event)
    feedback_job(session, utcnow())
    assert outbox(KIND) == []
