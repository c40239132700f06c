"""`flask worker`: deliver the outbox and run the registered housekeeping jobs."""

from __future__ import annotations

import logging
import signal
import threading
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.mail import delivery

log = logging.getLogger(__name__)


@contextmanager
def stop_on_sigterm():
    """An event set by SIGTERM (what systemd, Docker and Kubernetes send to stop a service).

    Python's default would end the process at once, possibly between the server's 250 and
    the record of it; instead the worker finishes the message in flight and stops.
    """
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():  # signals reach main only
        yield stop
        return
    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGTERM, previous)


def warn_about_a_short_lease() -> None:
    config = current_app.config
    lease, timeout = config["MAIL_LEASE_SECONDS"], config["MAIL_TIMEOUT"]
    if lease < 3 * timeout:
        # An SMTP conversation is several replies, each allowed MAIL_TIMEOUT.
        log.warning(
            "MAIL_LEASE_SECONDS (%s) is less than 3 x MAIL_TIMEOUT (%s s): on a slow server "
            "another worker may take over a message in flight and send it a second time",
            lease,
            timeout,
        )


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due, then stop (for cron).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
@click.option(
    "--batch",
    default=100,
    show_default=True,
    help="Most mails per round (each claimed and recorded on its own).",
)
@with_appcontext
def worker_command(once: bool, interval: float, batch: int) -> None:
    """Deliver queued mail and run the housekeeping jobs (offer, opt-in and interest expiry,
    pruning of stored calendar VEVENTs).

    Safe to run in several processes or on several machines at once. SIGTERM stops it after
    the mail in flight.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    warn_about_a_short_lease()
    with stop_on_sigterm() as stop:
        try:
            report = delivery.run_worker(db.session, once, interval, batch=batch, stop=stop)
        except Exception as exc:  # --once only: one clear line and a non-zero exit for cron
            message = f"mail worker failed: {type(exc).__name__}: {exc}"
            raise click.ClickException(message) from exc
    if stop.is_set():
        log.info("worker stopped by SIGTERM")
    click.echo(f"mail: {report}")
