"""Fixtures: an app per database (SQLite and PostgreSQL), a clean schema per test, factories.

Every test that uses ``app`` (directly or through ``session``/``client``) runs twice: once on a
SQLite file, once on PostgreSQL. PostgreSQL is taken from TEST_POSTGRES_URL (default: the local
server's ``test`` database). When it cannot be reached, those tests are skipped locally and fail
under CI (CI=true), so a green CI always means both databases were tested.
"""

from __future__ import annotations

import os
from datetime import timedelta
from itertools import count

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import (
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    Registration,
    RegistrationStatus,
    Topic,
    WaitlistMode,
    utcnow,
)

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

pytest_plugins = ["fixtures_apps", "fixtures_backoffice", "fixtures_booking", "fixtures_crowd"]


def postgres_reachable(url: str) -> bool:
    from config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(url))
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def reset_schema(app):
    """Drop everything, then build the schema the production way: through the migrations."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    if not postgres_reachable(POSTGRES_URL):
        message = f"PostgreSQL not reachable at {POSTGRES_URL}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from config import normalise_database_url

    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=normalise_database_url(database_url),
        BASE_URL="http://startsmart.test",
        MAIL_DEFAULT_SENDER="Start Smart KTS <kts@startsmart.test>",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=1,  # nothing listens there: tests that send mail start a real server
    )
    application.instance_path = str(tmp_path_factory.mktemp("instance"))
    reset_schema(application)
    return application


def truncate_all(app):
    with app.app_context():
        db.session.remove()
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                connection.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            else:
                for table in tables:
                    connection.exec_driver_sql(f"DELETE FROM {table}")


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app
        db.session.remove()
    truncate_all(app)


@pytest.fixture
def session(app_ctx):
    return db.session


@pytest.fixture
def client(app_ctx):
    return app_ctx.test_client()


@pytest.fixture
def runner(app_ctx):
    return app_ctx.test_cli_runner()


_sequence = count(1)


@pytest.fixture
def make_event(session):
    def factory(**fields) -> Event:
        number = next(_sequence)
        now = utcnow().replace(microsecond=0)
        topics = fields.pop("topics", [])
        values = dict(
            slug=f"event-{number}",
            title=f"Themenwerkstatt {number}",
            format=EventFormat.WORKSHOP,
            summary="Praxisnah und kompakt.",
            description="Beschreibung.",
            starts_at=now + timedelta(days=30),
            ends_at=now + timedelta(days=30, hours=3),
            mode=EventMode.IN_PERSON,
            venue="Rathaus",
            address="Marktplatz 1, 12345 Musterstadt",
            online_url="",
            capacity=10,
            max_per_municipality=None,
            status=EventStatus.PUBLISHED,
            waitlist_mode=WaitlistMode.AUTOMATIC,
            offer_hours=48,
            created_at=now,
            updated_at=now,
        )
        values.update(fields)
        event = Event(**values)
        for name in topics:
            topic = session.scalar(sa.select(Topic).where(Topic.name == name))
            event.topics.append(topic or Topic(name=name, slug=name.lower().replace(" ", "-")))
        session.add(event)
        session.commit()
        return event

    return factory


@pytest.fixture
def make_registration(session):
    def factory(event: Event, status=RegistrationStatus.PENDING, **fields) -> Registration:
        number = next(_sequence)
        now = fields.pop("now", utcnow())
        municipality = fields.pop("municipality", f"Gemeinde {number}")
        state = fields.pop("state", "09")
        ags = fields.pop("ags", "")
        from app.booking.municipality import municipality_key

        email = fields.pop("email", f"person{number}@kommune.example")
        registration = Registration(
            event_id=event.id,
            municipality=municipality,
            state=state,
            ags=ags,
            municipality_key=municipality_key(municipality, state, ags),
            first_name=fields.pop("first_name", "Alex"),
            last_name=fields.pop("last_name", f"Muster {number}"),
            email=email,
            email_normalised=email.lower(),
            status=status,
            created_at=now,
            consent_at=now,
            status_changed_at=now,
            waitlisted_at=now if status == RegistrationStatus.WAITLISTED else None,
            **fields,
        )
        session.add(registration)
        session.commit()
        return registration

    return factory
