"""Secret feed tokens: issue, renew, revoke and look up. Plain domain code taking a session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.tokens import find_by_token
from app.models import CalendarFeedToken, FeedScope


def active_token(session: Session, scope: FeedScope, email_normalised: str = ""):
    return session.scalar(
        select(CalendarFeedToken)
        .where(
            CalendarFeedToken.scope == scope,
            CalendarFeedToken.email_normalised == email_normalised,
            CalendarFeedToken.revoked_at.is_(None),
        )
        .order_by(CalendarFeedToken.id.desc())
        .limit(1)
    )


def revoke_tokens(session: Session, scope: FeedScope, email_normalised: str, now: datetime) -> int:
    """End every live URL of this feed: from now on they answer 410 Gone."""
    result = session.execute(
        update(CalendarFeedToken)
        .where(
            CalendarFeedToken.scope == scope,
            CalendarFeedToken.email_normalised == email_normalised,
            CalendarFeedToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def issue_token(
    session: Session, scope: FeedScope, email_normalised: str, now: datetime
) -> CalendarFeedToken:
    """A new secret URL for this feed; any earlier one is revoked at the same moment."""
    revoke_tokens(session, scope, email_normalised, now)
    token = CalendarFeedToken(scope=scope, email_normalised=email_normalised, created_at=now)
    session.add(token)
    session.flush()
    return token


def find_token(session: Session, scope: FeedScope, token: str) -> CalendarFeedToken | None:
    return find_by_token(session, CalendarFeedToken.token, token, CalendarFeedToken.scope == scope)
