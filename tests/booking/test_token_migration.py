"""Migration 0010 on rows written before it ran: every link already mailed keeps working.

Registration, interest and feed tokens become hashes, the check-in codes in QR codes already
sent stay what they were, and on SQLite the tables rebuilt for it keep every row that refers to
them (a rebuild with foreign keys on would cascade the old table's deletion).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.booking.checkin_codes import find_by_checkin_code
from app.extensions import db
from app.models import OutboxMessage, Registration, utcnow
from app.models.types import UTCDateTime
from config import normalise_database_url

SCHEMA = "token_migration"  # PostgreSQL: apart from the schemas other tests use
BEFORE = "0009_login_throttle_sessions"
REGISTRATION_TOKEN = "OldRegistrationToken_0123456789ab"
INTEREST_TOKEN = "OldInterestToken_0123456789abcdef"
FEED_TOKEN = "OldPersonalFeedToken_0123456789ab"
ORGANISER_TOKEN = "OldOrganiserFeedToken_0123456789a"


@pytest.fixture
def old_database(database_url, tmp_path):
    """An app on an empty database, migrated up to the revision before 0010."""
    options: dict = {"pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path}/tokens.sqlite"
    else:
        url = normalise_database_url(database_url)
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
        options["connect_args"] = {"options": f"-csearch_path={SCHEMA}"}
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=options,
        BASE_URL="http://startsmart.test",
    )
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade(revision=BEFORE)
        yield app
        db.session.remove()
        db.engine.dispose()
    if not database_url.startswith("sqlite"):
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        engine.dispose()


def insert(connection, table: str, **values) -> None:
    """One row as the old code wrote it; datetimes through the app's column type."""
    columns = [
        sa.column(name, UTCDateTime() if isinstance(value, datetime) else None)
        for name, value in values.items()
    ]
    connection.execute(sa.table(table, *columns).insert().values(**values))


def write_old_rows(connection, now) -> dict:
    """A registration, an expression of interest with a booking and a note, both feeds, mails
    and an organisers' message, each as it stood before the migration."""
    start = now + timedelta(days=20)
    event = dict(slug="kick-off", title="Kick-off", format="kickoff", summary="", description="")
    event.update(starts_at=start, ends_at=start + timedelta(hours=3), mode="in_person")
    event.update(venue="Rathaus", address="", online_url="", capacity=10, status="published")
    event.update(waitlist_mode="automatic", offer_hours=48, cancel_reason="", created_at=now)
    event.update(updated_at=now, priority_newcomers=False, model_projects="equal")
    insert(connection, "events", id=1, **event)
    person = dict(first_name="Erika", last_name="Alt", email="erika@kommune.example")
    insert(
        connection,
        "registrations",
        id=1,
        event_id=1,
        token=REGISTRATION_TOKEN,
        status="confirmed",
        municipality="Musterstadt",
        state="09",
        ags="",
        municipality_key="name:09:musterstadt",
        email_normalised="erika@kommune.example",
        role="",
        language="de",
        created_at=now,
        consent_at=now,
        email_confirmed_at=now,
        status_changed_at=now,
        invite_sequence=0,
        **person,
    )
    insert(
        connection,
        "municipalities",
        id=1,
        name="Musterstadt",
        state="09",
        ags="",
        is_model_project=False,
        created_at=now,
        updated_at=now,
    )
    insert(
        connection,
        "expressions_of_interest",
        id=1,
        token=INTEREST_TOKEN,
        status="confirmed",
        stage="consultation_booked",
        municipality_id=1,
        municipality_name="Musterstadt",
        state="09",
        ags="",
        size_class="5k_20k",
        strategy_stage="no_strategy",
        message="",
        first_name="Kim",
        last_name="Alt",
        email="kim@kommune.example",
        email_normalised="kim@kommune.example",
        phone="",
        role="",
        language="de",
        created_at=now,
        consent_at=now,
        confirmed_at=now,
        stage_changed_at=now,
        assignee_name="",
    )
    insert(
        connection,
        "consultation_slots",
        id=1,
        starts_at=start,
        duration_minutes=60,
        channel="phone",
        organiser_name="Olga",
        organiser_email="olga@kts.example",
        access_details="",
        status="published",
        created_at=now,
    )
    insert(
        connection,
        "consultation_bookings",
        id=1,
        slot_id=1,
        interest_id=1,
        status="booked",
        created_at=now,
        invite_sequence=0,
    )
    insert(connection, "interest_notes", id=1, interest_id=1, at=now, author="Olga", text="Hallo")
    for row_id, scope, email, token in (
        (1, "personal", "erika@kommune.example", FEED_TOKEN),
        (2, "organisers", "", ORGANISER_TOKEN),
    ):
        insert(
            connection,
            "calendar_feed_tokens",
            id=row_id,
            scope=scope,
            email_normalised=email,
            token=token,
            created_at=now,
        )
    mail = dict(subject="Betreff", body_html="", ics="", ics_method="", status="sent")
    mail.update(attempts=1, last_error="", created_at=now, next_attempt_at=now, sent_at=now)
    insert(
        connection,
        "outbox_messages",
        id=1,
        message_id="<1@startsmart.test>",
        kind="confirmed",
        recipient="erika@kommune.example",
        recipient_name="Erika Alt",
        body_text=f"http://startsmart.test/r/{REGISTRATION_TOKEN}",
        registration_id=1,
        **mail,
    )
    insert(
        connection,
        "outbox_messages",
        id=2,
        message_id="<2@startsmart.test>",
        kind="consultation_booked_organiser",
        recipient="olga@kts.example",
        recipient_name="Olga",
        body_text="Kontakt: Kim Alt <kim@kommune.example>",
        **mail,
    )
    insert(
        connection,
        "organiser_messages",
        id=1,
        event_id=1,
        send_key="k" * 32,
        group="confirmed",
        subject="Anreise",
        body="Text",
        sent_by="olga@kts.example",
        created_at=now,
        recipient_count=1,
    )
    insert(
        connection,
        "organiser_message_recipients",
        id=1,
        message_id=1,
        registration_id=1,
        outbox_message_id=1,
    )
    return {"event_id": 1}


def old_checkin_code(secret_key: str, token: str) -> str:
    """How check-in codes were made before: an HMAC of the registration's token."""
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()[:20]


def count(table: str) -> int:
    return db.session.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def test_links_mailed_before_the_migration_still_open_their_pages(old_database):
    app = old_database
    now = utcnow().replace(microsecond=0)
    with db.engine.begin() as connection:
        old = write_old_rows(connection, now)

    upgrade()

    client = app.test_client()
    assert client.get(f"/r/{REGISTRATION_TOKEN}").status_code == 200
    assert client.get(f"/interessensbekundung/{INTEREST_TOKEN}").status_code == 200
    assert client.get(f"/feeds/personal/{FEED_TOKEN}.ics").status_code == 200
    assert client.get(f"/feeds/organisers/{ORGANISER_TOKEN}.ics").status_code == 200
    assert client.get(f"/r/{INTEREST_TOKEN}").status_code == 404  # each opens its own page only
    # The QR code in the confirmation mail already sent still opens the check-in entry.
    code = old_checkin_code(app.config["SECRET_KEY"], REGISTRATION_TOKEN)
    registration = find_by_checkin_code(db.session, old["event_id"], code)
    assert registration is not None and registration.email == "erika@kommune.example"
    # Nothing but hashes at rest: no column holds a token any more.
    dump = " ".join(
        str(value)
        for table in db.metadata.sorted_tables
        for row in db.session.execute(sa.select(table)).all()
        for value in row
        if table.name != "outbox_messages"
    )
    for token in (REGISTRATION_TOKEN, INTEREST_TOKEN, FEED_TOKEN, ORGANISER_TOKEN):
        assert token not in dump
    # The rows referring to the rebuilt tables are all still there, with their references.
    assert count("organiser_message_recipients") == 1
    assert count("consultation_bookings") == 1
    assert count("interest_notes") == 1
    assert db.session.get(OutboxMessage, 1).registration_id == 1
    # The office's copy of a consultation mail now knows whose it is (erasure finds it).
    assert db.session.get(OutboxMessage, 2).interest_id == 1
    assert db.session.get(Registration, 1).anonymised_at is None
