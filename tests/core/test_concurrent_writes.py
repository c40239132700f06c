"""Requests that write at the same moment as others (and as the worker) wait their turn.

On SQLite a transaction that reads and then writes fails at once ("database is locked") when
another connection committed in between; every POST therefore begins its transactions with
``BEGIN IMMEDIATE`` (app.core.database). Runs on a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from crowd import open_connections
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.mail.delivery import run_worker
from app.mail.outbox import MailContent, enqueue
from app.models import User, UserRole, utcnow

LOGINS = 20
PASSWORD = "richtig-langes-passwort"


def add_organisers(session, count: int) -> list[str]:
    password_hash = generate_password_hash(PASSWORD, method="scrypt")  # hashed once: quicker
    emails = [f"orga{number}@kts.example" for number in range(count)]
    for email in emails:
        session.add(
            User(
                email=email,
                name="",
                password_hash=password_hash,
                role=UserRole.ORGANISER,
                active=True,
                created_at=utcnow(),
            )
        )
    session.commit()
    return emails


def worker_rounds(app, stop: threading.Event, errors: list) -> None:
    """`flask worker` rounds, each with fresh mail to deliver (port 1 refuses: a retry written)."""
    with app.app_context():
        session = db.session
        try:
            while not stop.is_set():
                for number in range(3):
                    enqueue(session, "test", MailContent(f"p{number}@kommune.example", "S", "T"))
                session.commit()
                run_worker(session, once=True, interval=0, batch=1)
        except BaseException as exc:
            errors.append(exc)
        finally:
            session.remove()


def at_once(app, emails: list[str], visit) -> list:
    """``visit(client, email)`` in one thread per address, released together."""
    barrier = threading.Barrier(len(emails))
    answers: list = [None] * len(emails)
    clients = [app.test_client() for _ in emails]  # each its own cookie, context, connection

    def run(index: int, email: str) -> None:
        try:
            barrier.wait(timeout=30)
            response = visit(clients[index], email)
            answers[index] = (response.status_code, response.headers.get("Location", ""))
        except BaseException as exc:
            answers[index] = repr(exc)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(emails)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return answers


def log_in(client, email):
    return client.post("/admin/login", data={"email": email, "password": PASSWORD})


def log_in_and_out(client, email):
    # Logging out reads the account (the session check) and then writes it (the session
    # version): no domain lock of its own, only the request's.
    log_in(client, email)
    return client.post("/admin/logout")


def test_twenty_simultaneous_logins_while_the_worker_runs_all_reach_the_back_office(
    wide_app, session
):
    emails = add_organisers(session, LOGINS)
    open_connections(wide_app, LOGINS + 1)
    stop, worker_errors = threading.Event(), []
    worker = threading.Thread(target=worker_rounds, args=(wide_app, stop, worker_errors))
    worker.start()
    try:
        logins = at_once(wide_app, emails, log_in)
        logouts = at_once(wide_app, emails, log_in_and_out)
    finally:
        stop.set()
        worker.join(timeout=60)

    assert logins == [(302, "/admin/events")] * LOGINS
    assert logouts == [(302, "/admin/login")] * LOGINS
    assert worker_errors == []
    session.expire_all()
    users = session.scalars(select(User)).all()
    assert all(user.last_login_at is not None for user in users)
    assert {user.session_version for user in users} == {2}  # every logout was saved


def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's database-wide write lock")


def other_writer_blocked() -> bool:
    other = sqlite3.connect(db.engine.url.database, timeout=0)
    try:
        other.execute("UPDATE users SET name = name")
        other.commit()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        other.close()


def test_a_post_request_takes_the_write_lock_with_its_first_read(app, session):
    sqlite_only(app)
    session.commit()  # no transaction left open by the fixtures
    with app.test_request_context("/admin/logout", method="POST"):
        db.session.execute(select(User.id)).all()
        assert other_writer_blocked()
        db.session.rollback()
    with app.test_request_context("/admin/events", method="GET"):
        db.session.execute(select(User.id)).all()
        assert not other_writer_blocked()  # GET reads beside writers
        db.session.rollback()


def test_a_post_that_cannot_get_the_write_lock_in_time_asks_to_try_again(make_wide_app, session):
    impatient = make_wide_app(LOCK_TIMEOUT_SECONDS=1)
    sqlite_only(impatient)
    [email] = add_organisers(session, 1)
    holder = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = log_in(impatient.test_client(), email)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert response.status_code == 503
    assert "Bitte gehen Sie zurück und versuchen Sie es in ein paar Sekunden" in response.text
    assert response.headers["Retry-After"] == "5"
