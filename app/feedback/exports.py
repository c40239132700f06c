"""An event's feedback answers as rows for the spreadsheet writers of ``app.reporting``: the
answers only, never who gave them (there is no column that could say)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.timezone import BERLIN
from app.models import FeedbackAnswer
from app.reporting.exports import neutralise

HEADERS = (
    "Nützlichkeit (1–5)",
    "Was ich nutzen werde",
    "Was gefehlt hat",
    "Gewünschte Themen",
    "Anmerkungen",
    "Beantwortet am",
)


def feedback_rows(session: Session, event_id: int) -> list[list[str]]:
    answers = session.scalars(
        select(FeedbackAnswer)
        .where(FeedbackAnswer.event_id == event_id)
        .order_by(FeedbackAnswer.id)
    )
    return [
        [
            neutralise(answer.usefulness),
            neutralise(answer.will_use),
            neutralise(answer.missing),
            neutralise(", ".join(topic.name for topic in answer.topics)),
            neutralise(answer.comment),
            neutralise(answer.answered_on.astimezone(BERLIN).strftime("%d.%m.%Y")),
        ]
        for answer in answers
    ]
