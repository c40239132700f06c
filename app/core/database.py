"""Engine set-up per database, and the write lock that seat allocation relies on.

SQLite: WAL so that readers never wait for the writer; pysqlite's own transaction handling is
switched off so that SQLAlchemy decides when a transaction begins, and a write transaction can
begin with ``BEGIN IMMEDIATE`` (it takes the database's write lock up front and waits for it,
instead of failing half-way when two deferred transactions both try to write: in WAL mode a
deferred reader that later writes gets SQLITE_BUSY at once, without waiting, if another
connection committed in between).

The same holds for every request that may change state: on SQLite each transaction of a POST
(PUT, PATCH, DELETE) request begins with ``BEGIN IMMEDIATE``, so two requests that write at
the same moment (or a request and the worker) take turns instead of one answering 500. GET
never changes state (the few GET paths that store something, such as built calendar entries,
end their read transaction first and write in a fresh one, which waits under the busy timeout
because its first statement is a write).

PostgreSQL: the event row is locked with ``SELECT ... FOR UPDATE`` under a short lock timeout.

On both, a lock not granted within ``LOCK_TIMEOUT_SECONDS`` becomes ``TryAgain``, which the
views show as a friendly "please try again".
"""

from __future__ import annotations

from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import event as sa_event
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.sql import Select

DEFAULT_LOCK_TIMEOUT_SECONDS = 10
_BEGIN_OPTION = "startsmart_begin"
# RFC 9110, section 9.2.1: the methods that are not meant to change state on the server.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TryAgain(Exception):
    """The database was too busy to take the lock in time; the user may simply retry."""


def configured_lock_timeout() -> int:
    if has_app_context():
        return int(current_app.config.get("LOCK_TIMEOUT_SECONDS", DEFAULT_LOCK_TIMEOUT_SECONDS))
    return DEFAULT_LOCK_TIMEOUT_SECONDS


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    busy_timeout_ms = configured_lock_timeout() * 1000

    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, see below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get(_BEGIN_OPTION) or _request_begin_mode()
        try:
            connection.exec_driver_sql(f"BEGIN {mode}")
        except OperationalError as exc:  # the write lock was not free within busy_timeout
            raise TryAgain() from exc


def _request_begin_mode() -> str:
    # A request that may change state takes the write lock with its first statement, reads
    # included: its reads decide what it writes, and a deferred transaction that reads and
    # then writes fails at once (SQLITE_BUSY, no waiting) if another connection committed in
    # between. Outside requests (worker, command line) writers call begin_write().
    if has_request_context() and request.method not in SAFE_METHODS:
        return "IMMEDIATE"
    return "DEFERRED"


def _plain(session: Session) -> Session:
    return session() if isinstance(session, scoped_session) else session


def begin_write(session: Session) -> None:
    """Start a new transaction on ``session`` that is allowed to write under the seat lock.

    SQLite: ``BEGIN IMMEDIATE``, so writers queue for the database's write lock (up to
    ``LOCK_TIMEOUT_SECONDS``) before they read what they decide on. PostgreSQL: a plain
    transaction; the caller locks the rows it decides on (``lock_row``).

    Any read-only transaction still open is ended first; unsaved changes would be lost that
    way, so they are refused as a programming error.
    """
    session = _plain(session)
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() called with unsaved changes in the session")
    if session.in_transaction():
        session.commit()
    try:
        session.connection(execution_options={_BEGIN_OPTION: "IMMEDIATE"})
    except TryAgain:  # SQLite: still locked after busy_timeout
        session.rollback()
        raise


def holds_write_lock(session: Session) -> bool:
    """On SQLite: whether the session's transaction began with ``begin_write``."""
    options = _plain(session).connection().get_execution_options()
    return options.get(_BEGIN_OPTION) == "IMMEDIATE"


def lock_rows(
    session: Session,
    statement: Select,
    skip_locked: bool = False,
    lock_timeout_seconds: int | None = None,
    of=None,
):
    """Run ``statement`` with its rows locked for update; returns the Result.

    PostgreSQL: ``FOR UPDATE`` under ``lock_timeout``; ``skip_locked`` passes over rows another
    transaction holds instead of waiting; ``of`` limits the lock to that entity's table when the
    statement joins others. SQLite: the caller must hold the write lock
    (``begin_write``), which covers every row.
    """
    session = _plain(session)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        seconds = int(lock_timeout_seconds or configured_lock_timeout())
        session.execute(text(f"SET LOCAL lock_timeout = '{seconds}s'"))
        statement = statement.with_for_update(skip_locked=skip_locked, of=of)
    elif not holds_write_lock(session):
        # Without BEGIN IMMEDIATE two SQLite writers would both count the same free seat.
        raise RuntimeError("lock on SQLite needs begin_write() first")
    try:
        return session.execute(statement.execution_options(populate_existing=True))
    except OperationalError as exc:  # PostgreSQL: lock_timeout passed
        session.rollback()
        raise TryAgain() from exc


def lock_row(session: Session, model, row_id: int, lock_timeout_seconds: int | None = None):
    """Load one row for update: a row lock on PostgreSQL, the write lock already held on SQLite."""
    statement = select(model).where(model.id == row_id)
    result = lock_rows(session, statement, lock_timeout_seconds=lock_timeout_seconds, of=model)
    return result.scalar_one()
