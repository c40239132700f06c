"""`flask seed-demo`: a newcomer's catalogue that shows every situation at once."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.booking.allocation import seats_held, waitlist
from app.models import (
    Event,
    EventMode,
    EventStatus,
    Registration,
    RegistrationStatus,
    Topic,
    WaitlistMode,
    utcnow,
)


def test_seed_demo_loads_topics_and_a_dozen_events_covering_every_case(runner, session):
    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    assert set(session.scalars(select(Topic.name))) == {
        "Strategie", "Mobilität", "Energie & Klima", "Daten & Plattformen",
        "Verwaltungsdigitalisierung", "Open Source", "Beteiligung",
    }  # fmt: skip
    events = session.scalars(select(Event)).all()
    assert 10 <= len(events) <= 15
    now = utcnow()
    published = [event for event in events if event.status == EventStatus.PUBLISHED]
    upcoming = [event for event in published if event.starts_at > now]
    assert {event.mode for event in upcoming} == set(EventMode)

    def left(event):
        return event.capacity - seats_held(session, event.id)

    assert any(0 < left(event) <= 3 for event in upcoming), "one nearly full"
    full_with_line = [e for e in upcoming if left(e) == 0 and waitlist(session, e.id)]
    assert any(e.waitlist_mode == WaitlistMode.AUTOMATIC for e in full_with_line)
    offer = [e for e in full_with_line if e.waitlist_mode == WaitlistMode.OFFER]
    assert offer and session.scalar(
        select(Registration).where(
            Registration.event_id == offer[0].id,
            Registration.status == RegistrationStatus.OFFERED,
        )
    )
    assert any(event.ends_at < now for event in published), "one in the archive"
    # The night the clocks go forward: 10:00 summer time is 08:00 UTC.
    assert any(event.starts_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC) for event in events)
    for event in events:
        if event.max_per_municipality:
            held = session.execute(
                select(func.count())
                .select_from(Registration)
                .where(
                    Registration.event_id == event.id,
                    Registration.status == RegistrationStatus.CONFIRMED,
                )
                .group_by(Registration.municipality_key)
            ).scalars()
            assert max(held, default=0) <= event.max_per_municipality, event.slug


def test_seed_demo_twice_adds_nothing_the_second_time(runner, session):
    runner.invoke(args=["seed-demo"])
    count = session.scalar(select(func.count(Event.id)))

    again = runner.invoke(args=["seed-demo"])

    assert "Loaded 0 demo events" in again.output
    assert session.scalar(select(func.count(Event.id))) == count


def test_if_empty_leaves_an_existing_programme_alone(runner, session, make_event):
    make_event(slug="echte-veranstaltung")

    result = runner.invoke(args=["seed-demo", "--if-empty"])

    assert result.exit_code == 0
    assert "no demo data loaded" in result.output
    assert session.scalars(select(Event.slug)).all() == ["echte-veranstaltung"]
