"""Secret feed tokens: issue, renew, revoke and look up. Plain domain code taking a session.

Only the SHA-256 of a token is stored (``app.core.tokens``): the feed's address can be shown
once, right after it is issued, and never again. Whoever has lost it issues a new one, which
ends the old one at the same moment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.core.tokens import find_by_token, hash_token, new_token
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
    """A new secret URL for this feed; any earlier one is revoked at the same moment.

    The plain token is in the returned row's ``token`` attribute (not a column), in memory
    only, for the caller to show or print now.
    """
    revoke_tokens(session, scope, email_normalised, now)
    plain = new_token()
    row = CalendarFeedToken(
        scope=scope, email_normalised=email_normalised, token_hash=hash_token(plain), created_at=now
    )
    session.add(row)
    session.flush()
    row.token = plain
    return row


def find_token(session: Session, scope: FeedScope, token: str) -> CalendarFeedToken | None:
    return find_by_token(
        session, CalendarFeedToken.token_hash, token, CalendarFeedToken.scope == scope
    )


def delete_personal_tokens(session: Session, emails: list[str]) -> int:
    """Forget the personal feeds of these addresses (erasure, anonymisation): their URLs then
    open nothing (404), and no row keeps the address."""
    if not emails:
        return 0
    result = session.execute(
        delete(CalendarFeedToken)
        .where(
            CalendarFeedToken.scope == FeedScope.PERSONAL,
            CalendarFeedToken.email_normalised.in_(emails),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
