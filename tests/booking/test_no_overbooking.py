"""No overbooking and a consistent waiting list when many people act in the same instant.

Every test runs on SQLite (a file database, so threads really hold separate connections) and
on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from crowd import THREADS, run_at_once
from sqlalchemy import select

from app.booking.allocation import seats_held, waitlist, waitlist_position
from app.booking.registration import cancel_registration, confirm_email
from app.models import OutboxMessage, Registration, RegistrationStatus, utcnow

S = RegistrationStatus
# The cancellation and municipality tests need no full crowd to collide; it keeps them quick.
SMALLER_CROWD = 30


def confirm(token: str):
    def action(session):
        result = confirm_email(session, token, utcnow())
        allocation = result.allocation
        return result.registration.id, allocation.status, allocation.position

    return action


def cancel(token: str):
    def action(session):
        return cancel_registration(session, token, utcnow()).id

    return action


def status_of(session, event) -> dict[int, RegistrationStatus]:
    rows = session.execute(
        select(Registration.id, Registration.status).where(Registration.event_id == event.id)
    )
    return dict(rows.all())


def positions(session, event) -> list[tuple[int, int]]:
    """The line as (registration id, position shown to that person), in order."""
    session.expire_all()
    return [(r.id, waitlist_position(session, r)) for r in waitlist(session, event.id)]


def mail_count(session, kind: str) -> Counter:
    rows = session.scalars(
        select(OutboxMessage.registration_id).where(OutboxMessage.kind == kind)
    ).all()
    return Counter(rows)


@pytest.mark.parametrize("round_", [1, 2, 3])
def test_fifty_simultaneous_confirmations_fill_ten_seats_exactly(
    wide_app, session, make_event, make_registration, round_
):
    event = make_event(capacity=10)
    pending = [make_registration(event) for _ in range(THREADS)]
    tokens = [r.token for r in pending]
    session.commit()

    outcome = run_at_once(wide_app, [confirm(token) for token in tokens])

    assert outcome.errors == []
    told = {
        registration_id: (status, position) for registration_id, status, position in outcome.results
    }
    assert Counter(status for status, _ in told.values()) == {
        S.CONFIRMED: 10,
        S.WAITLISTED: THREADS - 10,
    }
    assert sorted(p for s, p in told.values() if s == S.WAITLISTED) == list(
        range(1, THREADS - 10 + 1)
    )
    session.expire_all()
    assert seats_held(session, event.id) == 10
    stored = status_of(session, event)
    assert {rid: status for rid, (status, _) in told.items()} == stored
    line = positions(session, event)
    assert [position for _, position in line] == list(range(1, THREADS - 10 + 1))
    # Nobody who was told "position n" finds someone else there afterwards.
    assert {rid: position for rid, position in line} == {
        rid: position for rid, (status, position) in told.items() if status == S.WAITLISTED
    }
    assert sum(mail_count(session, "confirmed").values()) == 10
    assert sum(mail_count(session, "waitlisted").values()) == THREADS - 10


def test_simultaneous_cancellations_promote_in_order_and_keep_positions_gap_free(
    wide_app, session, make_event, make_registration
):
    event = make_event(capacity=10)
    start = utcnow() - timedelta(hours=1)
    seated = [make_registration(event, S.CONFIRMED) for _ in range(10)]
    waiting = [
        make_registration(event, S.WAITLISTED, now=start + timedelta(seconds=n)) for n in range(24)
    ]
    newcomers = [make_registration(event) for _ in range(12)]
    leaving_line = waiting[1::3]  # 8 people from all along the line
    staying = [r for r in waiting if r not in leaving_line]
    actions = (
        [cancel(r.token) for r in seated]
        + [cancel(r.token) for r in leaving_line]
        + [confirm(r.token) for r in newcomers]
    )
    staying_ids = [r.id for r in staying]
    newcomer_ids = {r.id for r in newcomers}
    session.commit()

    outcome = run_at_once(wide_app, actions)

    assert outcome.errors == []
    session.expire_all()
    stored = status_of(session, event)
    confirmed = [rid for rid, status in stored.items() if status == S.CONFIRMED]
    # The seats went to the ten who had waited longest (and did not leave).
    assert sorted(confirmed) == sorted(staying_ids[:10])
    line = positions(session, event)
    assert [position for _, position in line] == list(range(1, 6 + 12 + 1))
    assert [rid for rid, _ in line[: len(staying_ids) - 10]] == staying_ids[10:]
    assert {rid for rid, _ in line[len(staying_ids) - 10 :]} == newcomer_ids
    promoted_mails = mail_count(session, "promoted")
    assert all(promoted_mails[rid] == 1 for rid in confirmed)


def test_municipality_limit_holds_under_simultaneous_confirmations_and_cancellations(
    wide_app, session, make_event, make_registration
):
    event = make_event(capacity=10, max_per_municipality=2)
    towns = ["Astadt", "Bdorf", "Cheim"]
    pending = [make_registration(event, municipality=towns[n % 3]) for n in range(SMALLER_CROWD)]
    tokens = [r.token for r in pending]
    town_of = {r.id: r.municipality for r in pending}
    session.commit()

    outcome = run_at_once(wide_app, [confirm(token) for token in tokens])

    assert outcome.errors == []
    session.expire_all()
    stored = status_of(session, event)
    seated = [rid for rid, status in stored.items() if status == S.CONFIRMED]
    assert Counter(town_of[rid] for rid in seated) == {town: 2 for town in towns}
    line = positions(session, event)
    assert [position for _, position in line] == list(range(1, SMALLER_CROWD - 6 + 1))

    # Everyone seated cancels at once: each town's next two in line move up, no more.
    seated_tokens = [r.token for r in pending if r.id in seated]
    first_in_line = {}
    for rid, _ in line:
        first_in_line.setdefault(town_of[rid], [])
        if len(first_in_line[town_of[rid]]) < 2:
            first_in_line[town_of[rid]].append(rid)
    session.commit()

    outcome = run_at_once(wide_app, [cancel(token) for token in seated_tokens])

    assert outcome.errors == []
    session.expire_all()
    stored = status_of(session, event)
    seated_now = sorted(rid for rid, status in stored.items() if status == S.CONFIRMED)
    assert seated_now == sorted(rid for rids in first_in_line.values() for rid in rids)
    line = positions(session, event)
    assert [position for _, position in line] == list(range(1, SMALLER_CROWD - 12 + 1))
