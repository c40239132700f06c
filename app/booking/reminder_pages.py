"""The participant's switch for reminder mails, from their personal page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _

from app.booking.errors import RegistrationNotFound
from app.booking.registration import find_by_token
from app.booking.reminders import set_reminders
from app.core.forms import ButtonForm
from app.core.security import public_form_limit
from app.extensions import db, limiter
from app.models import utcnow

bp = Blueprint("reminders", __name__)


def _switch(token: str, wanted: bool, message: str):
    try:
        registration = find_by_token(db.session, token)
    except RegistrationNotFound:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    set_reminders(db.session, registration, wanted, utcnow())
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("booking.manage", token=token) + "#erinnerungen")


@bp.post("/r/<token>/reminders/off")
@limiter.limit(public_form_limit)
def reminders_off(token: str):
    return _switch(token, False, _("Sie erhalten keine Erinnerungen per E-Mail mehr."))


@bp.post("/r/<token>/reminders/on")
@limiter.limit(public_form_limit)
def reminders_on(token: str):
    return _switch(token, True, _("Sie erhalten wieder Erinnerungen per E-Mail."))
