"""`flask privacy anonymise`: remove personal data after the retention period (for cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

privacy_group = AppGroup(
    "privacy", help="Data protection (DSGVO): anonymise what has outlived its retention period."
)


@privacy_group.command("anonymise")
@click.option(
    "--months",
    type=click.IntRange(min=1),
    default=None,
    help="Anonymise registrations of events that ended more than this many months ago "
    "(default: ANONYMISE_AFTER_MONTHS).",
)
@click.option(
    "--interest-months",
    type=click.IntRange(min=1),
    default=None,
    help="Anonymise expressions of interest (and their consultations' mails and notes) idle "
    "for more than this many months (default: INTEREST_RETENTION_MONTHS).",
)
def anonymise_command(months: int | None, interest_months: int | None) -> None:
    """Anonymise registrations of past events and idle expressions of interest.

    Idempotent: safe to run daily from cron.
    """
    from app.models import utcnow
    from app.privacy.retention import anonymise_expired

    months = months or current_app.config["ANONYMISE_AFTER_MONTHS"]
    interest_months = interest_months or current_app.config["INTEREST_RETENTION_MONTHS"]
    try:
        report = anonymise_expired(db.session, utcnow(), months, interest_months)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        raise click.ClickException(f"anonymising failed: {type(exc).__name__}: {exc}") from exc
    click.echo(
        f"privacy: {report} (registrations older than {months} months, expressions of "
        f"interest idle for {interest_months} months)"
    )
