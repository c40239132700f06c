"""The booking domain: registration, opt-in, seat allocation, waiting list, expiry, check-in.

Functions here take a SQLAlchemy session and return results or raise a BookingError; they never
touch the request. They do not commit: the caller commits, which ends the lock early.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The worker's expiry jobs, and the check-in QR code for the confirmation mails."""
    from app.booking.checkin_codes import (
        CHECKIN_QR_CID,
        checkin_qr_data_uri,
        checkin_qr_for_mail,
        checkin_url,
    )
    from app.booking.registration import expire_offers, expire_pending
    from app.booking.reminders import send_due_reminders
    from app.mail.housekeeping import register_job
    from app.mail.message import register_inline_image

    register_job(app, "pending_expiry", expire_pending)
    register_job(app, "offer_expiry", expire_offers)
    register_job(app, "reminders", send_due_reminders)
    register_inline_image(app, CHECKIN_QR_CID, checkin_qr_for_mail)
    app.add_template_global(checkin_qr_data_uri, "checkin_qr_data_uri")
    app.add_template_global(checkin_url, "checkin_url")
    _reminder_globals(app)


def _reminder_globals(app: Flask) -> None:
    """What the personal page and the back office show about reminders."""
    from app.booking import reminders
    from app.extensions import db
    from app.models import utcnow

    app.add_template_global(reminders.event_reminder_days, "reminder_days_of")
    app.add_template_global(
        lambda event: reminders.reminders_ahead(event, utcnow()), "reminders_ahead"
    )
    app.add_template_global(
        lambda registration: reminders.reminders_off(db.session, registration), "reminders_off"
    )
    app.add_template_global(
        lambda event: reminders.reminder_counts(db.session, event.id), "event_reminder_counts"
    )
