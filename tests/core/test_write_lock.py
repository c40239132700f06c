"""The seat lock itself: writers take turns, and a lock not granted in time asks to retry."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from crowd import run_at_once

from app.booking.allocation import lock_event
from app.core.database import TryAgain, begin_write, holds_write_lock
from app.extensions import db

HOLD_SECONDS = 0.4


def hold_lock_then_commit(event_id: int, holding: threading.Event, released: list):
    def action(session):
        begin_write(session)
        lock_event(session, event_id)
        holding.set()
        time.sleep(HOLD_SECONDS)
        released.append(time.monotonic())

    return action


def wait_then_lock(event_id: int, holding: threading.Event, acquired: list):
    def action(session):
        holding.wait(timeout=10)
        time.sleep(0.05)  # the holder is surely inside its transaction now
        begin_write(session)
        lock_event(session, event_id)
        acquired.append(time.monotonic())

    return action


def test_a_second_writer_waits_until_the_first_commits(wide_app, session, make_event):
    event_id = make_event().id
    session.commit()
    holding, released, acquired = threading.Event(), [], []

    outcome = run_at_once(
        wide_app,
        [
            hold_lock_then_commit(event_id, holding, released),
            wait_then_lock(event_id, holding, acquired),
        ],
    )

    assert outcome.errors == []
    assert acquired[0] >= released[0]


def test_a_lock_not_granted_within_the_lock_timeout_asks_to_try_again(
    make_wide_app, session, make_event
):
    impatient = make_wide_app(LOCK_TIMEOUT_SECONDS=1)
    event_id = make_event().id
    session.commit()
    holding, released = threading.Event(), []

    def hold_longer(session):
        begin_write(session)
        lock_event(session, event_id)
        holding.set()
        time.sleep(2.5)
        released.append(time.monotonic())

    started = time.monotonic()
    outcome = run_at_once(
        impatient, [hold_longer, wait_then_lock(event_id, holding, acquired := [])]
    )

    assert acquired == []
    assert [type(error) for error in outcome.errors] == [TryAgain]
    assert released, "the holder finished normally"
    assert time.monotonic() - started < 5


def test_begin_write_takes_the_sqlite_write_lock_at_once(app, session, make_event):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's database-wide write lock")
    make_event()
    session.commit()

    begin_write(session)
    assert holds_write_lock(session)
    # Nothing written yet, but another connection already cannot write: BEGIN IMMEDIATE.
    other = sqlite3.connect(db.engine.url.database, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("UPDATE events SET title = title")
    finally:
        other.close()
        session.rollback()


def test_locking_on_sqlite_without_begin_write_is_refused(session, make_event):
    event_id = make_event().id
    session.commit()
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL locks the row itself")

    session.get(type(make_event()), event_id)  # a plain read transaction
    with pytest.raises(RuntimeError, match="begin_write"):
        lock_event(session, event_id)
    session.rollback()


def test_postgresql_locks_the_event_row_with_a_lock_timeout(session, make_event):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    event_id = make_event().id
    session.commit()

    begin_write(session)
    lock_event(session, event_id)
    timeout = session.execute(db.text("SHOW lock_timeout")).scalar_one()
    locked_by_us = session.execute(
        db.text(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'events' AND l.mode = 'RowShareLock' AND l.pid = pg_backend_pid()"
        )
    ).scalar_one()
    session.rollback()

    assert timeout == "10s"
    assert locked_by_us == 1
