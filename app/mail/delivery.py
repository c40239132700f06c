"""Delivering queued mail after commit: claim, send, record. Safe in several processes.

A row is claimed by moving its ``next_attempt_at`` into the future (a lease) in a short
transaction; on PostgreSQL the claim skips rows another worker has locked (FOR UPDATE SKIP
LOCKED), on SQLite it runs under the database's write lock. The SMTP conversation happens
outside any transaction, so a slow or dead mail server never holds a lock or rolls anything
back. A failed attempt is retried with exponential backoff; nothing is ever deleted.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import TryAgain, begin_write
from app.extensions import db, mail
from app.mail.message import OutboxMailMessage, TimeoutConnection
from app.mail.outbox import PENDING_FLAG
from app.models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __iadd__(self, other: DeliveryReport) -> DeliveryReport:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        return self


def retry_delay(attempts: int) -> timedelta:
    return min(LONGEST_RETRY, FIRST_RETRY * 2 ** max(0, attempts - 1))


def claim_due(session: Session, now: datetime, limit: int) -> list[int]:
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
    """Send up to ``limit`` due messages; returns a DeliveryReport."""
    report = DeliveryReport()
    try:
        ids = claim_due(session, now or utcnow(), limit)
    except TryAgain:
        return report
    if not ids:
        return report
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    session.commit()  # no transaction stays open while we talk to the mail server
    outcomes: dict[int, str | None] = {}
    if current_app.config["DEV_MAILBOX"]:
        # Development without a mail server: the dev mailbox page shows the outbox itself.
        record_outcomes(session, dict.fromkeys(ids), report)
        return report
    try:
        with TimeoutConnection(mail) as connection:
            for row in rows:
                try:
                    connection.send(OutboxMailMessage(row))
                    outcomes[row.id] = None
                except Exception as exc:  # one bad recipient must not stop the rest
                    outcomes[row.id] = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # the server is down or refused us: every unsent row retries
        for row in rows:
            outcomes.setdefault(row.id, f"{type(exc).__name__}: {exc}")
    record_outcomes(session, outcomes, report)
    return report


def record_outcomes(session: Session, outcomes: dict[int, str | None], report: DeliveryReport):
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    now = utcnow()
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(outcomes))):
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


def deliver_all_due(session: Session, batch: int = 100) -> DeliveryReport:
    total = DeliveryReport()
    while True:
        report = deliver_due(session, limit=batch)
        total += report
        if report.sent + report.retried + report.failed < batch:
            return total


def run_worker(session: Session, once: bool, interval: float, housekeeping) -> None:
    """The loop behind `flask worker`: housekeeping, then delivery, then sleep."""
    while True:
        housekeeping(session)
        report = deliver_all_due(session)
        if report.sent or report.retried or report.failed:
            log.info("mail: %s sent, %s to retry, %s failed", *vars(report).values())
        if once:
            return
        time.sleep(interval)


def init_inline_delivery(app: Flask) -> None:
    """In development, mail goes out right after the request that queued it committed."""
    if app.config["MAIL_DELIVERY"] != "inline":
        return

    @app.teardown_request
    def _deliver_after_request(_exc):
        session = db.session()
        queued = session.info.pop(PENDING_FLAG, False) or g.pop("deliver_mail", False)
        if not queued:
            return
        try:
            session.rollback()  # anything uncommitted by now was not meant to be kept
            deliver_all_due(session)
        except Exception:  # the worker or the next request will try again
            log.exception("inline mail delivery failed")
