"""Secret tokens in URLs: made at random, stored only as their SHA-256, looked up by that hash.

A database backup then holds no key to anybody's page: the plain token exists only in memory
while the mail (or the page) that carries it is being made. A plain SHA-256 without salt or
stretching is enough here, unlike for passwords: a token carries 192 random bits, so there is
no list of likely values to try, and the unsalted hash can be looked up through an index.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

# Tokens are secrets.token_urlsafe(24): 32 characters. Anything longer than 64 cannot be one,
# so it is refused without hashing megabytes of URL or asking the database.
MAX_TOKEN_LENGTH = 64
# Length of a stored hash (SHA-256 as hex digits).
HASH_LENGTH = 64


def new_token() -> str:
    """32 url-safe characters = 192 random bits, well past guessing (128 would do)."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """What is stored for ``token`` and what a lookup compares with."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_by_token(
    session: Session, column: InstrumentedAttribute, token: str, *criteria, entity=None
):
    """The row whose hash ``column`` matches ``token`` (and meets ``criteria``), or None.

    ``entity`` is what to return when the hash lives in another table (a registration's
    links): it is joined to the column's table along their foreign key. Empty or overlong
    tokens give None without a query; the caller decides what not found means.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    holder = column.class_
    statement = select(entity or holder)
    if entity is not None and entity is not holder:
        statement = statement.join(holder)
    return session.scalar(statement.where(column == hash_token(token), *criteria))


def get_by_token(
    session: Session, column: InstrumentedAttribute, token: str, not_found, entity=None
):
    """Like ``find_by_token``, but raises ``not_found`` (an exception class) instead of None."""
    row = find_by_token(session, column, token, entity=entity)
    if row is None:
        raise not_found()
    return row
