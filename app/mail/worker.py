"""`flask worker`: deliver the outbox and run the registered housekeeping jobs."""

from __future__ import annotations

import logging

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.mail import delivery


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due, then stop (for cron).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
@click.option("--batch", default=100, show_default=True, help="Mails claimed at a time.")
@with_appcontext
def worker_command(once: bool, interval: float, batch: int) -> None:
    """Deliver queued mail and run the housekeeping jobs (offer, opt-in and interest expiry,
    pruning of stored calendar VEVENTs).

    Safe to run in several processes or on several machines at once.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        report = delivery.run_worker(db.session, once, interval, batch=batch)
    except Exception as exc:  # --once only: one clear line and a non-zero exit for cron
        raise click.ClickException(f"mail worker failed: {type(exc).__name__}: {exc}") from exc
    click.echo(f"mail: {report}")
