"""An expression of interest's opt-in: submit, confirm the e-mail address, lapse if unconfirmed.

Like registrations, the mail links to a page; only a POST from that page confirms.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.booking.municipality import normalise_email
from app.core.database import begin_write
from app.intake import mail
from app.intake.errors import DuplicateInterest, InterestNotFound
from app.intake.links import find_interest
from app.intake.municipalities import find_or_create
from app.models import (
    ExpressionOfInterest,
    InterestStatus,
    PipelineStage,
    SizeClass,
    StrategyStage,
    Topic,
)

log = logging.getLogger(__name__)
# The link of an open expression of interest is sent again at most this often when the form is
# filled in again for it: the page answers the same either way (nobody learns whether an
# address is known), and the mailbox is not flooded by someone who tries.
REMINDER_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class InterestApplication:
    """What the public form collects."""

    municipality: str
    state: str
    size_class: SizeClass
    strategy_stage: StrategyStage
    first_name: str
    last_name: str
    email: str
    ags: str = ""
    phone: str = ""
    role: str = ""
    message: str = ""
    topic_ids: list[int] = field(default_factory=list)
    language: str = "de"


def pending_expiry() -> timedelta:
    return timedelta(hours=current_app.config["PENDING_EXPIRY_HOURS"])


def find_by_token(session: Session, token: str) -> ExpressionOfInterest:
    return find_interest(session, token, InterestNotFound)


def open_interest(
    session: Session, municipality_id: int, email: str
) -> ExpressionOfInterest | None:
    """A still open expression of interest of the same person for the same municipality."""
    return session.scalar(
        select(ExpressionOfInterest).where(
            ExpressionOfInterest.municipality_id == municipality_id,
            ExpressionOfInterest.email_normalised == normalise_email(email),
            ExpressionOfInterest.status.in_((InterestStatus.PENDING, InterestStatus.CONFIRMED)),
            ExpressionOfInterest.stage != PipelineStage.CLOSED,
        )
    )


def submit_interest(
    session: Session, application: InterestApplication, now: datetime
) -> ExpressionOfInterest:
    """Record a pending expression of interest and queue the opt-in mail.

    The same person for the same municipality twice raises DuplicateInterest; the personal
    link of the existing one is sent again, to that address only and at most once per
    ``REMINDER_INTERVAL`` (the caller commits, and answers as for a new one).
    """
    municipality = find_or_create(
        session,
        application.municipality,
        application.state,
        application.ags,
        now,
        size_class=application.size_class,
    )
    existing = open_interest(session, municipality.id, application.email)
    if existing is not None:
        remind_of_link(session, existing, now)
        raise DuplicateInterest(existing)
    topics = []
    if application.topic_ids:
        topics = list(session.scalars(select(Topic).where(Topic.id.in_(application.topic_ids))))
    interest = ExpressionOfInterest(
        municipality=municipality,
        municipality_name=application.municipality.strip(),
        state=application.state,
        ags=application.ags.strip(),
        size_class=application.size_class,
        strategy_stage=application.strategy_stage,
        message=application.message.strip(),
        first_name=application.first_name.strip(),
        last_name=application.last_name.strip(),
        email=application.email.strip(),
        email_normalised=normalise_email(application.email),
        phone=application.phone.strip(),
        role=application.role.strip(),
        language=application.language,
        status=InterestStatus.PENDING,
        stage=PipelineStage.NEW,
        created_at=now,
        consent_at=now,
        stage_changed_at=now,
        topics=topics,
    )
    session.add(interest)
    session.flush()
    mail.send_to_contact(session, "interest_opt_in", interest)
    return interest


def remind_of_link(session: Session, interest: ExpressionOfInterest, now: datetime) -> bool:
    """Mail the contact a link to their expression of interest, unless one went out within
    the hour. Whether one was sent.

    The time is claimed by one conditional UPDATE, so of two submissions at the same moment
    only one finds the row still unclaimed (the other's UPDATE waits for the row and then
    matches nothing).
    """
    claimed = session.execute(
        update(ExpressionOfInterest)
        .where(
            ExpressionOfInterest.id == interest.id,
            or_(
                ExpressionOfInterest.link_reminder_at.is_(None),
                ExpressionOfInterest.link_reminder_at <= now - REMINDER_INTERVAL,
            ),
        )
        .values(link_reminder_at=now)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:
        return False
    session.refresh(interest, ["link_reminder_at"])
    mail.send_to_contact(session, "interest_link_reminder", interest)
    return True


def confirm_interest(session: Session, token: str, now: datetime) -> ExpressionOfInterest:
    """The person pressed the confirm button. Idempotent: a second press changes nothing."""
    interest = find_by_token(session, token)
    if interest.status != InterestStatus.PENDING:
        return interest
    if now - interest.created_at > pending_expiry():
        interest.status = InterestStatus.EXPIRED
        return interest
    interest.status = InterestStatus.CONFIRMED
    interest.confirmed_at = now
    interest.stage_changed_at = now
    session.flush()
    mail.send_to_contact(session, "interest_confirmed", interest)
    return interest


def expire_pending_interests(session: Session, now: datetime) -> int:
    """Expressions of interest never confirmed lapse after PENDING_EXPIRY_HOURS."""
    result = session.execute(
        update(ExpressionOfInterest)
        .where(
            ExpressionOfInterest.status == InterestStatus.PENDING,
            ExpressionOfInterest.created_at < now - pending_expiry(),
        )
        .values(status=InterestStatus.EXPIRED)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def expire_interests_job(session: Session, now: datetime) -> int:
    """The worker's housekeeping job: lapse unconfirmed expressions of interest and commit."""
    begin_write(session)
    lapsed = expire_pending_interests(session, now)
    session.commit()
    if lapsed:
        log.info("expired %d unconfirmed expression(s) of interest", lapsed)
    return lapsed
