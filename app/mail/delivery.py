"""Delivering queued mail after commit, one message at a time: claim, build, send, record.
Safe in several processes.

Each message is claimed on its own by moving its ``next_attempt_at`` into the future (a lease
of MAIL_LEASE_SECONDS) in a short transaction; on PostgreSQL the claim skips rows another
worker has locked (FOR UPDATE SKIP LOCKED), on SQLite it runs under the database's write lock.
The message is built and sent outside any transaction, so a slow or dead mail server never
holds a lock or rolls anything back, and its outcome is committed right after its SMTP
conversation, before the next message is claimed.

Delivery is at least once. Between the server's 250 and the commit of the outcome a worker
can die; the row's lease then runs out and the message goes again, with the same Message-ID.
Only that one message can be sent twice; a lease outlives one conversation, not a batch. A
message that cannot be built, or that the server refuses for good (5yz), fails at once; a
temporary failure is retried with exponential back-off until MAIL_MAX_ATTEMPTS, after which
the row is failed. Nothing is ever deleted.
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

from app.core.database import TryAgain, begin_write, lock_rows
from app.extensions import db
from app.mail.housekeeping import run_housekeeping
from app.mail.message import OutboxMailMessage, UnbuildableMessage
from app.mail.outbox import PENDING_FLAG
from app.mail.sending import Outcome, Postman
from app.models import OutboxMessage, OutboxStatus, utcnow

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
INLINE_HOUSEKEEPING_EVERY = 60.0  # seconds, per process
RECORD_TRIES = 3  # a sent message whose outcome is not recorded would be sent again


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    # The server could not be reached: the rest of the round was postponed, not attempted.
    unreachable: bool = False

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


def lease() -> timedelta:
    """How long a claimed message is this worker's alone: longer than one SMTP conversation."""
    return timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])


def _due(now: datetime):
    return (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
    )


def _note(row: OutboxMessage, outcome: Outcome, report: DeliveryReport, now: datetime) -> None:
    """Write one attempt's outcome on the row (the caller commits)."""
    if outcome.sent:
        row.status = OutboxStatus.SENT
        row.sent_at = now
        row.last_error = ""
        report.sent += 1
        return
    row.last_error = outcome.error[:2000]
    if outcome.permanent or row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
        report.failed += 1
        log.error("mail %s failed for good after %s attempt(s)", row.id, row.attempts)
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        report.retried += 1
        log.warning("mail %s not delivered (attempt %s), will retry", row.id, row.attempts)


def claim_next(session: Session, now: datetime, report: DeliveryReport) -> int | None:
    """Take the oldest due message for this worker and commit its lease at once.

    A due row whose attempts are used up had no outcome recorded for the last of them (the
    worker stopped while sending it each time): it is failed, never attempted once more.
    """
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    begin_write(session)
    while True:
        row = lock_rows(session, _due(now).limit(1), skip_locked=True).scalar_one_or_none()
        if row is None:
            session.commit()
            return None
        if row.attempts < max_attempts:
            break
        row.status = OutboxStatus.FAILED
        row.last_error = (
            f"gave up after {row.attempts} attempts, the last without an outcome (the worker "
            f"stopped while sending it). {row.last_error}"
        )[:2000]
        report.failed += 1
        log.error("mail %s failed for good: %s attempts without an outcome", row.id, row.attempts)
        session.flush()
    row.next_attempt_at = now + lease()
    row.attempts += 1
    row_id = row.id
    session.commit()
    return row_id


def build(session: Session, row_id: int) -> OutboxMailMessage | Outcome:
    """The claimed row as a message, or the outcome when it cannot be one.

    The read transaction ends here: none stays open during the SMTP conversation.
    """
    try:
        return OutboxMailMessage(session.get(OutboxMessage, row_id))
    except UnbuildableMessage as exc:
        return Outcome(f"could not be built: {exc}", permanent=True)
    except Exception as exc:  # e.g. the database went away while an image was drawn
        log.exception("mail %s could not be built, will retry", row_id)
        return Outcome(f"could not be built: {type(exc).__name__}: {exc}")
    finally:
        session.rollback()


def record_outcome(
    session: Session, row_id: int, outcome: Outcome, report: DeliveryReport, now: datetime
) -> None:
    """Commit one message's outcome, right after its SMTP conversation."""
    for attempt in range(1, RECORD_TRIES + 1):
        try:
            # SQLite: a read transaction that later writes fails at once ("database is
            # locked") when another worker committed in between; the write lock waits instead.
            begin_write(session)
            statement = select(OutboxMessage).where(OutboxMessage.id == row_id)
            row = lock_rows(session, statement).scalar_one_or_none()
            break
        except TryAgain:
            if attempt == RECORD_TRIES:
                raise
    # Another worker may have finished it after this worker's lease ran out; keep its record.
    if row is not None and row.status == OutboxStatus.QUEUED:
        _note(row, outcome, report, now)
    session.commit()


def postpone_due(
    session: Session, now: datetime, limit: int, outcome: Outcome, report: DeliveryReport
) -> None:
    """The server cannot be reached: count an attempt on up to ``limit`` due messages and
    back them off together, instead of trying to connect once for each of them."""
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    begin_write(session)
    rows = lock_rows(session, _due(now).limit(limit), skip_locked=True).scalars().all()
    for row in rows:
        row.attempts = min(row.attempts + 1, max_attempts)
        _note(row, outcome, report, now)
    session.commit()


def deliver_due(
    session: Session,
    now: datetime | None = None,
    limit: int = 100,
    stop: threading.Event | None = None,
) -> DeliveryReport:
    """Send up to ``limit`` due messages, each claimed, sent and recorded on its own.

    ``now`` fixes the clock for claiming and for the next retry (tests pass it to move time);
    without it each claim reads the clock, so a long round never hands out stale leases.
    ``stop`` set (SIGTERM) ends the round after the message in flight.
    """
    clock = (lambda: now) if now is not None else utcnow
    report = DeliveryReport()
    with Postman() as postman:
        for _ in range(limit):
            if stop is not None and stop.is_set():
                break
            try:
                row_id = claim_next(session, clock(), report)
            except TryAgain:  # another process holds the write lock; next round
                break
            if row_id is None:
                break
            message = build(session, row_id)
            outcome = message if isinstance(message, Outcome) else postman.send(message)
            record_outcome(session, row_id, outcome, report, clock())
            if postman.unreachable:
                postpone_due(session, clock(), limit - report.handled, outcome, report)
                report.unreachable = True
                break
    return report


def deliver_all_due(
    session: Session,
    batch: int = 100,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> DeliveryReport:
    """Deliver in rounds of ``batch`` until nothing due is left (for this worker)."""
    total = DeliveryReport()
    while True:
        report = deliver_due(session, now=now, limit=batch, stop=stop)
        total += report
        if report.handled < batch or report.unreachable or (stop is not None and stop.is_set()):
            return total


Housekeeping = Callable[[Session], object]


def run_worker(
    session: Session,
    once: bool,
    interval: float,
    housekeeping: Housekeeping = run_housekeeping,
    batch: int = 100,
    stop: threading.Event | None = None,
) -> DeliveryReport:
    """The loop behind `flask worker`: housekeeping, then delivery, then sleep.

    With ``once`` an error ends the run (cron sees a non-zero exit); in the loop it is logged
    and the next round tries again, so a database restart does not stop mail for good.
    ``stop`` ends the loop after the message in flight (it is recorded, the next is not
    claimed) or at once while the worker sleeps.
    """
    stop = stop or threading.Event()
    total = DeliveryReport()
    while not stop.is_set():
        try:
            try:
                housekeeping(session)
            except TryAgain:  # another process holds the lock; next round
                session.rollback()
            report = deliver_all_due(session, batch=batch, stop=stop)
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
            break
        stop.wait(interval)
    return total


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
