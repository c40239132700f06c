"""Looking a row up by the secret token in its URL, refusing absurd input before any query."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

# Every token column holds at most 64 characters (secrets.token_urlsafe(24) gives 32): a longer
# path segment cannot match, so it is refused without sending megabytes of URL to the database.
MAX_TOKEN_LENGTH = 64


def find_by_token(session: Session, column: InstrumentedAttribute, token: str, *criteria):
    """The row whose ``column`` equals ``token`` (and meets ``criteria``), or None.

    Empty or overlong tokens give None without a query; the caller decides what not found means.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return session.scalar(select(column.class_).where(column == token, *criteria))


def get_by_token(session: Session, column: InstrumentedAttribute, token: str, not_found):
    """Like ``find_by_token``, but raises ``not_found`` (an exception class) instead of None."""
    row = find_by_token(session, column, token)
    if row is None:
        raise not_found()
    return row
