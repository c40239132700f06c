"""Personal links to an expression of interest: minted for each mail, stored only as hashes.

As for registrations (``app.booking.links``, where the reasons are given): every mail to the
contact person that carries a link gets a new one, because the token of an earlier mail is no
longer known; all stay valid until the contact details are anonymised or erased, so the link in
any mail the person kept still opens their page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.core.tokens import get_by_token, hash_token, new_token
from app.core.urls import external_url
from app.models import ExpressionOfInterest, InterestLink


def issue_link(session: Session, interest: ExpressionOfInterest, now: datetime) -> str:
    """A new personal token for ``interest``; returns it (also left in ``.token``)."""
    token = new_token()
    session.add(InterestLink(interest=interest, token_hash=hash_token(token), created_at=now))
    interest.token = token
    return token


def manage_url(session: Session, interest: ExpressionOfInterest, now: datetime) -> str:
    return external_url("intake.manage", token=issue_link(session, interest, now))


def find_interest(session: Session, token: str, not_found) -> ExpressionOfInterest:
    return get_by_token(
        session, InterestLink.token_hash, token, not_found, entity=ExpressionOfInterest
    )


def revoke_links(session: Session, interest_ids: list[int]) -> int:
    """End every personal link of these expressions of interest."""
    if not interest_ids:
        return 0
    result = session.execute(
        delete(InterestLink)
        .where(InterestLink.interest_id.in_(interest_ids))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
