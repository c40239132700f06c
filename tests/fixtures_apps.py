"""More apps on the test database: one with other settings, or one with a connection per
thread for the concurrency tests (see crowd.py)."""

from __future__ import annotations

import pytest
from crowd import THREADS, build_wide_app, dispose

from app import create_app
from app.extensions import db, limiter


@pytest.fixture
def other_app(app, session):
    """Build an extra app (other config) on the same test database; undo its global side effects.

    Flask-Limiter is one object shared by every app: building an app with rate limiting on
    switches it on for all of them, so its state is put back afterwards.
    """
    saved = (limiter.enabled, limiter.initialized)
    built = []

    def factory(config_name="testing", **overrides):
        overrides.setdefault("SQLALCHEMY_DATABASE_URI", app.config["SQLALCHEMY_DATABASE_URI"])
        overrides.setdefault("BASE_URL", app.config["BASE_URL"])
        overrides.setdefault("MAIL_SERVER", "127.0.0.1")
        overrides.setdefault("MAIL_PORT", 1)
        application = create_app(config_name, **overrides)
        built.append(application)
        return application

    yield factory
    for application in built:
        if limiter.enabled and limiter.initialized:
            limiter.reset()
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
    limiter.enabled, limiter.initialized = saved


@pytest.fixture(scope="module")
def shared_wide_app(app):
    wide = build_wide_app(app, THREADS)
    yield wide
    dispose(wide)


@pytest.fixture
def wide_app(shared_wide_app):
    """An app whose pool has a connection for each of THREADS threads.

    The connections are closed after each test: the PostgreSQL server is shared with other
    test runs, and fifty idle connections would crowd them out.
    """
    yield shared_wide_app
    dispose(shared_wide_app)


@pytest.fixture
def make_wide_app(app):
    """Another app on the test database with its own settings, e.g. a short lock timeout."""
    built = []

    def factory(connections: int = 4, **overrides):
        built.append(build_wide_app(app, connections, **overrides))
        return built[-1]

    yield factory
    for wide in built:
        dispose(wide)
