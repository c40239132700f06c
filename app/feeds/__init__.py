"""Calendar feeds: the public programme, one event, a person's own events, the organisers' view,
the secret feed tokens and the store of built VEVENTs."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The worker prunes VEVENTs stored for past versions of events."""
    from app.feeds.store import prune_job
    from app.mail.housekeeping import register_job

    register_job(app, "feed_pruning", prune_job)
