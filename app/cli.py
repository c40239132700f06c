"""Command line: `flask worker`, `flask events ...`, `flask topics ...`, `flask seed-demo`."""

from __future__ import annotations

import logging

import click
from flask import Flask
from flask.cli import with_appcontext

from app.extensions import db


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due, then stop (for cron).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
@click.option("--batch", default=100, show_default=True, help="Mails claimed at a time.")
@with_appcontext
def worker_command(once: bool, interval: float, batch: int) -> None:
    """Deliver queued mail and expire overdue offers and unconfirmed registrations.

    Each round also prunes calendar VEVENTs stored more than 30 days ago.

    Safe to run in several processes or on several machines at once.
    """
    from app.booking.registration import expire_due
    from app.calendar.feeds import prune_stored
    from app.mail.delivery import run_worker
    from app.models import utcnow

    def housekeeping(session):
        expire_due(session, utcnow())
        prune_stored(session)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        report = run_worker(
            db.session,
            once,
            interval,
            housekeeping,
            batch=batch,
        )
    except Exception as exc:  # --once only: one clear line and a non-zero exit for cron
        raise click.ClickException(f"mail worker failed: {type(exc).__name__}: {exc}") from exc
    click.echo(f"mail: {report}")


def register_cli(app: Flask) -> None:
    from app.admin.cli import users_group
    from app.demo import seed_demo_command
    from app.events_cli import events_group, topics_group
    from app.privacy_cli import privacy_group

    app.cli.add_command(worker_command)
    app.cli.add_command(users_group)
    app.cli.add_command(events_group)
    app.cli.add_command(topics_group)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(privacy_group)
