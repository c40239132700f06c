"""Attendance at the door: a phone-friendly list, QR entries, and the printable sign-in sheet."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.backoffice.guard import backoffice_blueprint
from app.booking.checkin_codes import checkin_code, find_by_checkin_code
from app.booking.operations import NotCheckable, registration_counts, set_attendance
from app.booking.search import confirmed_participants, search_registrations
from app.core.forms import ButtonForm
from app.extensions import db
from app.models import Attendance, Event, Registration, RegistrationStatus, utcnow

bp = backoffice_blueprint("checkin", __name__)

# The action in the URL -> the mark it sets: each mark by its own name, "undo" to take it back.
ACTIONS = {**{mark.value: mark for mark in Attendance}, "undo": None}


@bp.get("/checkin/<int:event_id>")
def checkin(event_id: int):
    event = db.get_or_404(Event, event_id)
    text = (request.args.get("q") or "").strip()
    if text:  # the search form, for phones without JavaScript
        rows = search_registrations(db.session, event.id, text, RegistrationStatus.CONFIRMED.value)
    else:
        rows = confirmed_participants(db.session, event.id)
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
        return _not_checkable(event_id, wants_json)
    db.session.commit()
    if wants_json:  # the check-in script updates the row in place: fast on a slow connection
        return _marked_json(event_id, registration)
    flash(_marked_message(action, registration.full_name), "success")
    return _back_after_mark(event_id, registration)


def _not_checkable(event_id: int, wants_json: bool):
    message = _("Nur bestätigte Teilnehmende können eingecheckt werden.")
    if wants_json:
        return jsonify(error=message), 409
    flash(message, "error")
    return redirect(url_for("checkin.checkin", event_id=event_id))


def _marked_json(event_id: int, registration: Registration):
    counts = registration_counts(db.session, event_id)
    return jsonify(
        id=registration.id,
        attendance=registration.attendance,
        attended=counts[Attendance.ATTENDED],
        no_show=counts[Attendance.NO_SHOW],
    )


def _marked_message(action: str, name: str) -> str:
    messages = {
        Attendance.ATTENDED: _("%(name)s ist als anwesend eingetragen.", name=name),
        Attendance.NO_SHOW: _("%(name)s ist als nicht erschienen eingetragen.", name=name),
        "undo": _("Der Eintrag für %(name)s wurde zurückgenommen.", name=name),
    }
    return messages[action]


def _back_after_mark(event_id: int, registration: Registration):
    """Back to the entry page the QR code opened, or to the row in the (searched) list."""
    if request.form.get("back") == "entry":
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
        "admin/sign_in_sheet.html", event=event, rows=confirmed_participants(db.session, event.id)
    )
