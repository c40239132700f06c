"""Fixtures for the concurrency tests: apps with a connection per thread (see crowd.py)."""

from __future__ import annotations

import pytest
from crowd import THREADS, build_wide_app, dispose


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
