"""Feedback keeps no personal data: the answer's tie to the person lasts only as long as the
answer may change, and ends at once when the person is anonymised."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.feedback.rules import Answer, feedback_job, forget_registrations, submit_answer
from app.models import FeedbackAnswer, FeedbackForm, utcnow
from app.privacy.access import export_person
from app.privacy.erasure import erase_person
from app.privacy.personal_data import anonymise_registration
from app.privacy.registry import COLUMNS


def answered(session, participant, event, **texts):
    person = participant(event, first_name="Jörg", last_name="Schäfer", email="js@goerlitz.example")
    submit_answer(session, person, Answer(4, **texts), utcnow())
    session.commit()
    return person


def stored_values(session) -> list:
    session.commit()
    row = session.scalar(select(FeedbackAnswer))
    return [getattr(row, column.key) for column in FeedbackAnswer.__table__.columns]


def test_after_the_closing_date_the_answer_is_no_longer_tied_to_the_person(
    session, ended_event, participant
):
    event = ended_event()
    person = answered(session, participant, event, comment="Gut")
    feedback_job(session, utcnow())
    assert session.scalar(select(FeedbackAnswer.registration_id)) == person.id  # still changeable

    feedback_job(session, utcnow() + timedelta(days=14))

    session.commit()
    assert session.scalar(select(FeedbackAnswer.registration_id)) is None
    values = stored_values(session)
    assert "Gut" in values
    for personal in (person.email, person.first_name, person.last_name, person.municipality):
        assert personal not in values


def test_anonymisation_ends_the_tie_at_once(session, ended_event, participant):
    event = ended_event()
    person = answered(session, participant, event, will_use="Die Checkliste")
    anonymise_registration(session, person, utcnow())
    session.commit()
    assert session.scalar(select(FeedbackAnswer.registration_id)) is None
    assert session.scalar(select(FeedbackAnswer.will_use)) == "Die Checkliste"


def test_erasure_on_request_keeps_the_answer_without_the_person(session, ended_event, participant):
    event = ended_event()
    person = answered(session, participant, event, comment="Mehr davon")
    erase_person(session, None, person.email, utcnow())
    session.commit()
    assert session.scalar(select(FeedbackAnswer.registration_id)) is None
    assert session.scalar(select(FeedbackAnswer.comment)) == "Mehr davon"


def test_the_worker_unties_answers_of_people_anonymised_elsewhere(
    session, ended_event, participant
):
    event = ended_event()
    person = answered(session, participant, event)
    person.anonymised_at = utcnow()  # as an older release or a manual correction left it
    session.commit()
    feedback_job(session, utcnow())
    assert session.scalar(select(FeedbackAnswer.registration_id)) is None


def test_erasure_can_untie_the_answers_of_a_person(session, ended_event, participant):
    event = ended_event()
    person = answered(session, participant, event)
    assert forget_registrations(session, [person.id]) == 1
    session.commit()
    assert session.scalar(select(FeedbackAnswer.registration_id)) is None


def test_the_privacy_registry_knows_every_text_column_of_feedback():
    for column in FeedbackAnswer.__table__.columns:
        if column.type.python_type is str:
            assert f"feedback_answers.{column.key}" in COLUMNS
    assert not [c for c in FeedbackForm.__table__.columns if c.type.python_type is str]


def test_the_access_report_shows_the_answer_while_it_is_tied_to_the_person(
    session, ended_event, participant
):
    event = ended_event()
    person = answered(session, participant, event, missing="Mehr Beispiele")
    (entry,) = export_person(session, person.email, utcnow())["registrations"]
    assert entry["feedback"]["usefulness"] == 4
    assert entry["feedback"]["missing"] == "Mehr Beispiele"

    feedback_job(session, utcnow() + timedelta(days=15))  # closed: no longer theirs
    (entry,) = export_person(session, person.email, utcnow())["registrations"]
    assert entry["feedback"] is None
