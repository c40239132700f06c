"""Start Smart intake: expressions of interest, initial consultations, the pipeline and the
municipality directory."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The worker lets unconfirmed expressions of interest lapse."""
    from app.intake.interest import expire_interests_job
    from app.mail.housekeeping import register_job

    register_job(app, "interest_expiry", expire_interests_job)
