"""Registrations of an event: table, counts, and the organiser's actions on one person."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.backoffice.guard import backoffice_blueprint
from app.booking.admin_forms import (
    CancelRegistrationForm,
    FilterForm,
    MoveForm,
    PhoneRegistrationForm,
    PromoteForm,
)
from app.booking.allocation import Allocation, waitlist_position, waitlist_positions
from app.booking.errors import DuplicateRegistration
from app.booking.operations import (
    EventFull,
    NotWaitlisted,
    SameEvent,
    cancel_on_behalf,
    enter_phone_registration,
    move_registration,
    promote_out_of_order,
    registration_counts,
    resend_mail,
)
from app.booking.search import search_registrations
from app.core.forms import ButtonForm
from app.core.laender import PLEASE_CHOOSE
from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, utcnow

bp = backoffice_blueprint("booking_admin", __name__)

S = RegistrationStatus


@bp.get("/events/<int:event_id>/registrations")
def registration_list(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = FilterForm(request.args)
    text, status = (form.q.data or "").strip(), form.status.data or ""
    rows = search_registrations(db.session, event.id, text, status)
    positions = waitlist_positions(db.session, event)  # one ordering for the whole page
    return render_template(
        "admin/registrations.html",
        event=event,
        form=form,
        rows=rows,
        positions=positions,
        counts=registration_counts(db.session, event.id),
    )


@bp.route("/events/<int:event_id>/registrations/new", methods=["GET", "POST"])
def registration_phone(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = PhoneRegistrationForm()
    if form.validate_on_submit():
        try:
            registration, allocation = enter_phone_registration(
                db.session, current_user, event.id, form.applicant(), utcnow()
            )
        except DuplicateRegistration:
            db.session.rollback()
            form.email.errors.append(
                _("Für diese E-Mail-Adresse gibt es schon eine Anmeldung zu dieser Veranstaltung.")
            )
        else:
            db.session.commit()
            flash(_phone_entry_message(allocation), "success")
            return redirect(
                url_for("booking_admin.registration_detail", registration_id=registration.id)
            )
    status = 422 if form.errors else 200
    return render_template("admin/registration_phone.html", event=event, form=form), status


def _phone_entry_message(allocation: Allocation) -> str:
    if allocation.status == S.CONFIRMED:
        return _("Die Anmeldung ist eingetragen und bestätigt.")
    return _("Die Anmeldung ist eingetragen: Warteliste, Platz %(pos)d.", pos=allocation.position)


def registration_or_404(registration_id: int) -> Registration:
    return db.session.get(Registration, registration_id) or abort(404)


def _move_choices(registration: Registration) -> list[tuple[int | str, str]]:
    events = db.session.scalars(
        select(Event)
        .where(
            Event.id != registration.event_id,
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > utcnow(),
        )
        .order_by(Event.starts_at)
    )
    choices = [(e.id, f"{e.title} ({format_date(e.starts_at, 'medium')})") for e in events]
    # An empty first option: nobody is moved to the next event by an overlooked default (and
    # HTML wants one in a required select).
    return [("", PLEASE_CHOOSE), *choices] if choices else []


def _detail(registration: Registration, status: int = 200, **forms):
    move_form = forms.get("move_form") or MoveForm(formdata=None)
    move_form.target_event.choices = _move_choices(registration)
    return render_template(
        "admin/registration_detail.html",
        registration=registration,
        event=registration.event,
        position=waitlist_position(db.session, registration),
        promote_form=forms.get("promote_form") or PromoteForm(None, prefix="promote"),
        cancel_form=forms.get("cancel_form") or CancelRegistrationForm(None, prefix="cancel"),
        move_form=move_form,
        button=ButtonForm(),
        S=S,
    ), status


@bp.get("/registrations/<int:registration_id>")
def registration_detail(registration_id: int):
    return _detail(registration_or_404(registration_id))


def _back(registration_id: int):
    return redirect(url_for("booking_admin.registration_detail", registration_id=registration_id))


@bp.post("/registrations/<int:registration_id>/promote")
def registration_promote(registration_id: int):
    registration = registration_or_404(registration_id)
    form = PromoteForm(prefix="promote")
    if not form.validate_on_submit():
        return _detail(registration, 422, promote_form=form)
    try:
        promote_out_of_order(
            db.session,
            current_user,
            registration_id,
            form.reason.data.strip(),
            utcnow(),
            add_seat=form.add_seat.data,
        )
    except EventFull:
        db.session.rollback()
        form.add_seat.errors.append(
            _(
                "Alle Plätze sind vergeben. Kreuzen Sie an, dass ein Platz zusätzlich geschaffen "
                "wird, oder erhöhen Sie die Kapazität."
            )
        )
        return _detail(registration_or_404(registration_id), 422, promote_form=form)
    except NotWaitlisted:
        db.session.rollback()
        flash(_("Diese Person steht nicht auf der Warteliste."), "error")
        return _back(registration_id)
    db.session.commit()
    flash(_("Die Person ist nachgerückt und wird per E-Mail benachrichtigt."), "success")
    return _back(registration_id)


@bp.post("/registrations/<int:registration_id>/cancel")
def registration_cancel(registration_id: int):
    registration = registration_or_404(registration_id)
    form = CancelRegistrationForm(prefix="cancel")
    if not form.validate_on_submit():
        return _detail(registration, 422, cancel_form=form)
    cancel_on_behalf(db.session, current_user, registration_id, form.reason.data.strip(), utcnow())
    db.session.commit()
    flash(_("Die Anmeldung ist storniert; die Person wird per E-Mail benachrichtigt."), "success")
    return _back(registration_id)


@bp.post("/registrations/<int:registration_id>/move")
def registration_move(registration_id: int):
    registration = registration_or_404(registration_id)
    form = MoveForm()
    form.target_event.choices = _move_choices(registration)
    if not form.validate_on_submit():
        return _detail(registration, 422, move_form=form)
    try:
        moved, allocation = move_registration(
            db.session, current_user, registration_id, form.target_event.data, utcnow()
        )
    except DuplicateRegistration:
        db.session.rollback()
        form.target_event.errors.append(
            _("Für diese Veranstaltung gibt es mit dieser E-Mail-Adresse schon eine Anmeldung.")
        )
        return _detail(registration_or_404(registration_id), 422, move_form=form)
    except (SameEvent, NotWaitlisted):
        db.session.rollback()
        flash(_("Diese Anmeldung kann nicht umgebucht werden."), "error")
        return _back(registration_id)
    db.session.commit()
    if allocation.status == S.CONFIRMED:
        flash(_("Umgebucht: Die Anmeldung ist bestätigt."), "success")
    else:
        flash(_("Umgebucht: Warteliste, Platz %(pos)d.", pos=allocation.position), "success")
    return _back(moved.id)


@bp.post("/registrations/<int:registration_id>/resend")
def registration_resend(registration_id: int):
    registration_or_404(registration_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    resend_mail(db.session, current_user, registration_id)
    db.session.commit()
    flash(_("Die E-Mail wurde erneut verschickt."), "success")
    return _back(registration_id)
