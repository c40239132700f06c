"""The catalogue, an event page and the API list cost the same number of SQL statements
whether the programme holds 10 or 500 published events (issue 2, point 13)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    Registration,
    RegistrationStatus,
    Topic,
    utcnow,
)

TOPICS = ["Strategie", "Mobilität", "Energie & Klima", "Daten & Plattformen", "Beteiligung"]
STATUSES = [
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PENDING,
    RegistrationStatus.OFFERED,
]


def add_events(session, first: int, last: int) -> None:
    """Published events first..last-1, each with two topics and four registrations."""
    topics = {topic.name: topic for topic in session.scalars(select(Topic))}
    for name in TOPICS:
        if name not in topics:
            topics[name] = Topic(name=name, slug=f"t{len(topics)}")
            session.add(topics[name])
    now = utcnow().replace(microsecond=0)
    for number in range(first, last):
        starts = now + timedelta(days=1 + number % 300, hours=number % 7)
        event = Event(
            slug=f"perf-{number}",
            title=f"Veranstaltung {number}",
            format=list(EventFormat)[number % 3],
            summary="Kurz.",
            description="Lang.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            mode=list(EventMode)[number % 3],
            venue="Rathaus",
            address="Markt 1",
            capacity=2 if number % 2 == 0 else 3,  # even numbers: full, waitlist only
            status=EventStatus.PUBLISHED,
            topics=[topics[TOPICS[number % 5]], topics[TOPICS[(number + 2) % 5]]],
        )
        session.add(event)
        session.flush()
        for index, status in enumerate(STATUSES):
            email = f"p{number}-{index}@kommune.example"
            session.add(
                Registration(
                    event_id=event.id,
                    status=status,
                    municipality=f"Gemeinde {index}",
                    state="09",
                    municipality_key=f"gemeinde {index}|09",
                    first_name="Alex",
                    last_name="Muster",
                    email=email,
                    email_normalised=email,
                    waitlisted_at=now if status == RegistrationStatus.WAITLISTED else None,
                )
            )
    # The draft must not count either, and must not show up.
    session.add(
        Event(
            slug=f"draft-{first}",
            title="Entwurf",
            format=EventFormat.WORKSHOP,
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=2, hours=1),
            capacity=5,
            status=EventStatus.DRAFT,
        )
    )
    session.commit()


@contextmanager
def counting_statements():
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)


def statements_for(client, url: str) -> list[str]:
    db.session.remove()  # a fresh request, as in production: nothing cached in the session
    with counting_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return list(statements)


PAGES = [
    "/",
    "/events/perf-5",
    "/events/perf-4",
    "/api/v1/events",
    "/api/v1/events?per_page=100&topic=t1",
]


@pytest.mark.slow
def test_query_count_does_not_grow_with_events(client, session):
    add_events(session, 0, 10)
    small = {url: statements_for(client, url) for url in PAGES}
    add_events(session, 10, 500)
    large = {url: statements_for(client, url) for url in PAGES}

    for url in PAGES:
        assert len(large[url]) == len(small[url]), (url, small[url], large[url])
        # A page lists at most 100 events: a loop over them would show as dozens of statements.
        assert len(small[url]) <= 8, (url, small[url])

    body = client.get("/api/v1/events?per_page=100").get_json()
    assert body["total"] == 500
    assert all(item["slug"].startswith("perf-") for item in body["items"])
    assert b"Veranstaltung 0" in client.get("/").data
