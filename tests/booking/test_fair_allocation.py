"""Fair allocation: newcomers first, model projects equal, behind everyone, or excluded.

Domain tests without HTTP; every test runs on SQLite and on PostgreSQL.
"""

from datetime import timedelta

import pytest

from app.booking.allocation import waitlist, waitlist_position, waitlist_positions
from app.booking.errors import ModelProjectExcluded
from app.booking.registration import cancel_registration, confirm_email, set_capacity
from app.intake.municipalities import find_or_create, merge, set_model_project
from app.models import EventFormat, Registration, RegistrationStatus
from app.models.event import ModelProjectPolicy
from app.programme import changes as programme

S = RegistrationStatus
LOWER, EXCLUDED = ModelProjectPolicy.LOWER, ModelProjectPolicy.EXCLUDED


@pytest.fixture
def attended(session, make_event, make_registration, now):
    """Record that ``municipality`` attended a past event of ``format``."""

    def _attended(municipality, format=EventFormat.WORKSHOP, state="09", ags="", mark="attended"):
        past = make_event(
            format=format,
            starts_at=now - timedelta(days=60),
            ends_at=now - timedelta(days=60, hours=-3),
        )
        return make_registration(
            past, S.CONFIRMED, municipality=municipality, state=state, ags=ags, attendance=mark
        )

    return _attended


@pytest.fixture
def model_project(session, now):
    def _flag(name, state="09", ags=""):
        municipality = find_or_create(session, name, state, ags, now)
        set_model_project(session, municipality, True, now)
        session.commit()
        return municipality

    return _flag


def status(session, registration):
    session.expire_all()
    return session.get(Registration, registration.id).status


def test_newcomers_get_a_freed_seat_before_repeat_attendees(
    session, make_event, register, attended, now, line, outbox
):
    attended("Altdorf")
    event = make_event(capacity=1, priority_newcomers=True)
    seated = register(event)
    repeat = register(event, municipality="Altdorf")
    newcomer = register(event, municipality="Neustadt")

    # The newcomer joined later, yet stands first; positions stay 1, 2.
    assert line(event) == [(newcomer.id, 1), (repeat.id, 2)]
    [told] = outbox("waitlisted", registration=newcomer)
    assert "Platz 1" in told.body_text

    cancel_registration(session, seated.token, now)
    session.commit()

    assert status(session, newcomer) == S.CONFIRMED
    assert status(session, repeat) == S.WAITLISTED
    assert line(event) == [(repeat.id, 1)]


def test_without_the_option_the_line_stays_first_come_first_served(
    session, make_event, register, attended, now, line
):
    attended("Altdorf")
    event = make_event(capacity=1)
    seated = register(event)
    repeat = register(event, municipality="Altdorf")
    newcomer = register(event, municipality="Neustadt")
    assert line(event) == [(repeat.id, 1), (newcomer.id, 2)]

    cancel_registration(session, seated.token, now)
    session.commit()
    assert status(session, repeat) == S.CONFIRMED


def test_only_attendance_at_the_same_format_counts(
    session, make_event, register, attended, make_registration, now, line
):
    attended("Kickdorf", format=EventFormat.KICKOFF)  # another format
    attended("Fehldorf", mark="no_show")  # registered, did not come
    attended("Altdorf")
    event = make_event(capacity=1, priority_newcomers=True)
    register(event)
    repeat = register(event, municipality="Altdorf")
    other_format = register(event, municipality="Kickdorf")
    no_show = register(event, municipality="Fehldorf")

    assert line(event) == [(other_format.id, 1), (no_show.id, 2), (repeat.id, 3)]


def test_attendance_is_recognised_across_spellings_and_merged_records(
    session, make_event, register, attended, now, line
):
    # Attended under its AGS; registers now by name only (the directory knows both keys).
    attended("Altdorf", ags="09111000")
    find_or_create(session, "Altdorf", "09", "09111000", now)
    # Attended as "St. Ingbert"; the office merged that record into "Sankt Ingbert".
    attended("St. Ingbert", state="10")
    source = find_or_create(session, "St. Ingbert", "10", "", now)
    target = find_or_create(session, "Sankt Ingbert", "10", "", now)
    merge(session, source, target, now)
    session.commit()

    event = make_event(capacity=1, priority_newcomers=True)
    register(event)
    by_name = register(event, municipality="Stadt Altdorf")
    merged = register(event, municipality="Sankt Ingbert", state="10")
    newcomer = register(event, municipality="Neustadt")

    assert line(event) == [(newcomer.id, 1), (by_name.id, 2), (merged.id, 3)]


def test_a_place_of_the_same_name_with_another_ags_is_not_taken_for_it(
    session, make_event, register, attended, now, line
):
    attended("Neuhausen", ags="09111000")
    find_or_create(session, "Neuhausen", "09", "09111000", now)
    session.commit()
    event = make_event(capacity=1, priority_newcomers=True)
    register(event)
    first = register(event, municipality="Altdorf", ags="09222000")
    other_neuhausen = register(event, municipality="Neuhausen", ags="09333000")

    assert line(event) == [(first.id, 1), (other_neuhausen.id, 2)]


def test_model_projects_with_lower_priority_move_up_only_after_everyone_else(
    session, make_event, register, model_project, now, line
):
    model_project("Musterstadt")
    event = make_event(capacity=2, model_projects=LOWER)
    seated = [register(event), register(event)]
    funded = register(event, municipality="Musterstadt")
    other = register(event, municipality="Neustadt")
    assert line(event) == [(other.id, 1), (funded.id, 2)]

    cancel_registration(session, seated[0].token, now)
    session.commit()
    assert status(session, other) == S.CONFIRMED
    cancel_registration(session, seated[1].token, now)
    session.commit()
    assert status(session, funded) == S.CONFIRMED


def test_both_rules_together_rank_in_four_classes(
    session, make_event, register, attended, model_project, now, line
):
    attended("Altdorf")
    attended("Musterstadt")
    model_project("Musterstadt")
    model_project("Modellheim")
    event = make_event(capacity=1, priority_newcomers=True, model_projects=LOWER)
    register(event)
    funded_repeat = register(event, municipality="Musterstadt")
    funded_new = register(event, municipality="Modellheim")
    repeat = register(event, municipality="Altdorf")
    newcomer = register(event, municipality="Neustadt")

    assert [rid for rid, _ in line(event)] == [
        newcomer.id,
        repeat.id,
        funded_new.id,
        funded_repeat.id,
    ]
    assert [position for _, position in line(event)] == [1, 2, 3, 4]


def test_excluded_model_projects_cannot_register(session, make_event, submit, model_project, now):
    model_project("Musterstadt", ags="09111000")
    event = make_event(model_projects=EXCLUDED)

    with pytest.raises(ModelProjectExcluded):
        submit(event, municipality="Musterstadt", ags="09111000")
    session.rollback()
    # Known by AGS: another spelling with the same AGS is the same model project.
    with pytest.raises(ModelProjectExcluded):
        submit(event, municipality="Stadt Musterstadt", ags="09111000")
    session.rollback()
    assert submit(event, municipality="Neustadt").status == S.PENDING


def test_a_municipality_flagged_after_submitting_is_refused_at_confirmation(
    session, make_event, submit, model_project, now
):
    event = make_event(model_projects=EXCLUDED)
    pending = submit(event, municipality="Musterstadt")
    model_project("Musterstadt")

    with pytest.raises(ModelProjectExcluded):
        confirm_email(session, pending.token, now)
    session.rollback()
    assert status(session, pending) == S.PENDING


def test_excluded_model_projects_already_waiting_are_skipped_until_the_rule_is_lifted(
    session, make_event, register, model_project, now, line
):
    event = make_event(capacity=1)
    seated = register(event)
    funded = register(event, municipality="Musterstadt")
    model_project("Musterstadt")
    programme.update_event(session, event.id, {"model_projects": EXCLUDED}, now)
    session.commit()

    cancel_registration(session, seated.token, now)
    session.commit()
    assert status(session, funded) == S.WAITLISTED  # the seat stays free for others

    programme.update_event(session, event.id, {"model_projects": ModelProjectPolicy.EQUAL}, now)
    session.commit()
    assert status(session, funded) == S.CONFIRMED
    assert line(event) == []


def test_promotions_follow_the_positions_people_were_shown(
    session, make_event, register, attended, model_project, now
):
    for town in ("Altdorf", "Bdorf", "Cdorf"):
        attended(town)
    model_project("Modellheim")
    event = make_event(capacity=1, priority_newcomers=True, model_projects=LOWER)
    register(event)
    towns = ["Altdorf", "Neustadt", "Modellheim", "Bdorf", "Ostdorf", "Cdorf", "Westheim"]
    waiting = [register(event, municipality=town) for town in towns]
    shown = {r.id: waitlist_position(session, r) for r in waiting}
    assert sorted(shown.values()) == list(range(1, len(waiting) + 1))
    assert shown == waitlist_positions(session, event)
    in_line = [r.id for r in waitlist(session, event.id)]
    assert [shown[rid] for rid in in_line] == list(range(1, len(waiting) + 1))

    promoted = set_capacity(session, event.id, 5, now)
    session.commit()

    assert [r.id for r in promoted] == in_line[:4]
    remaining = waitlist_positions(session, event)
    assert sorted(remaining.values()) == [1, 2, 3]
    assert [rid for rid, _ in sorted(remaining.items(), key=lambda item: item[1])] == in_line[4:]


def test_positions_counted_without_a_rule_agree_with_the_line(session, make_event, register, now):
    event = make_event(capacity=1)
    register(event)
    waiting = [register(event) for _ in range(6)]
    cancel_registration(session, waiting[2].token, now)
    session.commit()
    session.expire_all()

    in_line = [r.id for r in waitlist(session, event.id)]
    counted = {rid: waitlist_position(session, session.get(Registration, rid)) for rid in in_line}
    assert counted == waitlist_positions(session, event)
    assert [counted[rid] for rid in in_line] == [1, 2, 3, 4, 5]
