"""Run booking actions at the same moment from many threads, each over its own connection.

Each thread pushes its own app context, so Flask-SQLAlchemy gives it its own session and the
pool its own database connection; a barrier releases them together. The apps built here share
the test database with the ``app`` fixture (schema and clean-up come from there) but have a pool
wide enough that no thread waits for a connection instead of for the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db

THREADS = 50
SHARED_SETTINGS = (
    "SQLALCHEMY_DATABASE_URI",
    "BASE_URL",
    "MAIL_DEFAULT_SENDER",
    "MAIL_SERVER",
    "MAIL_PORT",
)


def build_wide_app(app, connections: int, **overrides):
    settings = {name: app.config[name] for name in SHARED_SETTINGS}
    settings.update(overrides)
    wide = create_app(
        "testing",
        SQLALCHEMY_ENGINE_OPTIONS={
            "pool_size": connections,
            "max_overflow": 0,
            "pool_timeout": 60,
        },
        **settings,
    )
    wide.instance_path = app.instance_path
    return wide


def open_connections(app, count: int, patience_seconds: float = 60) -> None:
    """Connect ``count`` times now, not while the threads race; the pool keeps them.

    The PostgreSQL server may be shared with other test runs (max_connections): a refused
    connection is retried for a while instead of failing the test for someone else's load.
    """
    deadline = time.monotonic() + patience_seconds
    with app.app_context():
        opened = []
        while len(opened) < count:
            try:
                opened.append(db.engine.connect())
            except OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        for connection in opened:
            connection.close()


def dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


@dataclass
class Outcome:
    results: list = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def run_at_once(app, actions: list[Callable]) -> Outcome:
    """Call every ``action(session)`` in its own thread at the same moment; commit each.

    Any exception, TryAgain included, is collected as an error.
    """
    open_connections(app, len(actions))
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)
    errors: list[BaseException] = []

    def run(index: int, action: Callable) -> None:
        with app.app_context():
            session = db.session
            try:
                barrier.wait(timeout=30)
                results[index] = action(session)
                session.commit()
            except BaseException as exc:
                session.rollback()
                errors.append(exc)
            finally:
                session.remove()

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return Outcome(results, errors)
