"""The privacy notice (Datenschutzhinweise): what is stored, why, and for how long."""

from __future__ import annotations

from email.utils import parseaddr

from flask import Blueprint, current_app, render_template

bp = Blueprint("privacy", __name__)


@bp.get("/datenschutz")
def privacy_notice():
    config = current_app.config
    return render_template(
        "public/privacy.html",
        months=config["ANONYMISE_AFTER_MONTHS"],
        interest_months=config["INTEREST_RETENTION_MONTHS"],
        mail_days=config["MAIL_BODY_RETENTION_DAYS"],
        pending_hours=config["PENDING_EXPIRY_HOURS"],
        contact=parseaddr(config["MAIL_DEFAULT_SENDER"] or "")[1],
    )
