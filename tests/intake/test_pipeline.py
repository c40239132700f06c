"""The office's pipeline of expressions of interest: stages, notes, assignee, filters, overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.intake.errors import IntakeError
from app.intake.interest import confirm_interest
from app.intake.pipeline import (
    PipelineFilter,
    add_note,
    assign,
    change_stage,
    overdue,
    pipeline,
    stage_counts,
)
from app.models import PipelineStage


def test_stage_change_is_noted_and_counts_as_contact(session, make_interest, now):
    interest = make_interest()
    change_stage(session, interest, PipelineStage.CONTACTED, now, author="Olga")
    session.commit()
    assert interest.stage == PipelineStage.CONTACTED
    assert interest.contacted_at == now
    assert [note.text for note in interest.notes] == ["Status: neu → kontaktiert"]
    assert interest.notes[0].author == "Olga"


def test_pending_interest_is_not_in_the_pipeline(session, make_interest, now):
    pending = make_interest(confirmed=False)
    with pytest.raises(IntakeError):
        change_stage(session, pending, PipelineStage.CONTACTED, now)
    assert pipeline(session, now) == []


def test_notes_and_assignee(session, make_interest, now):
    interest = make_interest()
    add_note(session, interest, "Rückruf am Montag vereinbart.", now, author="Olga")
    assign(session, interest, "Paul Planer", now, author="Olga")
    session.commit()
    assert interest.assignee_name == "Paul Planer"
    assert [note.text for note in interest.notes] == [
        "Rückruf am Montag vereinbart.",
        "Zuständig: Paul Planer",
    ]
    with pytest.raises(IntakeError):
        add_note(session, interest, "   ", now)


def test_filters(session, make_interest, topics, now):
    bavarian = make_interest(municipality="Musterhausen", state="09", topic_ids=[topics[0].id])
    saxon = make_interest(municipality="Leipzig", state="14", ags="14713000")
    change_stage(session, saxon, PipelineStage.IN_SUPPORT, now)
    assign(session, saxon, "Paul Planer", now)
    session.commit()

    def ids(**filters):
        return [interest.id for interest in pipeline(session, now, PipelineFilter(**filters))]

    assert ids() == [bavarian.id, saxon.id]
    assert ids(stage=PipelineStage.IN_SUPPORT) == [saxon.id]
    assert ids(state="09") == [bavarian.id]
    assert ids(assignee="Paul Planer") == [saxon.id]
    assert ids(assignee="-") == [bavarian.id]
    assert ids(topic_id=topics[0].id) == [bavarian.id]
    assert ids(search="leip") == [saxon.id]
    assert ids(search=bavarian.email[:6]) == [bavarian.id]
    counts = stage_counts(session)
    assert counts[PipelineStage.NEW] == 1 and counts[PipelineStage.IN_SUPPORT] == 1


def test_overdue_when_not_contacted_within_configured_days(app, session, make_interest, now):
    old = make_interest(confirmed=False)
    confirm_interest(session, old.token, now - timedelta(hours=1))
    old.confirmed_at = now - timedelta(days=6)
    recent = make_interest()
    contacted = make_interest(confirmed=False)
    confirm_interest(session, contacted.token, now)
    contacted.confirmed_at = now - timedelta(days=10)
    change_stage(session, contacted, PipelineStage.CONTACTED, now)
    session.commit()

    assert [interest.id for interest in overdue(session, now)] == [old.id]
    assert old.is_overdue(now, 5) and not recent.is_overdue(now, 5)
    app.config["INTEREST_CONTACT_DAYS"] = 7
    try:
        assert overdue(session, now) == []
    finally:
        app.config["INTEREST_CONTACT_DAYS"] = 5
