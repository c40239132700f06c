"""The waiting list: freed seats go to the longest-waiting eligible registration at once."""

from datetime import timedelta

import pytest

from app.booking.allocation import offer_window, seats_held, waitlist_position
from app.booking.errors import CapacityBelowConfirmed, RegistrationNotFound
from app.booking.registration import (
    accept_offer,
    cancel_registration,
    confirm_email,
    decline_offer,
    expire_due,
    expire_offers,
    remove_registration,
    set_capacity,
)
from app.models import Registration, RegistrationStatus, WaitlistMode

S = RegistrationStatus


def statuses(session, *registrations):
    return [session.get(Registration, r.id).status for r in registrations]


def test_cancellation_promotes_longest_waiting(session, make_event, register, now, outbox, line):
    event = make_event(capacity=2)
    first, _ = register(event), register(event)
    w1, w2, w3 = register(event), register(event), register(event)

    cancel_registration(session, first.token, now)
    session.commit()

    assert statuses(session, w1, w2, w3) == [S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert line(event) == [(w2.id, 1), (w3.id, 2)]
    [promoted] = outbox("promoted")
    assert promoted.registration_id == w1.id and promoted.ics_method == "REQUEST"
    [cancelled] = outbox("cancelled", registration=first)
    assert cancelled.ics_method == "CANCEL"


def test_cancelling_a_waitlisted_registration_closes_the_gap(
    session, make_event, register, now, line
):
    event = make_event(capacity=1)
    register(event)
    w1, w2, w3 = register(event), register(event), register(event)

    cancel_registration(session, w2.token, now)
    session.commit()

    assert line(event) == [(w1.id, 1), (w3.id, 2)]
    assert seats_held(session, event.id) == 1


def test_cancelling_a_pending_registration_frees_no_seat_and_promotes_nobody(
    session, make_event, register, submit, now, outbox
):
    event = make_event(capacity=1)
    register(event)
    waiting = register(event)
    pending = submit(event)

    cancel_registration(session, pending.token, now)
    session.commit()

    assert statuses(session, pending, waiting) == [S.CANCELLED, S.WAITLISTED]
    assert outbox("promoted") == []


def test_raising_capacity_promotes_in_order_of_waiting(session, make_event, register, now, line):
    event = make_event(capacity=1)
    register(event)
    w1, w2, w3 = register(event), register(event), register(event)

    promoted = set_capacity(session, event.id, 3, now)
    session.commit()

    assert [r.id for r in promoted] == [w1.id, w2.id]
    assert statuses(session, w1, w2, w3) == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert line(event) == [(w3.id, 1)]
    assert session.get(type(event), event.id).capacity == 3


def test_lowering_capacity_below_held_seats_is_refused(session, make_event, register, now):
    event = make_event(capacity=5)
    for _ in range(3):
        register(event)

    with pytest.raises(CapacityBelowConfirmed) as refused:
        set_capacity(session, event.id, 2, now)
    session.rollback()

    assert refused.value.confirmed == 3
    assert session.get(type(event), event.id).capacity == 5


def test_lowering_capacity_to_the_held_seats_is_allowed(session, make_event, register, now):
    event = make_event(capacity=5)
    for _ in range(3):
        register(event)

    set_capacity(session, event.id, 3, now)
    session.commit()

    late = register(event)
    assert late.status == S.WAITLISTED


def test_organiser_removal_frees_the_seat_for_the_next_in_line(
    session, make_event, register, now, outbox
):
    event = make_event(capacity=1)
    seated, waiting = register(event), register(event)

    remove_registration(session, seated.id, now)
    session.commit()

    assert statuses(session, seated, waiting) == [S.CANCELLED, S.CONFIRMED]
    assert len(outbox("cancelled", registration=seated)) == 1
    assert len(outbox("promoted", registration=waiting)) == 1


def test_removing_an_unknown_registration_is_refused(session, now):
    with pytest.raises(RegistrationNotFound):
        remove_registration(session, 4711, now)


def test_promotion_skips_a_municipality_at_its_limit_without_losing_its_place(
    session, make_event, register, now, line
):
    event = make_event(capacity=2, max_per_municipality=1)
    a1 = register(event, municipality="Astadt")
    b1 = register(event, municipality="Bdorf")
    a2 = register(event, municipality="Astadt")
    c1 = register(event, municipality="Cheim")
    c2 = register(event, municipality="Cheim")
    assert line(event) == [(a2.id, 1), (c1.id, 2), (c2.id, 3)]

    cancel_registration(session, b1.token, now)
    session.commit()

    assert statuses(session, a2, c1, c2) == [S.WAITLISTED, S.CONFIRMED, S.WAITLISTED]
    assert line(event) == [(a2.id, 1), (c2.id, 2)]

    cancel_registration(session, a1.token, now)
    session.commit()

    assert statuses(session, a2, c2) == [S.CONFIRMED, S.WAITLISTED]
    assert line(event) == [(c2.id, 1)]


def test_a_waiting_eligible_registration_is_served_before_a_newcomer(
    session, make_event, register, submit, now
):
    event = make_event(capacity=1)
    register(event)
    waiting = register(event)
    newcomer = submit(event)
    event.capacity = 2  # changed behind the booking code's back, e.g. by a data fix
    session.commit()

    result = confirm_email(session, newcomer.token, now)
    session.commit()

    assert statuses(session, waiting) == [S.CONFIRMED]
    assert (result.allocation.status, result.allocation.position) == (S.WAITLISTED, 1)


def test_a_late_confirmation_with_an_earlier_clock_still_joins_the_end_of_the_line(
    session, make_event, register, submit, now, line
):
    # The caller reads the clock before waiting for the lock; whoever was served first keeps
    # the place they were told.
    event = make_event(capacity=1)
    register(event)
    early = register(event, at=now)
    slow = submit(event, at=now - timedelta(seconds=5))

    result = confirm_email(session, slow.token, now - timedelta(seconds=1))
    session.commit()

    assert result.allocation.position == 2
    assert line(event) == [(early.id, 1), (slow.id, 2)]


def test_positions_stay_gap_free_through_any_sequence_of_changes(
    session, make_event, register, now, line
):
    event = make_event(capacity=3, max_per_municipality=2)
    people = [register(event, municipality=f"Ort {n % 3}") for n in range(12)]

    steps = [
        lambda: cancel_registration(session, people[0].token, now),
        lambda: cancel_registration(session, people[7].token, now),
        lambda: set_capacity(session, event.id, 5, now),
        lambda: remove_registration(session, people[4].id, now),
        lambda: cancel_registration(session, people[11].token, now),
        lambda: set_capacity(session, event.id, 6, now),
    ]
    for step in steps:
        step()
        session.commit()
        positions = [position for _, position in line(event)]
        assert positions == list(range(1, len(positions) + 1))
        assert seats_held(session, event.id) <= session.get(type(event), event.id).capacity


# --- offer mode -------------------------------------------------------------------------


@pytest.fixture
def offer_event(make_event):
    return make_event(capacity=1, waitlist_mode=WaitlistMode.OFFER, offer_hours=48)


def test_offer_mode_holds_the_freed_seat_for_the_next_in_line(
    session, offer_event, register, now, outbox, line
):
    seated, w1, w2 = register(offer_event), register(offer_event), register(offer_event)

    cancel_registration(session, seated.token, now)
    session.commit()

    assert statuses(session, w1, w2) == [S.OFFERED, S.WAITLISTED]
    assert session.get(Registration, w1.id).offer_expires_at == now + timedelta(hours=48)
    assert seats_held(session, offer_event.id) == 1  # the held seat counts
    assert line(offer_event) == [(w2.id, 1)]
    [offer] = outbox("offered")
    assert offer.registration_id == w1.id and f"/r/{w1.token}" in offer.body_text

    newcomer = register(offer_event)
    assert newcomer.status == S.WAITLISTED


def test_accepting_an_offer_confirms_the_seat(session, offer_event, register, now, outbox):
    seated, waiting = register(offer_event), register(offer_event)
    cancel_registration(session, seated.token, now)
    session.commit()

    accept_offer(session, waiting.token, now + timedelta(hours=1))
    session.commit()

    assert statuses(session, waiting) == [S.CONFIRMED]
    assert session.get(Registration, waiting.id).offer_expires_at is None
    [confirmed] = outbox("confirmed", registration=waiting)
    assert confirmed.ics_method == "REQUEST"


def test_declining_an_offer_passes_the_seat_to_the_next_in_line(
    session, offer_event, register, now, outbox
):
    seated, w1, w2 = register(offer_event), register(offer_event), register(offer_event)
    cancel_registration(session, seated.token, now)
    session.commit()

    decline_offer(session, w1.token, now)
    session.commit()

    assert statuses(session, w1, w2) == [S.CANCELLED, S.OFFERED]
    assert len(outbox("offered", registration=w2)) == 1


def test_an_expired_offer_passes_to_the_next_in_line(session, offer_event, register, now, outbox):
    seated, w1, w2 = register(offer_event), register(offer_event), register(offer_event)
    cancel_registration(session, seated.token, now)
    session.commit()

    assert expire_offers(session, now + timedelta(hours=47)) == 0
    assert expire_offers(session, now + timedelta(hours=48)) == 1

    assert statuses(session, w1, w2) == [S.EXPIRED, S.OFFERED]
    assert len(outbox("offer_expired", registration=w1)) == 1
    assert len(outbox("offered", registration=w2)) == 1


def test_the_worker_housekeeping_expires_offers_and_pending(
    session, offer_event, register, submit, now
):
    seated, waiting = register(offer_event), register(offer_event)
    forgotten = submit(offer_event)
    cancel_registration(session, seated.token, now)
    session.commit()

    assert expire_due(session, now + timedelta(hours=49)) == (1, 1)
    assert statuses(session, waiting, forgotten) == [S.EXPIRED, S.EXPIRED]


def test_accepting_after_the_offer_expired_is_too_late(session, offer_event, register, now, outbox):
    seated, w1, w2 = register(offer_event), register(offer_event), register(offer_event)
    cancel_registration(session, seated.token, now)
    session.commit()

    accept_offer(session, w1.token, now + timedelta(hours=48, seconds=1))
    session.commit()

    assert statuses(session, w1, w2) == [S.EXPIRED, S.OFFERED]
    assert outbox("confirmed", registration=w1) == []
    assert len(outbox("offer_expired", registration=w1)) == 1


def test_municipality_limit_holds_when_offering(session, make_event, register, now):
    event = make_event(capacity=2, max_per_municipality=1, waitlist_mode=WaitlistMode.OFFER)
    a1, b1 = register(event, municipality="Astadt"), register(event, municipality="Bdorf")
    a2, c1 = register(event, municipality="Astadt"), register(event, municipality="Cheim")

    cancel_registration(session, b1.token, now)
    session.commit()

    assert statuses(session, a1, a2, c1) == [S.CONFIRMED, S.WAITLISTED, S.OFFERED]


@pytest.mark.parametrize(
    ("starts_in", "offer_hours", "expected"),
    [
        (timedelta(days=30), 48, timedelta(hours=48)),
        (timedelta(days=30), 24, timedelta(hours=24)),
        (timedelta(hours=20), 48, timedelta(hours=10)),  # half the time left
        (timedelta(minutes=90), 48, timedelta(hours=1)),  # never under an hour ...
        (timedelta(minutes=30), 48, timedelta(minutes=30)),  # ... nor past the start
    ],
)
def test_offer_window_shortens_as_the_event_draws_near(
    make_event, now, starts_in, offer_hours, expected
):
    event = make_event(starts_at=now + starts_in, offer_hours=offer_hours)

    assert offer_window(event, now) == expected


def test_offers_close_to_the_event_expire_sooner(session, make_event, register, now):
    event = make_event(
        capacity=1, waitlist_mode=WaitlistMode.OFFER, starts_at=now + timedelta(hours=10)
    )
    seated, waiting = register(event), register(event)

    cancel_registration(session, seated.token, now)
    session.commit()

    assert session.get(Registration, waiting.id).offer_expires_at == now + timedelta(hours=5)


def test_the_position_shown_to_each_person_is_their_own(session, make_event, register):
    event = make_event(capacity=1)
    register(event)
    waiting = [register(event) for _ in range(4)]

    assert [waitlist_position(session, r) for r in waiting] == [1, 2, 3, 4]
