"""The one place where every domain's `flask` command group is registered."""

from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from app.backoffice.cli import users_group
    from app.feeds.cli import feeds_group
    from app.intake.cli import municipalities_group
    from app.mail.worker import worker_command
    from app.privacy.cli import privacy_group
    from app.programme.cli import events_group, seed_demo_command, topics_group

    for command in (
        worker_command,
        events_group,
        topics_group,
        seed_demo_command,
        users_group,
        feeds_group,
        municipalities_group,
        privacy_group,
    ):
        app.cli.add_command(command)
