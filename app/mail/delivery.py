"""Delivering queued mail after commit: claim, send, record. Safe in several processes.

A row is claimed by moving its ``next_attempt_at`` into the future (a lease) in a short
transaction; on PostgreSQL the claim skips rows another worker has locked (FOR UPDATE SKIP
LOCKED), on SQLite it runs under the database's write lock. The SMTP conversation happens
outside any transaction, so a slow or dead mail server never holds a lock or rolls anything
back. A failed attempt is retried with exponential backoff; nothing is ever deleted.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.database import TryAgain, begin_write
from app.extensions import db, mail
from app.mail.housekeeping import run_housekeeping
from app.mail.message import OutboxMailMessage, TimeoutConnection
from app.mail.outbox import PENDING_FLAG
from app.models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

# Longer than any SMTP conversation with MAIL_TIMEOUT can take; a worker that dies
# mid-batch leaves its rows to the next worker after this.
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
INLINE_HOUSEKEEPING_EVERY = 60.0  # seconds, per process


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed

    def __iadd__(self, other: DeliveryReport) -> DeliveryReport:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        return self

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failed attempt, doubling each time, at most an hour."""
    return min(LONGEST_RETRY, FIRST_RETRY * 2 ** max(0, attempts - 1))


def claim_due(session: Session, now: datetime, limit: int) -> list[int]:
    """Take up to ``limit`` due rows for this worker and commit the lease at once."""
    begin_write(session)
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    rows = session.scalars(statement).all()
    for row in rows:
        row.next_attempt_at = now + LEASE
        row.attempts += 1
    ids = [row.id for row in rows]
    session.commit()
    return ids


def deliver_due(session: Session, now: datetime | None = None, limit: int = 100):
    """Send up to ``limit`` due messages; returns a DeliveryReport.

    ``now`` is the clock for claiming and for the next retry (tests pass it to move time).
    """
    now = now or utcnow()
    report = DeliveryReport()
    try:
        ids = claim_due(session, now, limit)
    except TryAgain:
        return report
    if not ids:
        return report
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    if current_app.config["DEV_MAILBOX"]:
        # Development without a mail server: the dev mailbox page shows the outbox itself.
        session.commit()
        record_outcomes(session, dict.fromkeys(ids), report, now)
        return report
    # Built before the commit: after it the rows are expired, and reading them again would
    # open a transaction that stayed open during the whole SMTP conversation.
    messages = [OutboxMailMessage(row) for row in rows]
    session.commit()
    outcomes: dict[int, str | None] = {}
    try:
        with TimeoutConnection(mail) as connection:
            for message in messages:
                try:
                    connection.send(message)
                    outcomes[message.outbox_id] = None
                except Exception as exc:  # one bad recipient must not stop the rest
                    outcomes[message.outbox_id] = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # the server is down or refused us: every unsent row retries
        for message in messages:
            outcomes.setdefault(message.outbox_id, f"{type(exc).__name__}: {exc}")
    record_outcomes(session, outcomes, report, now)
    return report


def record_outcomes(
    session: Session,
    outcomes: dict[int, str | None],
    report: DeliveryReport,
    now: datetime | None = None,
) -> None:
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    now = now or utcnow()
    # SQLite: a read transaction that later writes fails at once ("database is locked")
    # when another worker committed in between; taking the write lock first waits instead.
    begin_write(session)
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(outcomes)))
    for row in rows:
        error = outcomes[row.id]
        if error is None:
            row.status = OutboxStatus.SENT
            row.sent_at = now
            row.last_error = ""
            report.sent += 1
            continue
        row.last_error = error[:2000]
        if row.attempts >= max_attempts:
            row.status = OutboxStatus.FAILED
            report.failed += 1
            log.error("mail %s failed for good after %s attempts", row.id, row.attempts)
        else:
            row.next_attempt_at = now + retry_delay(row.attempts)
            report.retried += 1
            log.warning("mail %s not delivered (attempt %s), will retry", row.id, row.attempts)
    session.commit()


def deliver_all_due(
    session: Session, batch: int = 100, now: datetime | None = None
) -> DeliveryReport:
    """Deliver in batches until nothing due is left (for this worker)."""
    total = DeliveryReport()
    while True:
        report = deliver_due(session, now=now, limit=batch)
        total += report
        if report.handled < batch:
            return total


Housekeeping = Callable[[Session], object]


def run_worker(
    session: Session,
    once: bool,
    interval: float,
    housekeeping: Housekeeping = run_housekeeping,
    batch: int = 100,
) -> DeliveryReport:
    """The loop behind `flask worker`: housekeeping, then delivery, then sleep.

    With ``once`` an error ends the run (cron sees a non-zero exit); in the loop it is logged
    and the next round tries again, so a database restart does not stop mail for good.
    """
    total = DeliveryReport()
    while True:
        try:
            try:
                housekeeping(session)
            except TryAgain:  # another process holds the lock; next round
                session.rollback()
            report = deliver_all_due(session, batch=batch)
        except Exception:
            session.rollback()
            if once:
                raise
            log.exception("worker round failed, trying again in %s s", interval)
            report = DeliveryReport()
        total += report
        if report.handled:
            log.info("mail: %s", report)
        if once:
            return total
        time.sleep(interval)


def run_inline_housekeeping(app: Flask, session: Session, housekeeping: Housekeeping) -> bool:
    """Without a worker (development), expire offers now and then, at most once a minute.

    Returns whether it ran.
    """
    state = app.extensions.setdefault(
        "startsmart_inline_housekeeping", {"lock": threading.Lock(), "last": None}
    )
    with state["lock"]:
        last = state["last"]
        if last is not None and time.monotonic() - last < INLINE_HOUSEKEEPING_EVERY:
            return False
        state["last"] = time.monotonic()
    try:
        housekeeping(session)
    except TryAgain:
        session.rollback()
    return True


def init_inline_delivery(app: Flask, housekeeping: Housekeeping | None = None) -> None:
    """In development, mail goes out right after the request that queued it committed.

    The flag that ``enqueue`` sets lives in ``session.info``: it survives the view's commit,
    and the session is the request's own (Flask-SQLAlchemy scopes it to the app context),
    which is removed only after this teardown ran.
    """
    if app.config["MAIL_DELIVERY"] != "inline":
        return
    if housekeeping is None:
        housekeeping = run_housekeeping

    @app.teardown_request
    def _deliver_after_request(_exc):
        session = db.session()
        queued = session.info.pop(PENDING_FLAG, False)
        try:
            session.rollback()  # anything uncommitted by now was not meant to be kept
            # After housekeeping, also what it queued and any retry that has come due.
            if run_inline_housekeeping(app, session, housekeeping):
                queued = True
            session.info.pop(PENDING_FLAG, None)
            if queued:
                deliver_all_due(session)
        except Exception:  # the worker or the next request will try again
            session.rollback()
            log.exception("inline mail delivery failed")
