"""Fair allocation under concurrency: newcomers first, gap-free positions, no overbooking.

Many threads over real connections at the same moment (see crowd.py), on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from crowd import run_at_once
from sqlalchemy import select

from app.booking.allocation import seats_held, waitlist, waitlist_position
from app.booking.registration import cancel_registration, confirm_email
from app.intake.municipalities import find_or_create, set_model_project
from app.models import Registration, RegistrationStatus, utcnow
from app.models.event import ModelProjectPolicy

S = RegistrationStatus
PER_GROUP = 15


def confirm(token: str):
    def action(session):
        result = confirm_email(session, token, utcnow())
        return result.registration.id, result.allocation.status

    return action


def cancel(token: str):
    def action(session):
        return cancel_registration(session, token, utcnow()).id

    return action


def line(session, event) -> list[tuple[int, int]]:
    """(registration id, position shown to that person), in the order seats will go."""
    session.expire_all()
    return [(r.id, waitlist_position(session, r)) for r in waitlist(session, event.id)]


def statuses(session, event) -> dict[int, RegistrationStatus]:
    rows = session.execute(
        select(Registration.id, Registration.status).where(Registration.event_id == event.id)
    )
    return dict(rows.all())


@pytest.fixture
def repeat_towns(session, make_event, make_registration):
    """Municipalities that attended a past workshop (the format of the tested events)."""
    now = utcnow()
    past = make_event(starts_at=now - timedelta(days=90), ends_at=now - timedelta(days=89))
    towns = [f"Altdorf {n}" for n in range(PER_GROUP + 10)]
    for town in towns:
        make_registration(past, S.CONFIRMED, municipality=town, attendance="attended")
    return towns


@pytest.mark.parametrize("round_", [1, 2])
def test_newcomers_get_freed_seats_first_when_many_act_at_once(
    wide_app, session, make_event, make_registration, repeat_towns, round_
):
    event = make_event(capacity=10, priority_newcomers=True)
    seated = [make_registration(event, S.CONFIRMED) for _ in range(10)]
    # Interleaved, so that newcomers and repeat attendees reach the lock in mixed order.
    pending = []
    for n in range(PER_GROUP):
        pending.append(make_registration(event, municipality=repeat_towns[n]))
        pending.append(make_registration(event, municipality=f"Neustadt {n}"))
    newcomer_ids = {r.id for r in pending if r.municipality.startswith("Neustadt")}
    # Read before the threads run: a read here afterwards would keep SQLite's old snapshot.
    confirmations = [confirm(r.token) for r in pending]
    session.commit()

    outcome = run_at_once(wide_app, confirmations)

    assert outcome.errors == []
    assert {status for _, status in outcome.results} == {S.WAITLISTED}
    before = line(session, event)
    assert [position for _, position in before] == list(range(1, 2 * PER_GROUP + 1))
    assert {rid for rid, _ in before[:PER_GROUP]} == newcomer_ids

    # Ten seats free up at once while ten more repeat attendees confirm.
    latecomers = [make_registration(event, municipality=town) for town in repeat_towns[-10:]]
    latecomer_ids = {r.id for r in latecomers}
    actions = [cancel(r.token) for r in seated] + [confirm(r.token) for r in latecomers]
    session.commit()
    outcome = run_at_once(wide_app, actions)

    assert outcome.errors == []
    session.expire_all()
    assert seats_held(session, event.id) == 10
    stored = statuses(session, event)
    confirmed = {rid for rid, status in stored.items() if status == S.CONFIRMED}
    assert confirmed == {rid for rid, _ in before[:10]}  # the ten first in line: newcomers
    after = line(session, event)
    assert [position for _, position in after] == list(range(1, 2 * PER_GROUP + 1))
    assert [rid for rid, _ in after[: PER_GROUP - 10]] == [rid for rid, _ in before[10:PER_GROUP]]
    assert {rid for rid, _ in after[PER_GROUP - 10 :]} == (
        {rid for rid, _ in before[PER_GROUP:]} | latecomer_ids
    )


def test_model_projects_with_lower_priority_wait_behind_everyone_under_concurrency(
    wide_app, session, make_event, make_registration
):
    now = utcnow()
    funded_towns = [f"Modellheim {n}" for n in range(10)]
    for town in funded_towns:
        set_model_project(session, find_or_create(session, town, "09", "", now), True, now)
    session.commit()
    event = make_event(capacity=10, model_projects=ModelProjectPolicy.LOWER)
    pending = []
    for n in range(10):
        pending.append(make_registration(event, municipality=funded_towns[n]))
        pending.append(make_registration(event, municipality=f"Neustadt {n}"))
    funded_ids = {r.id for r in pending if r.municipality.startswith("Modellheim")}
    tokens = {r.id: r.token for r in pending}
    confirmations = [confirm(token) for token in tokens.values()]
    session.commit()

    outcome = run_at_once(wide_app, confirmations)

    assert outcome.errors == []
    session.expire_all()
    assert seats_held(session, event.id) == 10
    waiting = line(session, event)
    assert [position for _, position in waiting] == list(range(1, 11))
    # Whoever of the others is waiting stands ahead of every funded model project.
    funded_positions = [position for rid, position in waiting if rid in funded_ids]
    other_positions = [position for rid, position in waiting if rid not in funded_ids]
    assert (
        not other_positions or not funded_positions or max(other_positions) < min(funded_positions)
    )

    # All ten seats free up at once: they go down the line in exactly that order.
    seated = [rid for rid, status in statuses(session, event).items() if status == S.CONFIRMED]
    cancellations = [cancel(tokens[rid]) for rid in seated]
    session.commit()
    outcome = run_at_once(wide_app, cancellations)

    assert outcome.errors == []
    session.expire_all()
    confirmed = {rid for rid, status in statuses(session, event).items() if status == S.CONFIRMED}
    assert confirmed == {rid for rid, _ in waiting}
    assert seats_held(session, event.id) == 10
