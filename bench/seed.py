"""Benchmark data: a programme of published events with topics and registrations.

Rows are written straight through the models (no booking rules, no mail): this only has to look
like a busy programme to the read paths that are measured.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.booking.municipality import municipality_key
from app.models import (
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    Registration,
    RegistrationStatus,
    Topic,
    WaitlistMode,
    utcnow,
)

TOPICS = [
    ("Strategie", "strategie"),
    ("Mobilität", "mobilitaet"),
    ("Energie & Klima", "energie-klima"),
    ("Daten & Plattformen", "daten-plattformen"),
    ("Verwaltungsdigitalisierung", "verwaltungsdigitalisierung"),
    ("Open Source", "open-source"),
    ("Beteiligung", "beteiligung"),
]
# Per event, in this order, so that some events fill up and show "Warteliste".
REGISTRATION_MIX = [RegistrationStatus.CONFIRMED] * 6 + [
    RegistrationStatus.PENDING,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
]


def ensure_topics(session: Session) -> list[Topic]:
    existing = {topic.slug: topic for topic in session.scalars(select(Topic))}
    for name, slug in TOPICS:
        if slug not in existing:
            existing[slug] = Topic(name=name, slug=slug)
            session.add(existing[slug])
    session.flush()
    return [existing[slug] for _name, slug in TOPICS]


def seed_catalogue(session: Session, events: int = 200, past: int = 20) -> None:
    """``events`` upcoming published events (plus ``past`` in the archive and a few drafts)."""
    topics = ensure_topics(session)
    now = utcnow().replace(second=0, microsecond=0)
    for number in range(events + past):
        if number < events:
            starts = now + timedelta(days=2 + number * 300 // events, hours=8 + number % 8)
        else:
            starts = now - timedelta(days=3 + number - events)
        event = Event(
            slug=f"bench-{number:04d}",
            title=f"{['Kick-off', 'Themenwerkstatt', 'Peer-Learning'][number % 3]} {number}: "
            f"{topics[number % len(topics)].name} in der Kommune",
            format=list(EventFormat)[number % 3],
            summary="Praxisnah, kompakt und kostenfrei für Kommunen.",
            description="Ablauf, Ziele und Materialien.\n" * 5,
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            mode=list(EventMode)[number % 3],
            venue="Rathaus, Großer Saal",
            address=f"Marktplatz {number}, 10115 Berlin",
            capacity=6 if number % 4 == 0 else 20,
            max_per_municipality=2,
            status=EventStatus.PUBLISHED,
            waitlist_mode=WaitlistMode.AUTOMATIC,
            topics=[topics[number % len(topics)], topics[(number + 3) % len(topics)]],
        )
        session.add(event)
        session.flush()
        for index, status in enumerate(REGISTRATION_MIX):
            session.add(_registration(event, f"{number}-{index}", status, now))
    for number in range(5):
        session.add(
            Event(
                slug=f"bench-draft-{number}",
                title=f"Entwurf {number}",
                format=EventFormat.WORKSHOP,
                starts_at=now + timedelta(days=5),
                ends_at=now + timedelta(days=5, hours=2),
                capacity=10,
                status=EventStatus.DRAFT,
            )
        )
    session.commit()


def _registration(event: Event, key: str, status: RegistrationStatus, now) -> Registration:
    municipality, state = f"Gemeinde {key}", "09"
    email = f"person-{key}@kommune.example"
    return Registration(
        event_id=event.id,
        status=status,
        municipality=municipality,
        state=state,
        municipality_key=municipality_key(municipality, state, ""),
        first_name="Alex",
        last_name="Muster",
        email=email,
        email_normalised=email,
        created_at=now,
        consent_at=now,
        status_changed_at=now,
        waitlisted_at=now if status == RegistrationStatus.WAITLISTED else None,
    )


def seed_burst_event(session: Session, capacity: int = 30) -> Event:
    """One open event, nobody registered yet: the target of the registration burst."""
    now = utcnow().replace(microsecond=0)
    event = Event(
        slug="ansturm",
        title="Themenwerkstatt mit Ansturm",
        format=EventFormat.WORKSHOP,
        summary="Alle wollen hin.",
        starts_at=now + timedelta(days=14),
        ends_at=now + timedelta(days=14, hours=3),
        mode=EventMode.ONLINE,
        online_url="https://konferenz.example/ansturm",
        capacity=capacity,
        max_per_municipality=None,
        status=EventStatus.PUBLISHED,
        waitlist_mode=WaitlistMode.AUTOMATIC,
        topics=ensure_topics(session)[:2],
    )
    session.add(event)
    session.commit()
    return event
