"""Double opt-in: a submission holds no seat until the e-mail address is confirmed."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.booking.allocation import seats_held
from app.booking.errors import DuplicateRegistration, RegistrationClosed
from app.booking.registration import (
    cancel_registration,
    confirm_email,
    expire_pending,
    submit_registration,
)
from app.models import EventStatus, OutboxMessage, Registration, RegistrationStatus

S = RegistrationStatus


def test_submission_is_pending_holds_no_seat_and_queues_the_opt_in_mail(
    session, make_event, submit, outbox
):
    event = make_event(capacity=1)

    registration = submit(event, email="Anna.Berg@Kommune.example")

    assert registration.status == S.PENDING
    assert seats_held(session, event.id) == 0
    [mail] = outbox()
    assert mail.kind == "opt_in"
    assert mail.recipient == "Anna.Berg@Kommune.example"
    assert mail.registration_id == registration.id
    assert f"/r/{registration.token}" in mail.body_text


def test_opt_in_mail_is_lost_together_with_a_rolled_back_submission(
    make_applicant, session, make_event, now, outbox
):
    event = make_event()

    submit_registration(session, event, make_applicant(), now)
    session.rollback()

    assert session.scalar(select(func.count(Registration.id))) == 0
    assert outbox() == []


def test_confirmation_takes_a_free_seat_and_sends_the_invitation(
    session, make_event, submit, now, outbox
):
    event = make_event(capacity=1)
    registration = submit(event)

    result = confirm_email(session, registration.token, now)
    session.commit()

    assert result.allocation.status == S.CONFIRMED
    assert registration.status == S.CONFIRMED
    assert registration.email_confirmed_at == now
    assert seats_held(session, event.id) == 1
    [mail] = outbox("confirmed", registration=registration)
    assert mail.ics_method == "REQUEST"


def test_confirmation_when_full_joins_the_waitlist_with_its_position(
    session, make_event, register, submit, now, outbox
):
    event = make_event(capacity=1)
    register(event)
    second, third = submit(event), submit(event)

    results = []
    for registration in (second, third):
        results.append(confirm_email(session, registration.token, now).allocation)
        session.commit()

    assert [(a.status, a.position) for a in results] == [(S.WAITLISTED, 1), (S.WAITLISTED, 2)]
    [mail] = outbox("waitlisted", registration=third)
    assert "Platz 2 der Warteliste" in mail.body_text


def test_municipality_at_its_limit_waits_although_seats_are_free(make_event, register):
    event = make_event(capacity=10, max_per_municipality=1)

    first = register(event, municipality="Stadt Neustadt", ags="09123456")
    same_by_ags = register(event, municipality="Neustadt a. d. Aisch", ags="09123456")
    same_by_name = register(event, municipality="Bergheim", state="05")
    same_name_again = register(event, municipality="Stadt  Bergheim", state="05")
    other_land = register(event, municipality="Bergheim", state="09")

    assert first.status == S.CONFIRMED
    assert same_by_ags.status == S.WAITLISTED
    assert same_by_name.status == S.CONFIRMED
    assert same_name_again.status == S.WAITLISTED
    assert other_land.status == S.CONFIRMED


def test_same_email_twice_is_refused_and_the_personal_link_sent_again(
    make_applicant, session, make_event, submit, now, outbox
):
    event = make_event()
    first = submit(event, email="kim@kommune.example")

    with pytest.raises(DuplicateRegistration) as refused:
        submit_registration(session, event, make_applicant(email=" KIM@kommune.example "), now)
    session.commit()  # as the view does, to keep the reminder

    assert refused.value.existing.id == first.id
    assert session.scalar(select(func.count(Registration.id))) == 1
    [reminder] = outbox("link_reminder")
    assert reminder.registration_id == first.id
    assert f"/r/{first.token}" in reminder.body_text


def test_same_email_may_register_for_another_event(make_event, submit):
    first = submit(make_event(), email="kim@kommune.example")
    second = submit(make_event(), email="kim@kommune.example")

    assert first.id != second.id and second.status == S.PENDING


def test_registering_again_after_cancelling_works(session, make_event, register, submit, now):
    event = make_event()
    first = register(event, email="kim@kommune.example")
    cancel_registration(session, first.token, now)
    session.commit()

    again = submit(event, email="kim@kommune.example")

    assert again.id != first.id and again.status == S.PENDING
    assert again.token != first.token


def test_confirming_twice_changes_nothing(session, make_event, register, now, outbox):
    event = make_event(capacity=5)
    registration = register(event)

    result = confirm_email(session, registration.token, now)
    session.commit()

    assert result.allocation is None
    assert registration.status == S.CONFIRMED
    assert seats_held(session, event.id) == 1
    assert len(outbox("confirmed")) == 1


def test_confirmation_after_the_expiry_period_expires_instead(
    session, make_event, submit, now, outbox
):
    event = make_event(capacity=5)
    registration = submit(event, at=now - timedelta(hours=48))

    result = confirm_email(session, registration.token, now)
    session.commit()

    assert result.allocation is None
    assert registration.status == S.EXPIRED
    assert seats_held(session, event.id) == 0
    assert outbox("confirmed") == []


def test_confirmation_just_before_expiry_still_counts(session, make_event, submit, now):
    event = make_event()
    registration = submit(event, at=now - timedelta(hours=47, minutes=59))

    confirm_email(session, registration.token, now)
    session.commit()

    assert registration.status == S.CONFIRMED


def test_expiry_period_comes_from_the_configuration(
    app, session, make_event, submit, now, monkeypatch
):
    monkeypatch.setitem(app.config, "PENDING_EXPIRY_HOURS", 2)
    event = make_event()
    registration = submit(event, at=now - timedelta(hours=3))

    confirm_email(session, registration.token, now)
    session.commit()

    assert registration.status == S.EXPIRED


def test_expire_pending_lapses_only_overdue_unconfirmed_registrations(
    session, make_event, submit, register, now
):
    event = make_event(capacity=5)
    overdue = submit(event, at=now - timedelta(hours=49))
    fresh = submit(event, at=now - timedelta(hours=1))
    confirmed_long_ago = register(event, at=now - timedelta(hours=72))

    assert expire_pending(session, now) == 1

    statuses = dict(session.execute(select(Registration.id, Registration.status)).all())
    assert statuses[overdue.id] == S.EXPIRED
    assert statuses[fresh.id] == S.PENDING
    assert statuses[confirmed_long_ago.id] == S.CONFIRMED


@pytest.mark.parametrize(
    "event_fields",
    [
        pytest.param({"status": EventStatus.DRAFT}, id="draft"),
        pytest.param({"status": EventStatus.CANCELLED}, id="cancelled"),
        pytest.param({"registration_opens_at_in": timedelta(hours=1)}, id="not-yet-open"),
        pytest.param({"registration_closes_at_in": timedelta(0)}, id="closed"),
        pytest.param({"starts_at_in": timedelta(minutes=-5)}, id="started"),
    ],
)
def test_submission_is_refused_outside_the_registration_window(
    make_applicant, session, make_event, now, event_fields
):
    fields = {}
    for name, value in event_fields.items():
        if name.endswith("_in"):
            fields[name[: -len("_in")]] = now + value
        else:
            fields[name] = value
    event = make_event(**fields)

    with pytest.raises(RegistrationClosed):
        submit_registration(session, event, make_applicant(), now)
    session.rollback()

    assert session.scalar(select(func.count(Registration.id))) == 0
    assert session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_submission_is_accepted_inside_the_registration_window(make_event, submit, now):
    event = make_event(
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(minutes=1),
    )

    assert submit(event).status == S.PENDING


@pytest.mark.parametrize("status", [EventStatus.CANCELLED, EventStatus.DRAFT])
def test_confirmation_for_an_event_no_longer_published_is_refused(
    session, make_event, submit, now, status
):
    event = make_event()
    registration = submit(event)
    event.status = status
    session.commit()

    with pytest.raises(RegistrationClosed):
        confirm_email(session, registration.token, now)
    session.rollback()

    assert session.get(Registration, registration.id).status == S.PENDING
