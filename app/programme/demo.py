"""Demo data so that a newcomer sees a working catalogue at once.

Dates are relative to the day of seeding (so the catalogue always has upcoming events), except
one event on the last Sunday of March 2027, the night the clocks go forward. Demo registrations
are written directly, without mail: they only fill seats and waiting lists to look at.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.booking.municipality import municipality_key
from app.feedback.demo import add_demo_feedback
from app.materials.demo import add_demo_materials
from app.models import (
    Attendance,
    Event,
    EventMode,
    Registration,
    RegistrationStatus,
    Topic,
)
from app.programme.demo_data import (
    EVENTS,
    FIRST_NAMES,
    LAST_NAMES,
    MUNICIPALITIES,
    ROLES,
    TOPICS,
    DemoEvent,
)
from app.programme.event_input import BERLIN, slugify
from app.programme.events import create_event


def event_start(spec: DemoEvent, today: date) -> datetime:
    if isinstance(spec.when, date):
        day = spec.when
    else:
        day = today + timedelta(days=spec.when)
        if day.weekday() >= 5:  # weekdays only; the fixed-date event is the exception
            day += timedelta(days=7 - day.weekday())
    hour, minute = (int(part) for part in spec.start.split(":"))
    return datetime.combine(day, time(hour, minute), BERLIN)


def ensure_topics(session: Session) -> dict[str, Topic]:
    topics = {topic.name: topic for topic in session.scalars(select(Topic))}
    for name in TOPICS:
        if name not in topics:
            topics[name] = Topic(name=name, slug=slugify(name))
            session.add(topics[name])
    return topics


def demo_registrations(event: Event, spec: DemoEvent, now: datetime) -> list[Registration]:
    statuses = (
        [RegistrationStatus.CONFIRMED] * spec.confirmed
        + [RegistrationStatus.OFFERED] * spec.offered
        + [RegistrationStatus.WAITLISTED] * spec.waitlisted
    )
    registrations = []
    for number, status in enumerate(statuses):
        municipality, state = MUNICIPALITIES[number % len(MUNICIPALITIES)]
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        last = LAST_NAMES[(number + number // len(FIRST_NAMES)) % len(LAST_NAMES)]
        email = f"{slugify(first)}.{slugify(last)}@{slugify(municipality)}.example"
        booked = now - timedelta(days=14) + timedelta(minutes=37 * number)
        registrations.append(
            Registration(
                event=event,
                status=status,
                municipality=municipality,
                state=state,
                municipality_key=municipality_key(municipality, state),
                first_name=first,
                last_name=last,
                email=email,
                email_normalised=email.lower(),
                role=ROLES[number % len(ROLES)],
                created_at=booked,
                consent_at=booked,
                email_confirmed_at=booked + timedelta(minutes=5),
                status_changed_at=booked + timedelta(minutes=5),
                waitlisted_at=booked if status != RegistrationStatus.CONFIRMED else None,
                offer_expires_at=now + timedelta(hours=20)
                if status == RegistrationStatus.OFFERED
                else None,
            )
        )
    return registrations


def mark_demo_attendance(event: Event, registrations: list[Registration]) -> None:
    """A past event as checked in at the door: most came, every eighth did not.

    So the back office shows attendance figures and the certificates of attendance at once.
    """
    for number, registration in enumerate(registrations):
        if registration.status != RegistrationStatus.CONFIRMED:
            continue
        if number % 8 == 7:
            registration.attendance = Attendance.NO_SHOW
        else:
            registration.attendance = Attendance.ATTENDED
            registration.checked_in_at = event.starts_at - timedelta(minutes=20 - number % 25)


def demo_fields(spec: DemoEvent, number: int, today: date) -> dict:
    """The Event columns of one demo event; ``number`` gives online events their own room."""
    starts_at = event_start(spec, today)
    return {
        "title": spec.title,
        "format": spec.format,
        "summary": spec.summary,
        "description": spec.summary
        + "\n\nDie Teilnahme ist kostenfrei. Die Veranstaltung richtet sich an Kommunen, "
        "die nicht als Modellprojekt Smart Cities gefördert werden.",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=spec.hours),
        "mode": spec.mode,
        "venue": spec.venue,
        "address": spec.address,
        "online_url": f"https://konferenz.startsmart.example/raum-{number + 1}"
        if spec.mode != EventMode.IN_PERSON
        else "",
        "capacity": spec.capacity,
        "max_per_municipality": spec.per_municipality,
        "status": spec.status,
        "waitlist_mode": spec.waitlist_mode,
    }


def seed_demo(session: Session, now: datetime) -> int:
    """Add the demo topics and those demo events whose slug is still free; returns how many."""
    topics = ensure_topics(session)
    existing = set(session.scalars(select(Event.slug)))
    today = now.astimezone(BERLIN).date()
    added = 0
    for number, spec in enumerate(EVENTS):
        if slugify(spec.title) in existing:
            continue
        event = create_event(
            session,
            None,
            demo_fields(spec, number, today),
            now,
            [topics[name] for name in spec.topics],
        )
        registrations = demo_registrations(event, spec, now)
        if event.ends_at < now:
            mark_demo_attendance(event, registrations)
        session.add_all(registrations)
        if event.ends_at < now:
            add_demo_feedback(session, event, registrations, now)
        if spec.materials:
            add_demo_materials(session, event, now)
        added += 1
    return added
