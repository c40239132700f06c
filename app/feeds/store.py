"""The store of built VEVENTs in the database, shared by every process, and its pruning.

Building a VEVENT costs about a millisecond; a freshly started process reads the ones another
process built instead (``app.calendar.feeds.vevents_bytes`` asks this store for its misses).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import StoredVEvent, utcnow

log = logging.getLogger(__name__)

STORE_BATCH = 500
KEEP = timedelta(days=30)


class DatabaseVEventStore:
    """VEVENT bytes by the digest of everything they show, in the ``stored_vevents`` table."""

    def load(self, digests: list[str]) -> dict[str, bytes]:
        rows = {}
        for start in range(0, len(digests), STORE_BATCH):
            chunk = digests[start : start + STORE_BATCH]
            rows.update(
                db.session.execute(
                    select(StoredVEvent.key, StoredVEvent.body).where(StoredVEvent.key.in_(chunk))
                ).all()
            )
        return rows

    def save(self, bodies: dict[str, bytes]) -> None:
        """Keep newly built VEVENTs for other processes.

        Called from feed requests, which read only: their read transaction is ended first (on
        SQLite a write inside an old read snapshot would fail at once instead of waiting), and
        a failure here (a busy database, a race on the same key) only means building them
        again.
        """
        session = db.session
        if not bodies or session.new or session.dirty or session.deleted:
            return
        dialect = session.get_bind().dialect.name
        dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        now = utcnow()
        try:
            session.commit()
            session.execute(
                dialect_insert(StoredVEvent)
                .values([{"key": k, "body": v, "created_at": now} for k, v in bodies.items()])
                .on_conflict_do_nothing(index_elements=["key"])
            )
            session.commit()
        except SQLAlchemyError:
            session.rollback()
            log.warning("could not store %d built VEVENTs; they will be built again", len(bodies))


vevent_store = DatabaseVEventStore()


def prune_stored(session: Session, older_than: timedelta = KEEP) -> int:
    """Drop stored VEVENTs not made recently (keys of past versions of events)."""
    result = session.execute(
        delete(StoredVEvent).where(StoredVEvent.created_at < utcnow() - older_than)
    )
    session.commit()
    return result.rowcount or 0


def prune_job(session: Session, now: datetime) -> int:
    """The worker's housekeeping job."""
    return prune_stored(session)
