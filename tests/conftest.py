"""Fixtures: an app per database (SQLite and PostgreSQL), a clean schema per test, factories
for events, registrations and the people behind them, and the outbox.

Every test that uses ``app`` (directly or through ``session``/``client``) runs twice: once on a
SQLite file, once on PostgreSQL. PostgreSQL is taken from TEST_POSTGRES_URL (default: the local
server's ``test`` database). When it cannot be reached, those tests are skipped locally and fail
under CI (CI=true), so a green CI always means both databases were tested.
"""

from __future__ import annotations

import os
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_migrate import upgrade

from app import create_app
from app.booking.links import issue_link
from app.booking.registration import Applicant, confirm_email, submit_registration
from app.extensions import db
from app.intake.interest import InterestApplication, confirm_interest, submit_interest
from app.models import (
    Event,
    EventFormat,
    EventMode,
    EventStatus,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    SizeClass,
    StrategyStage,
    Topic,
    WaitlistMode,
    utcnow,
)

TRANSLATIONS = Path(__file__).resolve().parents[1] / "app" / "translations"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Fixtures more than one folder needs, kept apart by what they serve (conftest.py stays short).
pytest_plugins = ["fixtures_apps", "fixtures_backoffice", "fixtures_smtp"]


def compile_stale_catalogues() -> None:
    """Keep the compiled catalogues in step with the .po files for the whole test run.

    `make test` compiles them; a plain `pytest` after someone edited a .po would otherwise run
    against a stale .mo (or none: .mo files are not committed). This runs at collection, before
    any app loads its translations.
    """
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3])
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)


compile_stale_catalogues()


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
    # The migrations bring data too (the standard topics): the first test starts from empty
    # tables like every other, which truncate_all leaves behind.
    truncate_all(application)
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


_sequence = count(1)  # one counter for events, registrations and applicants: unique addresses
_interests = count(1)  # its own, so that kim<n>@ stays short enough to search for a prefix


@pytest.fixture
def now():
    return utcnow().replace(microsecond=0)


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
        # The person's link, as if a mail had brought it: registration.token holds it (only
        # its hash is stored).
        issue_link(session, registration, now)
        session.commit()
        return registration

    return factory


@pytest.fixture
def make_applicant():
    """What someone types into the registration form; a unique e-mail address unless given."""

    def factory(**fields) -> Applicant:
        number = next(_sequence)
        values = dict(
            municipality=f"Gemeinde {number}",
            state="09",
            first_name="Alex",
            last_name=f"Muster {number}",
            email=f"person{number}@kommune.example",
        )
        values.update(fields)
        return Applicant(**values)

    return factory


@pytest.fixture
def submit(session, now, make_applicant):
    """Submit the form for ``event``; returns the pending registration, committed."""

    def _submit(event, at=None, **fields) -> Registration:
        registration = submit_registration(session, event, make_applicant(**fields), at or now)
        session.commit()
        return registration

    return _submit


@pytest.fixture
def register(session, submit, now):
    """Submit and confirm the e-mail address; returns the registration, committed."""

    def _register(event, at=None, **fields) -> Registration:
        registration = submit(event, at=at, **fields)
        confirm_email(session, registration.token, at or now)
        session.commit()
        return registration

    return _register


@pytest.fixture
def form_data():
    """A valid registration form as the browser posts it; keyword arguments change fields
    (None leaves one out)."""

    def factory(**changes) -> dict:
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

    return factory


@pytest.fixture
def make_interest_application():
    """What someone types into the expression-of-interest form; a unique e-mail address unless
    given."""

    def factory(**fields) -> InterestApplication:
        number = next(_interests)
        values = dict(
            municipality=f"Gemeinde {number}",
            state="09",
            size_class=SizeClass.FROM_5K,
            strategy_stage=StrategyStage.NO_STRATEGY,
            first_name="Kim",
            last_name=f"Beispiel {number}",
            email=f"kim{number}@kommune.example",
            role="Digitalisierungsbeauftragte",
        )
        values.update(fields)
        return InterestApplication(**values)

    return factory


@pytest.fixture
def make_interest(session, now, make_interest_application):
    """An expression of interest, submitted and (unless ``confirmed=False``) confirmed."""

    def factory(confirmed: bool = True, **fields):
        interest = submit_interest(session, make_interest_application(**fields), now)
        session.commit()
        if confirmed:
            confirm_interest(session, interest.token, now)
            session.commit()
        return interest

    return factory


@pytest.fixture
def outbox(session):
    """Queued mail, oldest first; optionally of one kind, to one recipient, for one registration.

    It commits first: that ends the session's read snapshot (SQLite keeps one per transaction)
    and expires every loaded object, so rows that views, workers or threads wrote over other
    connections are seen as they are now.
    """

    def read(kind=None, *, recipient=None, registration=None) -> list[OutboxMessage]:
        session.commit()
        statement = sa.select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            statement = statement.where(OutboxMessage.kind == kind)
        if recipient:
            statement = statement.where(OutboxMessage.recipient == recipient)
        if registration is not None:
            statement = statement.where(OutboxMessage.registration_id == registration.id)
        return list(session.scalars(statement))

    return read
