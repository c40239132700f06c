"""`flask feeds organiser-url`: show, renew or end the organisers' secret feed address."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.urls import external_url
from app.extensions import db
from app.feeds.tokens import active_token, issue_token, revoke_tokens
from app.models import FeedScope, utcnow

feeds_group = AppGroup("feeds", help="The organisers' calendar feed.")


@feeds_group.command("organiser-url")
@click.option("--new", "renew", is_flag=True, help="Issue a new address; the old one stops.")
@click.option("--revoke", is_flag=True, help="End the address without issuing a new one.")
def organiser_url_command(renew: bool, revoke: bool) -> None:
    """Print the organisers' feed address (all events, drafts included), making one if needed."""
    now = utcnow()
    if revoke:
        count = revoke_tokens(db.session, FeedScope.ORGANISERS, "", now)
        db.session.commit()
        click.echo(f"Revoked {count} address(es); the organisers' feed now answers 410 Gone.")
        return
    row = None if renew else active_token(db.session, FeedScope.ORGANISERS, "")
    if row is None:
        row = issue_token(db.session, FeedScope.ORGANISERS, "", now)
        db.session.commit()
    click.echo(external_url("feeds.organiser_feed", token=row.token))
