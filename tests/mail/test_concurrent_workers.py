"""Several workers at once deliver each queued mail exactly once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail.delivery import deliver_all_due
from app.mail.outbox import MailContent, enqueue
from app.models import OutboxMessage, OutboxStatus

ROOT = Path(__file__).resolve().parents[2]
MAILS = 100


def queue_mails(session, count: int = MAILS) -> set[str]:
    for number in range(count):
        content = MailContent(
            recipient=f"person{number}@kommune.example",
            subject=f"Nachricht {number}",
            body_text=f"Guten Tag, dies ist Nachricht {number}.",
        )
        enqueue(session, "message", content)
    session.commit()
    return set(session.scalars(select(OutboxMessage.message_id)))


def assert_each_delivered_once(session, smtp, queued: set[str]) -> None:
    counts = Counter(smtp.handler.message_ids())
    assert set(counts) == queued
    assert [mid for mid, n in counts.items() if n != 1] == []
    session.commit()  # end the read snapshot: other connections wrote
    statuses = set(session.scalars(select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT}


def test_worker_threads_deliver_each_mail_exactly_once(app, session, smtp):
    queued = queue_mails(session)
    smtp.handler.gate = 4  # no mail is accepted before all four workers are connected
    reports, errors = [], []

    def work():
        try:
            with app.app_context():
                reports.append(deliver_all_due(db.session, batch=7))
                db.session.remove()
        except Exception as exc:  # surfaced below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(report.sent for report in reports) == MAILS
    assert all(report.sent for report in reports), reports  # each worker took a share
    assert_each_delivered_once(session, smtp, queued)


def test_worker_processes_deliver_each_mail_exactly_once(app, session, smtp, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several worker processes are the production set-up on PostgreSQL")
    queued = queue_mails(session)
    smtp.handler.gate = 3  # no mail is accepted before all three workers are connected
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "APP_ENV": "production",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "INSTANCE_PATH": str(tmp_path),
        "BASE_URL": "http://startsmart.test",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_TIMEOUT": "60",  # longer than the gate may hold a worker
        "MAIL_DEFAULT_SENDER": "Start Smart KTS <kts@startsmart.test>",
    }
    flask = str(Path(sys.executable).with_name("flask"))
    workers = [
        subprocess.Popen(
            [flask, "worker", "--once", "--batch", "5"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0, 0], outputs
    sent = [int(re.search(r"mail: (\d+) sent", out).group(1)) for out, _err in outputs]
    assert sum(sent) == MAILS
    assert all(sent), sent  # each process took a share
    assert_each_delivered_once(session, smtp, queued)
