"""Command line: `flask worker`, `flask events ...`, `flask seed-demo`."""

from __future__ import annotations

import logging

import click
from flask import Flask
from flask.cli import with_appcontext

from app.extensions import db


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due, then stop (for cron).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
@with_appcontext
def worker_command(once: bool, interval: float) -> None:
    """Deliver queued mail and expire overdue offers and unconfirmed registrations.

    Safe to run in several processes or on several machines at once.
    """
    from app.booking.registration import expire_due
    from app.mail.delivery import run_worker
    from app.models import utcnow

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    run_worker(db.session, once, interval, lambda session: expire_due(session, utcnow()))


def register_cli(app: Flask) -> None:
    from app.demo import seed_demo_command
    from app.events_cli import events_group

    app.cli.add_command(worker_command)
    app.cli.add_command(events_group)
    app.cli.add_command(seed_demo_command)
