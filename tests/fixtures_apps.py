"""Helpers for the web tests: a second app with other settings, and form data."""

from __future__ import annotations

import pytest

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


def _form_data(**changes) -> dict:
    data = {
        "municipality": "Stadt Musterhausen",
        "state": "09",
        "ags": "09162000",
        "first_name": "Erika",
        "last_name": "Mustermann",
        "email": "erika.mustermann@musterhausen.example",
        "role": "Digitalisierungsbeauftragte",
        "consent": "y",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def form_data():
    """A valid registration form; keyword arguments change fields (None leaves one out)."""
    return _form_data
