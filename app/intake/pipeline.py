"""The office's pipeline of expressions of interest: stages, notes, assignee, filters, overdue.

new ─▶ contacted ─▶ consultation booked ─▶ in support ─▶ closed. Organisers may move an
interest to any stage (a consultation may happen by phone without a booked slot); every move is
kept as a note, so the history shows who moved it when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.intake.errors import IntakeError
from app.models import (
    ExpressionOfInterest,
    InterestNote,
    InterestStatus,
    Municipality,
    PipelineStage,
)
from app.models.intake import interest_topics

STAGE_LABELS_DE = {
    PipelineStage.NEW: "neu",
    PipelineStage.CONTACTED: "kontaktiert",
    PipelineStage.CONSULTATION_BOOKED: "Beratung gebucht",
    PipelineStage.IN_SUPPORT: "in Begleitung",
    PipelineStage.CLOSED: "abgeschlossen",
}


def contact_days() -> int:
    return current_app.config["INTEREST_CONTACT_DAYS"]


def _only_confirmed(interest: ExpressionOfInterest) -> None:
    if interest.status != InterestStatus.CONFIRMED:
        raise IntakeError(_("Nur bestätigte Interessensbekundungen stehen in der Bearbeitung."))


def add_note(
    session: Session, interest: ExpressionOfInterest, text: str, now: datetime, author=""
) -> InterestNote:
    text = text.strip()
    if not text:
        raise IntakeError(_("Die Notiz ist leer."))
    note = InterestNote(interest=interest, text=text, at=now, author=author)
    session.add(note)
    session.flush()
    return note


def change_stage(
    session: Session,
    interest: ExpressionOfInterest,
    stage: PipelineStage,
    now: datetime,
    author="",
) -> PipelineStage:
    """Move ``interest`` to ``stage``; returns the old one. Leaving "new" counts as contact."""
    _only_confirmed(interest)
    old = interest.stage
    if old == stage:
        return old
    interest.stage = stage
    interest.stage_changed_at = now
    if stage != PipelineStage.NEW and interest.contacted_at is None:
        interest.contacted_at = now
    add_note(
        session,
        interest,
        f"Status: {STAGE_LABELS_DE[old]} → {STAGE_LABELS_DE[stage]}",
        now,
        author,
    )
    return old


def assign(
    session: Session,
    interest: ExpressionOfInterest,
    name: str,
    now: datetime,
    user_id: int | None = None,
    author="",
) -> None:
    interest.assignee_name = name.strip()
    interest.assignee_id = user_id
    add_note(session, interest, f"Zuständig: {interest.assignee_name or '–'}", now, author)


@dataclass(frozen=True)
class PipelineFilter:
    stage: PipelineStage | None = None
    state: str = ""
    assignee: str = ""  # assignee name; "-" for unassigned
    topic_id: int | None = None
    search: str = ""  # municipality or contact name, e-mail
    overdue_only: bool = False


def overdue_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=contact_days())


def pipeline(
    session: Session, now: datetime, filters: PipelineFilter | None = None
) -> list[ExpressionOfInterest]:
    """Confirmed expressions of interest matching ``filters``, oldest confirmation first."""
    filters = filters or PipelineFilter()
    statement = (
        select(ExpressionOfInterest)
        .join(Municipality, ExpressionOfInterest.municipality_id == Municipality.id)
        .where(ExpressionOfInterest.status == InterestStatus.CONFIRMED)
        .order_by(ExpressionOfInterest.confirmed_at, ExpressionOfInterest.id)
    )
    if filters.stage is not None:
        statement = statement.where(ExpressionOfInterest.stage == filters.stage)
    if filters.state:
        statement = statement.where(ExpressionOfInterest.state == filters.state)
    if filters.assignee == "-":
        statement = statement.where(ExpressionOfInterest.assignee_name == "")
    elif filters.assignee:
        statement = statement.where(ExpressionOfInterest.assignee_name == filters.assignee)
    if filters.topic_id is not None:
        statement = statement.where(
            ExpressionOfInterest.id.in_(
                select(interest_topics.c.interest_id).where(
                    interest_topics.c.topic_id == filters.topic_id
                )
            )
        )
    if filters.search:
        pattern = f"%{filters.search.strip().lower()}%"
        statement = statement.where(
            or_(
                ExpressionOfInterest.municipality_name.ilike(pattern),
                Municipality.name.ilike(pattern),
                ExpressionOfInterest.last_name.ilike(pattern),
                ExpressionOfInterest.email_normalised.like(pattern),
            )
        )
    if filters.overdue_only:
        statement = statement.where(
            ExpressionOfInterest.stage == PipelineStage.NEW,
            ExpressionOfInterest.contacted_at.is_(None),
            ExpressionOfInterest.confirmed_at <= overdue_cutoff(now),
        )
    return list(session.scalars(statement))


def overdue(session: Session, now: datetime) -> list[ExpressionOfInterest]:
    """For the dashboard: confirmed, still new, not contacted within INTEREST_CONTACT_DAYS."""
    return pipeline(session, now, PipelineFilter(overdue_only=True))


def stage_counts(session: Session) -> dict[PipelineStage, int]:
    rows = session.execute(
        select(ExpressionOfInterest.stage, func.count(ExpressionOfInterest.id))
        .where(ExpressionOfInterest.status == InterestStatus.CONFIRMED)
        .group_by(ExpressionOfInterest.stage)
    ).all()
    counts = dict.fromkeys(PipelineStage, 0)
    counts.update(dict(rows))
    return counts
