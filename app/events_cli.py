"""`flask events add` and `flask events import`: the programme from the command line."""

from __future__ import annotations

import click

events_group = click.Group("events", help="Manage the programme of events.")
