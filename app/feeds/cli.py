"""`flask feeds organiser-url`: make, renew or end the organisers' secret feed address."""

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
    """Make the organisers' feed address (all events, drafts included) and print it once.

    Only a hash of the address is stored, so an address already made cannot be printed again:
    then the command says so and leaves it alone; --new replaces it.
    """
    now = utcnow()
    if revoke:
        count = revoke_tokens(db.session, FeedScope.ORGANISERS, "", now)
        db.session.commit()
        click.echo(f"Revoked {count} address(es); the organisers' feed now answers 410 Gone.")
        return
    current = None if renew else active_token(db.session, FeedScope.ORGANISERS, "")
    if current is not None:
        click.echo(
            f"The organisers' feed has an address since {current.created_at:%Y-%m-%d %H:%M} UTC. "
            "It is stored hashed and cannot be shown again; run with --new for a new one "
            "(the current one then stops working)."
        )
        return
    row = issue_token(db.session, FeedScope.ORGANISERS, "", now)
    db.session.commit()
    click.echo(external_url("feeds.organiser_feed", token=row.token))
