"""Demo feedback, so that a newcomer sees the chart, the free texts and the wanted topics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.feedback.rules import OPEN_DAYS
from app.models import Attendance, Event, FeedbackAnswer, FeedbackRequest, Registration, Topic

# (usefulness, what they will use, what was missing, wanted topics, comment)
ANSWERS = (
    (5, "Die Checkliste für den Stadtratsbeschluss", "", ("Daten & Plattformen",), ""),
    (4, "Kontakte zu Nachbarkommunen", "Mehr Zeit für den Austausch", ("Daten & Plattformen",), ""),
    (5, "", "", ("Beteiligung",), "Sehr gut organisiert, gerne wieder."),
    (3, "", "Beispiele aus kleinen Gemeinden", ("Mobilität", "Daten & Plattformen"), ""),
    (4, "Die Vorlage für die Bestandsaufnahme", "", (), ""),
)


def add_demo_feedback(
    session: Session, event: Event, registrations: list[Registration], now: datetime
) -> int:
    """Mark everyone present as asked and let a few of them answer; returns the answers."""
    session.flush()  # the registrations' ids
    present = [r for r in registrations if r.attendance == Attendance.ATTENDED]
    topics = {topic.name: topic for topic in session.scalars(select(Topic))}
    # Past the closing date an answer is no longer tied to anyone (app.feedback.rules).
    closed = now >= event.ends_at + timedelta(days=OPEN_DAYS)
    day = event.ends_at + timedelta(days=1)
    for registration in present:
        session.add(
            FeedbackRequest(registration_id=registration.id, event_id=event.id, sent_at=day)
        )
    for registration, (score, will_use, missing, wanted, comment) in zip(
        present, ANSWERS, strict=False
    ):
        session.add(
            FeedbackAnswer(
                event_id=event.id,
                registration_id=None if closed else registration.id,
                usefulness=score,
                will_use=will_use,
                missing=missing,
                comment=comment,
                topics=[topics[name] for name in wanted if name in topics],
                answered_on=datetime(day.year, day.month, day.day, tzinfo=UTC),
            )
        )
    return min(len(present), len(ANSWERS))
