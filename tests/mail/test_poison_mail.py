"""A message that cannot be built or that the server refuses for good fails on its own: the
rest of the queue goes out in the same run, and no row is attempted without end."""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import select

from app.mail.delivery import deliver_due, run_worker
from app.mail.outbox import MailContent, enqueue
from app.models import OutboxMessage, OutboxStatus, utcnow

POISON_SUBJECT = "Giftstadt\r\nBcc: evil@attacker.example"


def queue(session, recipient: str, subject: str = "Hallo") -> OutboxMessage:
    row = enqueue(session, "message", MailContent(recipient, subject, "Guten Tag"))
    session.commit()
    return row


def insert_poison(session, recipient: str = "gift@kommune.example", **columns) -> int:
    """A row as an attacker's input would have left it, written past every form and check."""
    now = utcnow()
    row = OutboxMessage(
        message_id=f"<{uuid.uuid4().hex}@startsmart.test>",
        kind="message",
        recipient=recipient,
        recipient_name=columns.pop("recipient_name", ""),
        subject=columns.pop("subject", POISON_SUBJECT),
        body_text="Guten Tag",
        created_at=now,
        next_attempt_at=now,
        **columns,
    )
    session.add(row)
    session.commit()
    return row.id


def test_poison_row_fails_at_once_and_the_others_go_out_in_the_same_run(
    runner, session, outbox, smtp
):
    queue(session, "erste@kommune.example")
    poison = insert_poison(session)
    queue(session, "dritte@kommune.example")

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "mail: 2 sent, 0 to retry, 1 failed" in result.output
    assert sorted(entry.rcpt_tos[0] for entry in smtp.received) == [
        "dritte@kommune.example",
        "erste@kommune.example",
    ]
    assert all("evil@attacker.example" not in entry.rcpt_tos for entry in smtp.received)
    rows = {row.id: row for row in outbox()}
    assert rows[poison].status == OutboxStatus.FAILED
    assert rows[poison].attempts == 1
    assert "could not be built" in rows[poison].last_error
    assert "line" in rows[poison].last_error.lower()  # the header policy's reason
    assert [row.status for row_id, row in rows.items() if row_id != poison] == [
        OutboxStatus.SENT
    ] * 2

    again = runner.invoke(args=["worker", "--once"])

    assert "mail: 0 sent, 0 to retry, 0 failed" in again.output  # never picked up again
    assert len(smtp.received) == 2


def test_line_breaks_in_a_stored_name_or_address_never_become_a_header(session, outbox, smtp):
    named = insert_poison(
        session,
        recipient="erika@kommune.example",
        subject="Hallo",
        recipient_name="Erika\r\nBcc: evil@attacker.example",
    )
    addressed = insert_poison(
        session, recipient="x@kommune.example\r\nBcc: evil@attacker.example", subject="Hallo"
    )
    separator = insert_poison(session, subject="Giftstadt\u2028Bcc: evil@attacker.example")

    report = deliver_due(session)

    assert (report.sent, report.failed) == (1, 2)
    [entry] = smtp.received
    assert entry.rcpt_tos == ["erika@kommune.example"]
    [to] = entry.message["To"].addresses  # the name stayed a name, in one To header
    assert (to.display_name, to.addr_spec) == (
        "Erika Bcc: evil@attacker.example",
        "erika@kommune.example",
    )
    assert entry.message["Bcc"] is None
    rows = {row.id: row for row in outbox()}
    assert rows[named].status == OutboxStatus.SENT
    assert rows[addressed].status == rows[separator].status == OutboxStatus.FAILED


def test_permanent_refusal_fails_at_once_a_temporary_one_retries_the_others_are_sent(
    session, outbox, smtp
):
    queue(session, "erste@kommune.example")
    refused = queue(session, "unbekannt@kommune.example").id
    full = queue(session, "voll@kommune.example").id
    queue(session, "vierte@kommune.example")
    smtp.handler.refuse_recipients.update(
        {
            "unbekannt@kommune.example": "550 5.1.1 <unbekannt@kommune.example>: "
            "Recipient address rejected",
            "voll@kommune.example": "452 4.2.2 Mailbox full",
        }
    )

    report = deliver_due(session)

    assert (report.sent, report.retried, report.failed) == (2, 1, 1)
    assert sorted(entry.rcpt_tos[0] for entry in smtp.received) == [
        "erste@kommune.example",
        "vierte@kommune.example",
    ]
    rows = {row.id: row for row in outbox()}
    assert rows[refused].status == OutboxStatus.FAILED
    assert rows[refused].attempts == 1
    assert "550" in rows[refused].last_error
    assert "Recipient address rejected" in rows[refused].last_error
    assert rows[full].status == OutboxStatus.QUEUED
    assert "452" in rows[full].last_error and rows[full].next_attempt_at > utcnow()


def test_a_row_claimed_max_attempts_times_without_an_outcome_fails_instead_of_climbing(
    app, session, outbox, smtp, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    # Each earlier worker died during this row (the outcome was never recorded): its lease ran
    # out with the attempts already at the maximum.
    stuck = insert_poison(session, subject="Hallo", attempts=3)
    queue(session, "andere@kommune.example")

    report = deliver_due(session)

    assert (report.sent, report.failed) == (1, 1)
    rows = {row.id: row for row in outbox()}
    assert rows[stuck].status == OutboxStatus.FAILED
    assert rows[stuck].attempts == 3
    assert "3 attempts" in rows[stuck].last_error
    assert [entry.rcpt_tos for entry in smtp.received] == [["andere@kommune.example"]]
    assert max(session.scalars(select(OutboxMessage.attempts))) == 3


def test_worker_loop_keeps_running_past_a_poison_row(app, session, outbox, smtp):
    """In loop mode too: the poison row is failed and the next round delivers new mail."""
    insert_poison(session)
    stop = threading.Event()
    rounds = []

    def housekeeping(worker_session):
        rounds.append(len(rounds))
        if len(rounds) == 2:
            queue(worker_session, "spaeter@kommune.example")
        if len(rounds) == 3:
            stop.set()

    total = run_worker(session, once=False, interval=0.05, housekeeping=housekeeping, stop=stop)

    assert (total.sent, total.failed) == (1, 1)
    assert [entry.rcpt_tos for entry in smtp.received] == [["spaeter@kommune.example"]]
    assert {row.status for row in outbox()} == {OutboxStatus.SENT, OutboxStatus.FAILED}
