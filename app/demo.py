"""Demo data so that a newcomer sees a working catalogue at once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when events exist already.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load topics and demo events."""
    click.echo("not yet")
