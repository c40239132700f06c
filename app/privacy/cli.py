"""`flask privacy anonymise`: remove personal data after the retention period (for cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

privacy_group = AppGroup("privacy", help="Data protection (DSGVO): anonymise old registrations.")


@privacy_group.command("anonymise")
@click.option(
    "--months",
    type=click.IntRange(min=1),
    default=None,
    help="Anonymise registrations of events that ended more than this many months ago "
    "(default: ANONYMISE_AFTER_MONTHS).",
)
def anonymise_command(months: int | None) -> None:
    """Anonymise the registrations of past events. Idempotent: safe to run daily from cron."""
    from app.models import utcnow
    from app.privacy.retention import anonymise_expired

    months = months or current_app.config["ANONYMISE_AFTER_MONTHS"]
    try:
        report = anonymise_expired(db.session, utcnow(), months)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        raise click.ClickException(f"anonymising failed: {type(exc).__name__}: {exc}") from exc
    click.echo(f"privacy: {report} (older than {months} months)")
