"""At-least-once delivery, bounded: real `flask worker` processes, killed, stopped and run side
by side against a real SMTP server. A duplicate can only be the one message in flight, and it
carries the row's Message-ID."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.mail.outbox import MailContent, enqueue
from app.models import OutboxMessage, OutboxStatus, utcnow

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))
APPLICATION_NAME = "startsmart-test-worker"


def queue_mails(session, count: int) -> list[str]:
    """``count`` mails, oldest first; returns their Message-IDs in that order."""
    for number in range(count):
        content = MailContent(f"person{number}@kommune.example", f"Nachricht {number}", "Text")
        enqueue(session, "message", content)
    session.commit()
    return list(session.scalars(select(OutboxMessage.message_id).order_by(OutboxMessage.id)))


def worker_env(smtp, tmp_path, **settings) -> dict[str, str]:
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        url = url.update_query_dict({"application_name": APPLICATION_NAME})
    return {
        **os.environ,
        "FLASK_APP": "app",
        "APP_ENV": "production",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "INSTANCE_PATH": str(tmp_path),
        "BASE_URL": "http://startsmart.test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_TIMEOUT": "20",
        "MAIL_DEFAULT_SENDER": "Start Smart KTS <kts@startsmart.test>",
        **settings,
    }


def start_worker(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [FLASK, "worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def statuses(session) -> list[OutboxStatus]:
    session.commit()  # end the read snapshot: the workers wrote over their own connections
    return list(session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def test_worker_killed_between_the_servers_250_and_its_record_sends_only_that_mail_again(
    session, smtp, tmp_path
):
    ids = queue_mails(session, 3)
    worker: subprocess.Popen | None = None

    def kill_after_the_second(_entry):
        # The server has the mail; the worker dies before it hears the 250, so before it can
        # record anything. The 250 goes out only after the process is gone.
        if len(smtp.received) == 2:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)

    smtp.handler.on_accept = kill_after_the_second
    env = worker_env(smtp, tmp_path, MAIL_LEASE_SECONDS="1")
    worker = start_worker(env, "--once")
    worker.communicate(timeout=120)
    assert worker.returncode == -signal.SIGKILL
    assert len(smtp.received) == 2

    smtp.handler.on_accept = None
    time.sleep(1.5)  # the dead worker's lease on the mail in flight runs out
    again = start_worker(env, "--once")
    out, err = again.communicate(timeout=120)

    assert again.returncode == 0, (out, err)
    assert "mail: 2 sent, 0 to retry, 0 failed" in out
    counts = Counter(smtp.handler.message_ids())
    # The first mail was recorded as sent right after its conversation; only the one in
    # flight went twice, both times with the same Message-ID, so receivers can drop one.
    assert counts == {ids[0]: 1, ids[1]: 2, ids[2]: 1}
    assert statuses(session) == [OutboxStatus.SENT] * 3


def test_sigterm_finishes_the_mail_in_flight_then_the_worker_exits(session, outbox, smtp, tmp_path):
    ids = queue_mails(session, 3)
    worker: subprocess.Popen | None = None
    smtp.handler.on_accept = lambda _entry: worker.send_signal(signal.SIGTERM)  # as systemd does
    worker = start_worker(worker_env(smtp, tmp_path), "--interval", "0.2")

    out, err = worker.communicate(timeout=60)

    assert worker.returncode == 0, (out, err)
    assert "mail: 1 sent, 0 to retry, 0 failed" in out
    assert smtp.handler.message_ids() == [ids[0]]
    first, *rest = outbox()
    assert first.status == OutboxStatus.SENT
    # Not claimed by the stopped worker: due at once for the next one, no attempt used up.
    assert [(row.status, row.attempts) for row in rest] == [(OutboxStatus.QUEUED, 0)] * 2
    assert all(row.next_attempt_at <= utcnow() for row in rest)

    smtp.handler.on_accept = None
    again = start_worker(worker_env(smtp, tmp_path), "--once")
    again.communicate(timeout=120)
    assert Counter(smtp.handler.message_ids()) == dict.fromkeys(ids, 1)


def test_three_workers_on_a_slow_server_with_a_short_lease_send_each_mail_exactly_once(
    session, smtp, tmp_path
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several worker processes are the production set-up on PostgreSQL")
    env = worker_env(smtp, tmp_path, MAIL_LEASE_SECONDS="2")
    # A batch of 10 takes 4 s at this pace: twice the lease. Claimed as a batch, the second
    # half of every batch would be claimed again by an idle worker and sent twice.
    smtp.handler.delay = 0.4
    workers = [start_worker(env, "--interval", "0.2", "--batch", "10") for _ in range(3)]
    try:
        wait_for(lambda: connected_workers(session) >= 3, "three workers connected")
        ids = queue_mails(session, 30)
        wait_for(lambda: set(statuses(session)) == {OutboxStatus.SENT}, "all mail sent")
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
    outputs = [worker.communicate(timeout=60) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0, 0], outputs
    sent = [int(re.search(r"mail: (\d+) sent", out).group(1)) for out, _err in outputs]
    assert sum(sent) == 30
    assert all(sent), sent  # each process took a share
    assert Counter(smtp.handler.message_ids()) == dict.fromkeys(ids, 1)


def connected_workers(session) -> int:
    """Worker processes with a connection open: each keeps one after its first round."""
    session.commit()
    return session.scalar(
        select(func.count())
        .select_from(text("pg_stat_activity"))
        .where(text("application_name = :name").bindparams(name=APPLICATION_NAME))
    )


def wait_for(condition, what: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        time.sleep(0.2)
