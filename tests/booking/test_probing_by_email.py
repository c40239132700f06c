"""Nobody can find out whether an address is registered: the form answers a known address as
it answers a new one, and the reminder it mails to that address goes out at most once an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.booking.errors import DuplicateRegistration
from app.booking.registration import REMINDER_INTERVAL, submit_registration


def submit_again(session, event, make_applicant, at):
    with pytest.raises(DuplicateRegistration):
        submit_registration(session, event, make_applicant(email="kim@kommune.example"), at)
    session.commit()  # as the view does


def test_a_repeat_within_the_hour_queues_no_second_reminder(
    session, make_event, make_applicant, submit, now, outbox
):
    event = make_event()
    first = submit(event, email="kim@kommune.example")

    submit_again(session, event, make_applicant, now)
    submit_again(session, event, make_applicant, now + timedelta(minutes=59))
    assert len(outbox("link_reminder", registration=first)) == 1

    submit_again(session, event, make_applicant, now + REMINDER_INTERVAL)
    assert len(outbox("link_reminder", registration=first)) == 2


def test_probing_the_form_gets_the_same_answer_and_mails_once(
    client, session, make_event, form_data, outbox
):
    event = make_event()
    url = f"/events/{event.slug}/register"
    new = client.post(url, data=form_data(email="new@kommune.example"))
    client.post(url, data=form_data())

    answers = [client.post(url, data=form_data()) for _ in range(5)]

    for answer in answers:
        assert (answer.status_code, answer.headers["Location"]) == (302, new.headers["Location"])
    assert len(outbox("link_reminder")) == 1
