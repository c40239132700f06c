"""The one way a typed search term matches rows: contained in any of some text columns."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_


def contains_text(text: str, *columns) -> ColumnElement[bool]:
    """True where any of ``columns`` contains ``text``, ignoring case on both databases.

    ``lower() LIKE`` rather than ILIKE, which SQLite lacks; ``%`` and ``_`` in the term keep
    their LIKE meaning.
    """
    pattern = f"%{text.lower()}%"
    return or_(*(func.lower(column).like(pattern) for column in columns))
