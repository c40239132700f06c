"""`flask worker --once`: housekeeping and delivery in one run, fit for cron."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.mail.outbox import MailContent, enqueue
from app.models import OutboxMessage, OutboxStatus, Registration, RegistrationStatus, utcnow


def queue_one(session) -> None:
    enqueue(session, "message", MailContent("a@kommune.example", "Hallo", "Guten Tag"))
    session.commit()


def test_worker_once_delivers_queued_mail(runner, session, smtp):
    queue_one(session)

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "mail: 1 sent, 0 to retry, 0 failed" in result.output
    assert [entry.rcpt_tos for entry in smtp.received] == [["a@kommune.example"]]


def test_worker_once_with_server_down_keeps_mail_for_later(runner, session, smtp_down):
    queue_one(session)

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "mail: 0 sent, 1 to retry, 0 failed" in result.output
    session.commit()
    assert session.scalar(select(OutboxMessage.status)) == OutboxStatus.QUEUED


def test_worker_expires_overdue_offer_and_sends_the_news_in_the_same_run(
    runner, session, make_event, make_registration, smtp
):
    event = make_event(capacity=1)
    overdue = make_registration(
        event,
        status=RegistrationStatus.OFFERED,
        offer_expires_at=utcnow() - timedelta(minutes=1),
        email="zu-spaet@kommune.example",
    )

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code == 0, result.output
    session.commit()
    assert session.get(Registration, overdue.id).status == RegistrationStatus.EXPIRED
    [entry] = smtp.received
    assert entry.rcpt_tos == ["zu-spaet@kommune.example"]
    assert entry.message["Subject"].startswith("Ihr reservierter Platz ist verfallen")


def test_worker_once_fails_with_one_clear_line_when_the_database_is_gone(
    runner, session, monkeypatch
):
    import app.mail.delivery as delivery

    def broken(*_args, **_kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(delivery, "deliver_all_due", broken)

    result = runner.invoke(args=["worker", "--once"])

    assert result.exit_code != 0
    assert "mail worker failed: RuntimeError: database unreachable" in result.output
