"""The rules of feedback: who is asked (once), until when an answer may change, and what the
organisers see (counts and texts, never names).

An answer stays linked to its registration only while it may still be changed; after the
closing date, or as soon as the person is anonymised, the link is emptied (Art. 5 (1) e
DSGVO: personal data no longer than needed), and the answer is anonymous for good.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core.database import begin_write, lock_row, lock_rows
from app.core.timezone import BERLIN
from app.models import (
    Attendance,
    Event,
    EventFormat,
    EventStatus,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackRequest,
    Registration,
    Topic,
    feedback_answer_topics,
)

OPEN_DAYS = 14  # answers may change for two weeks after the event unless organisers say else
SCALE = (1, 2, 3, 4, 5)
OPTIONAL_QUESTIONS = ("ask_will_use", "ask_missing", "ask_topics", "ask_comment")


class FeedbackError(Exception):
    """A domain refusal the page turns into a message."""


class NotAsked(FeedbackError):
    """Only people marked present at an event that has ended are asked."""


class FeedbackClosed(FeedbackError):
    """The closing date has passed: answers are kept, but no longer changed."""


@dataclass(frozen=True)
class Answer:
    usefulness: int
    will_use: str = ""
    missing: str = ""
    comment: str = ""
    topic_ids: tuple[int, ...] = ()


def settings_for(session: Session, event: Event) -> FeedbackForm:
    """The event's questions and closing date; the standard set if organisers changed nothing."""
    form = session.get(FeedbackForm, event.id)
    if form is None:
        form = FeedbackForm(
            event_id=event.id,
            ask_will_use=True,
            ask_missing=True,
            ask_topics=True,
            ask_comment=True,
            closes_at=None,
        )
    return form


def closes_at(settings: FeedbackForm, event: Event) -> datetime:
    return settings.closes_at or event.ends_at + timedelta(days=OPEN_DAYS)


def is_open(session: Session, event: Event, now: datetime) -> bool:
    return event.ends_at <= now < closes_at(settings_for(session, event), event)


def save_settings(
    session: Session, event: Event, questions: dict[str, bool], closing: datetime | None
) -> FeedbackForm:
    """Switch the optional questions on or off and set the closing date (None: the default)."""
    settings = session.get(FeedbackForm, event.id) or FeedbackForm(event_id=event.id)
    for name in OPTIONAL_QUESTIONS:
        setattr(settings, name, bool(questions.get(name)))
    settings.closes_at = closing
    session.add(settings)
    return settings


def may_answer(registration: Registration, now: datetime) -> bool:
    return (
        registration.attendance == Attendance.ATTENDED
        and registration.anonymised_at is None
        and registration.event.ends_at <= now
    )


def answer_of(session: Session, registration: Registration) -> FeedbackAnswer | None:
    return session.scalar(
        select(FeedbackAnswer).where(FeedbackAnswer.registration_id == registration.id)
    )


def submit_answer(
    session: Session, registration: Registration, answer: Answer, now: datetime
) -> FeedbackAnswer:
    """Store the person's one answer, or change it while the form is open."""
    begin_write(session)
    # Under the registration's lock, so a double click cannot make two answers.
    registration = lock_row(session, Registration, registration.id)
    event = registration.event
    if not may_answer(registration, now):
        raise NotAsked()
    settings = settings_for(session, event)
    if now >= closes_at(settings, event):
        raise FeedbackClosed()
    row = answer_of(session, registration) or FeedbackAnswer(
        event_id=event.id, registration_id=registration.id
    )
    row.usefulness = answer.usefulness
    # A question switched off keeps nothing: organisers did not ask it.
    row.will_use = answer.will_use.strip() if settings.ask_will_use else ""
    row.missing = answer.missing.strip() if settings.ask_missing else ""
    row.comment = answer.comment.strip() if settings.ask_comment else ""
    wanted = set(answer.topic_ids) if settings.ask_topics else set()
    row.topics = list(session.scalars(select(Topic).where(Topic.id.in_(wanted)))) if wanted else []
    # The day only: a time to the second could be matched with the person's visit.
    row.answered_on = datetime(now.year, now.month, now.day, tzinfo=UTC)
    session.add(row)
    return row


def answer_export(session: Session, registration: Registration) -> dict | None:
    """The person's answer while it is still tied to them, for their access report (Art. 15
    DSGVO); afterwards nothing stored says it is theirs."""
    answer = answer_of(session, registration)
    if answer is None:
        return None
    return {
        "usefulness": answer.usefulness,
        "will_use": answer.will_use,
        "missing": answer.missing,
        "wanted_topics": [topic.name for topic in answer.topics],
        "comment": answer.comment,
        "answered_on": answer.answered_on.date().isoformat(),
    }


# The request mail --------------------------------------------------------------------------


def events_to_ask(session: Session, now: datetime) -> list[Event]:
    """Events that have ended and may still be answered, with someone not yet asked."""
    statement = (
        select(Event)
        .join(Registration, Registration.event_id == Event.id)
        .outerjoin(FeedbackRequest, FeedbackRequest.registration_id == Registration.id)
        .where(
            Event.ends_at <= now,
            Event.status != EventStatus.CANCELLED,
            Registration.attendance == Attendance.ATTENDED,
            Registration.anonymised_at.is_(None),
            FeedbackRequest.registration_id.is_(None),
        )
        .distinct()
        .order_by(Event.id)
    )
    return [event for event in session.scalars(statement) if is_open(session, event, now)]


def request_feedback(session: Session, event_id: int, now: datetime, render) -> int:
    """Queue the request mail for every present participant not yet asked; returns how many.

    The event row is locked and the request rows are written with the outbox rows in one
    transaction, so two workers (or a worker and an organiser's button) cannot both send:
    the second waits for the lock and then finds the requests. The primary key of
    ``feedback_requests`` holds the line should anything else ever try.
    ``render(session, registration, now)`` makes the mail (``app.feedback.mail``).
    """
    from app.mail.outbox import enqueue

    begin_write(session)
    event = lock_rows(session, select(Event).where(Event.id == event_id), of=Event).scalar_one()
    if not is_open(session, event, now) or event.status == EventStatus.CANCELLED:
        return 0
    people = list(
        session.scalars(
            select(Registration)
            .outerjoin(FeedbackRequest, FeedbackRequest.registration_id == Registration.id)
            .where(
                Registration.event_id == event.id,
                Registration.attendance == Attendance.ATTENDED,
                Registration.anonymised_at.is_(None),
                FeedbackRequest.registration_id.is_(None),
            )
            .order_by(Registration.id)
        )
    )
    for registration in people:
        session.add(
            FeedbackRequest(registration_id=registration.id, event_id=event.id, sent_at=now)
        )
        kind, content = render(session, registration, now)
        enqueue(session, kind, content, registration.id)
    return len(people)


def release_answers(session: Session, now: datetime) -> int:
    """Empty the link of answers that can no longer change or whose person is anonymised."""
    linked = session.execute(
        select(FeedbackAnswer.id, Event, Registration.anonymised_at)
        .join(Event, Event.id == FeedbackAnswer.event_id)
        .join(Registration, Registration.id == FeedbackAnswer.registration_id)
    ).all()
    ids = [
        answer_id
        for answer_id, event, anonymised_at in linked
        if anonymised_at is not None or now >= closes_at(settings_for(session, event), event)
    ]
    return forget_answers(session, ids)


def forget_answers(session: Session, answer_ids: list[int]) -> int:
    if not answer_ids:
        return 0
    result = session.execute(
        update(FeedbackAnswer)
        .where(FeedbackAnswer.id.in_(answer_ids))
        .values(registration_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def forget_registrations(session: Session, registration_ids: list[int]) -> int:
    """For anonymisation and erasure: these people's answers stay, without them."""
    if not registration_ids:
        return 0
    result = session.execute(
        update(FeedbackAnswer)
        .where(FeedbackAnswer.registration_id.in_(registration_ids))
        .values(registration_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def feedback_job(session: Session, now: datetime) -> int:
    """Housekeeping: ask whoever is due, each event in its own transaction; unlink answers."""
    from app.feedback.mail import render_request

    sent = 0
    for event in events_to_ask(session, now):
        sent += request_feedback(session, event.id, now, render_request)
        session.commit()
    release_answers(session, now)
    session.commit()
    return sent


# What organisers see ------------------------------------------------------------------------


@dataclass
class Summary:
    asked: int
    answers: int
    distribution: dict[int, int]
    texts: list[FeedbackAnswer] = field(default_factory=list)
    wanted: list[tuple[str, int]] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.answers / self.asked if self.asked else None

    @property
    def average(self) -> float | None:
        total = sum(self.distribution.values())
        if not total:
            return None
        return sum(score * count for score, count in self.distribution.items()) / total


def event_summary(session: Session, event_id: int) -> Summary:
    asked = session.scalar(
        select(func.count())
        .select_from(FeedbackRequest)
        .where(FeedbackRequest.event_id == event_id)
    )
    answers = list(
        session.scalars(
            select(FeedbackAnswer)
            .where(FeedbackAnswer.event_id == event_id)
            .order_by(FeedbackAnswer.id)
        )
    )
    distribution = dict.fromkeys(SCALE, 0)
    for answer in answers:
        distribution[answer.usefulness] += 1
    texts = [a for a in answers if a.will_use or a.missing or a.comment]
    return Summary(
        asked=asked or 0,
        answers=len(answers),
        distribution=distribution,
        texts=texts,
        wanted=wanted_topics(session, event_id=event_id),
    )


def _in_year(statement, year: int | None):
    """Only answers about events that began in ``year`` (Berlin time), if one is given."""
    if year is None:
        return statement
    start = datetime(year, 1, 1, tzinfo=BERLIN)
    end = datetime(year + 1, 1, 1, tzinfo=BERLIN)
    return statement.where(Event.starts_at >= start, Event.starts_at < end)


def wanted_topics(
    session: Session, event_id: int | None = None, year: int | None = None
) -> list[tuple[str, int]]:
    """Topics participants want next, most wanted first: the signal for the next programme."""
    count = func.count(feedback_answer_topics.c.answer_id)
    statement = (
        select(Topic.name, count)
        .join(feedback_answer_topics, feedback_answer_topics.c.topic_id == Topic.id)
        .join(FeedbackAnswer, FeedbackAnswer.id == feedback_answer_topics.c.answer_id)
        .join(Event, Event.id == FeedbackAnswer.event_id)
        .group_by(Topic.id, Topic.name)
        .order_by(count.desc(), Topic.name)
    )
    statement = _in_year(statement, year)
    if event_id is not None:
        statement = statement.where(FeedbackAnswer.event_id == event_id)
    return [(name, number) for name, number in session.execute(statement)]


@dataclass(frozen=True)
class FormatUsefulness:
    format: EventFormat
    answers: int
    average: float


def usefulness_by_format(session: Session, year: int | None = None) -> list[FormatUsefulness]:
    """How useful participants found each format, across all events (of ``year``)."""
    statement = (
        select(Event.format, func.count(FeedbackAnswer.id), func.avg(FeedbackAnswer.usefulness))
        .join(Event, Event.id == FeedbackAnswer.event_id)
        .group_by(Event.format)
        .order_by(Event.format)
    )
    rows = session.execute(_in_year(statement, year))
    return [FormatUsefulness(fmt, number, float(avg)) for fmt, number, avg in rows]
