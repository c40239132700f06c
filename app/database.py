"""Engine set-up per database, and the write lock that seat allocation relies on.

SQLite: WAL so that readers never wait for the writer; pysqlite's own transaction handling is
switched off so that SQLAlchemy decides when a transaction begins, and a write transaction can
begin with ``BEGIN IMMEDIATE`` (it takes the database's write lock up front and waits for it,
instead of failing half-way when two deferred transactions both try to write).

PostgreSQL: the event row is locked with ``SELECT ... FOR UPDATE`` under a short lock timeout.
"""

from __future__ import annotations

from sqlalchemy import event as sa_event
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session

SQLITE_BUSY_TIMEOUT_SECONDS = 30
_BEGIN_OPTION = "startsmart_begin"


class TryAgain(Exception):
    """The database was too busy to take the lock in time; the user may simply retry."""


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, see below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def begin_write(session: Session) -> None:
    """Start a new transaction on ``session`` that is allowed to write under the seat lock.

    Any read-only transaction still open is ended first; unsaved changes would be lost that
    way, so they are refused as a programming error.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() called with unsaved changes in the session")
    if session.in_transaction():
        session.commit()
    try:
        session.connection(execution_options={_BEGIN_OPTION: "IMMEDIATE"})
    except OperationalError as exc:  # SQLite: still locked after busy_timeout
        session.rollback()
        raise TryAgain() from exc


def lock_row(session: Session, model, row_id: int, lock_timeout_seconds: int = 10):
    """Load one row for update: a row lock on PostgreSQL, the write lock already held on SQLite."""
    dialect = session.get_bind().dialect.name
    statement = select(model).where(model.id == row_id)
    if dialect == "postgresql":
        session.execute(text(f"SET LOCAL lock_timeout = '{int(lock_timeout_seconds)}s'"))
        statement = statement.with_for_update()
    try:
        return session.execute(statement.execution_options(populate_existing=True)).scalar_one()
    except OperationalError as exc:  # PostgreSQL: lock_timeout passed
        session.rollback()
        raise TryAgain() from exc
