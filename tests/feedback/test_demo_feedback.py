"""The demo data shows feedback: a past event with a few answers, and no mail to demo people."""

from __future__ import annotations

from sqlalchemy import select

from app.feedback.rules import event_summary, feedback_job, wanted_topics
from app.models import Event, FeedbackAnswer, utcnow
from app.programme.demo import seed_demo


def test_a_past_demo_event_has_a_few_anonymous_answers(session, outbox):
    now = utcnow()
    seed_demo(session, now)
    session.commit()
    past = [e for e in session.scalars(select(Event)) if e.ends_at < now]
    summaries = [event_summary(session, event.id) for event in past]
    assert any(summary.answers >= 3 and summary.texts for summary in summaries)
    assert wanted_topics(session)[0] == ("Daten & Plattformen", wanted_topics(session)[0][1])
    feedback_job(session, now)
    assert outbox("feedback_request") == []
    assert None in session.scalars(select(FeedbackAnswer.registration_id)).all()
