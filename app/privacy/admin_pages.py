"""Data protection in the back office: find, export (Art. 15) and erase (Art. 17) by e-mail."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField
from wtforms.validators import DataRequired, Email, Length

from app.backoffice.guard import backoffice_blueprint
from app.core.forms import SingleLine
from app.extensions import db
from app.models import utcnow
from app.privacy.access import export_person, summary
from app.privacy.erasure import ErasureReport, erase_person, recent_erasures, record_person_action

bp = backoffice_blueprint("privacy_admin", __name__)


class PersonForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse an.")),
            SingleLine(),
            Email(
                message=_l("Bitte geben Sie eine gültige E-Mail-Adresse an."),
                check_deliverability=False,
            ),
            Length(max=254, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
    )


class EraseForm(PersonForm):
    confirm = BooleanField(
        _l(
            "Die Person hat die Löschung verlangt; ihre Anmeldungen werden storniert und "
            "ihre Daten unwiderruflich anonymisiert."
        ),
        validators=[DataRequired(_l("Bitte bestätigen Sie die Löschung."))],
    )


def _page(
    form: PersonForm,
    found: dict | None = None,
    status: int = 200,
    erase: EraseForm | None = None,
):
    if erase is None and found:
        erase = EraseForm(formdata=None, data={"email": form.email.data})
    return (
        render_template(
            "admin/privacy.html",
            form=form,
            found=found,
            erase=erase,
            erasures=recent_erasures(db.session),
        ),
        status,
    )


# The address travels in POST bodies, not in URLs, so it never lands in access logs.
@bp.get("/privacy")
def privacy_search():
    return _page(PersonForm(formdata=None))


@bp.post("/privacy")
def privacy_find():
    form = PersonForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    return _page(form, export_person(db.session, form.email.data, utcnow()))


@bp.post("/privacy/export")
def privacy_export():
    form = PersonForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    now = utcnow()
    data = export_person(db.session, form.email.data, now)
    record_person_action(db.session, current_user, "privacy.exported", now, summary(data))
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="auskunft-{now:%Y%m%d-%H%M%S}.json"'
        },
    )


@bp.post("/privacy/erase")
def privacy_erase():
    form = EraseForm()
    if not form.validate_on_submit():
        return _erase_refused(form)
    report = erase_person(db.session, current_user, form.email.data, utcnow())
    db.session.commit()
    _flash_erasure(report)
    return redirect(url_for("privacy_admin.privacy_search"))


def _erase_refused(form: EraseForm):
    # The person's data stays on the page (when the address is valid), the errors with it.
    valid = form.email.data and not form.email.errors
    found = export_person(db.session, form.email.data, utcnow()) if valid else None
    search = PersonForm(formdata=None, data={"email": form.email.data})
    return _page(search, found, 422, erase=form)


def _flash_erasure(report: ErasureReport) -> None:
    if not report.anything:
        flash(_("Zu dieser E-Mail-Adresse ist nichts gespeichert."), "info")
        return
    flash(
        _(
            "Gelöscht: %(registrations)d Anmeldungen anonymisiert (davon %(cancelled)d "
            "storniert), %(interests)d Interessensbekundungen anonymisiert (davon "
            "%(consultations)d Beratungstermine abgesagt), %(mails)d E-Mails gelöscht, "
            "%(feeds)d Kalender-Abos beendet.",
            registrations=report.registrations,
            cancelled=report.cancelled,
            interests=report.interests,
            consultations=report.consultations_cancelled,
            mails=report.mails_deleted,
            feeds=report.feeds_deleted,
        ),
        "success",
    )
