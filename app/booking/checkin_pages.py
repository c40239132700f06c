"""Attendance at the door: a phone-friendly list, QR entries, and the printable sign-in sheet."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.backoffice.guard import backoffice_blueprint
from app.booking.admin_pages import search_registrations
from app.booking.checkin_codes import checkin_code, find_by_checkin_code
from app.booking.operations import (
    ATTENDED,
    NO_SHOW,
    NotCheckable,
    registration_counts,
    set_attendance,
)
from app.core.forms import ButtonForm
from app.extensions import db
from app.models import Event, Registration, RegistrationStatus, utcnow

bp = backoffice_blueprint("checkin", __name__)

ACTIONS = {"attended": ATTENDED, "no_show": NO_SHOW, "undo": None}


def confirmed_participants(event_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
            .order_by(Registration.last_name, Registration.first_name)
        )
    )


@bp.get("/checkin/<int:event_id>")
def checkin(event_id: int):
    event = db.get_or_404(Event, event_id)
    text = (request.args.get("q") or "").strip()
    if text:  # the search form, for phones without JavaScript
        rows = search_registrations(event.id, text, RegistrationStatus.CONFIRMED.value)
    else:
        rows = confirmed_participants(event.id)
    return render_template(
        "admin/checkin.html",
        event=event,
        rows=rows,
        q=text,
        counts=registration_counts(db.session, event.id),
        button=ButtonForm(),
    )


@bp.get("/checkin/<int:event_id>/code/<code>")
def checkin_entry(event_id: int, code: str):
    """Where the QR code in the confirmation mail leads: this one person, ready to check in."""
    event = db.get_or_404(Event, event_id)
    registration = find_by_checkin_code(db.session, event.id, code) or abort(404)
    return render_template(
        "admin/checkin_entry.html", event=event, registration=registration, button=ButtonForm()
    )


@bp.post("/checkin/<int:event_id>/registrations/<int:registration_id>/<action>")
def checkin_mark(event_id: int, registration_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        set_attendance(db.session, current_user, registration_id, ACTIONS[action], utcnow())
    except NotCheckable:
        db.session.rollback()
        message = _("Nur bestätigte Teilnehmende können eingecheckt werden.")
        if wants_json:
            return jsonify(error=message), 409
        flash(message, "error")
        return redirect(url_for("checkin.checkin", event_id=event_id))
    db.session.commit()
    if wants_json:  # the check-in script updates the row in place: fast on a slow connection
        counts = registration_counts(db.session, event_id)
        return jsonify(
            id=registration.id,
            attendance=registration.attendance,
            attended=counts["attended"],
            no_show=counts["no_show"],
        )
    name = registration.full_name
    messages = {
        "attended": _("%(name)s ist als anwesend eingetragen.", name=name),
        "no_show": _("%(name)s ist als nicht erschienen eingetragen.", name=name),
        "undo": _("Der Eintrag für %(name)s wurde zurückgenommen.", name=name),
    }
    flash(messages[action], "success")
    target = request.form.get("back")
    if target == "entry":
        code = checkin_code(registration)
        return redirect(url_for("checkin.checkin_entry", event_id=event_id, code=code))
    return redirect(
        url_for("checkin.checkin", event_id=event_id, q=request.form.get("q") or None)
        + f"#r{registration.id}"
    )


@bp.get("/events/<int:event_id>/sign-in-sheet")
def sign_in_sheet(event_id: int):
    event = db.get_or_404(Event, event_id)
    return render_template(
        "admin/sign_in_sheet.html", event=event, rows=confirmed_participants(event.id)
    )
