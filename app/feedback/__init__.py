"""Feedback after an event: the request mail, the participants' form, the organisers' summary."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The worker sends the request mails and ends the answers' link to people."""
    from app.feedback.rules import feedback_job
    from app.mail.housekeeping import register_job

    register_job(app, "feedback", feedback_job)
