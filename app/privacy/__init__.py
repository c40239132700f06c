"""Data protection (DSGVO): retention and anonymisation, access and erasure, the privacy notice."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The worker empties the bodies of mails delivered long enough ago."""
    from app.mail.housekeeping import register_job
    from app.privacy.retention import blank_mails_job

    register_job(app, "mail_body_blanking", blank_mails_job)
