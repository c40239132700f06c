"""Registration form, opt-in confirmation and the personal self-service page.

Links in mails only ever lead to pages; every change is a POST from a button on that page,
because mail scanners open every link they find.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.booking.allocation import waitlist_position
from app.booking.errors import (
    DuplicateRegistration,
    ModelProjectExcluded,
    RegistrationClosed,
    RegistrationNotFound,
)
from app.booking.forms import RegistrationForm
from app.booking.registration import (
    accept_offer,
    cancel_registration,
    confirm_email,
    decline_offer,
    find_by_token,
    submit_registration,
)
from app.core.forms import ButtonForm
from app.core.i18n import current_language
from app.core.security import public_form_limit
from app.extensions import db, limiter
from app.models import Event, RegistrationStatus, utcnow
from app.programme.catalogue import find_visible_event, seat_info

bp = Blueprint("booking", __name__)


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(public_form_limit, methods=["POST"])
def register(slug: str):
    event = find_visible_event(db.session, slug) or abort(404)
    now = utcnow()
    form = RegistrationForm()
    if not event.registration_open(now):
        return render_template("public/register_closed.html", event=event), 200
    if form.validate_on_submit():
        if form.website.data:  # honeypot filled in: pretend success, store nothing
            return redirect(url_for("booking.registration_sent", slug=slug))
        done = _submit(event, slug, form, now)
        if done is not None:
            return done
    seats = seat_info(db.session, [event])[event.id]
    status = 422 if form.errors else 200
    return render_template("public/register.html", event=event, form=form, seats=seats), status


def _submit(event: Event, slug: str, form: RegistrationForm, now: datetime):
    """Submit the form: a redirect when it is done, None when the form shows a field error."""
    try:
        submit_registration(db.session, event, form.applicant(current_language()), now)
    except DuplicateRegistration:
        # The same answer as for a new registration, so that nobody can find out from the page
        # whether an address is registered; the address itself gets its link again.
        db.session.commit()  # keeps the queued reminder with the personal link
        return redirect(url_for("booking.registration_sent", slug=slug))
    except ModelProjectExcluded:
        db.session.rollback()
        form.municipality.errors.append(model_project_excluded_message())
    except RegistrationClosed:
        db.session.rollback()
        flash(_("Die Anmeldung zu dieser Veranstaltung ist nicht mehr möglich."), "error")
        return redirect(url_for("programme.event_detail", slug=slug))
    else:
        db.session.commit()
        return redirect(url_for("booking.registration_sent", slug=slug))
    return None


@bp.get("/events/<slug>/register/sent")
def registration_sent(slug: str):
    event = find_visible_event(db.session, slug) or abort(404)
    return render_template("public/register_sent.html", event=event)


def _registration_or_404(token: str):
    try:
        return find_by_token(db.session, token)
    except RegistrationNotFound:
        abort(404)


@bp.get("/r/<token>")
def manage(token: str):
    registration = _registration_or_404(token)
    return render_template(
        "public/manage.html",
        registration=registration,
        # The page's buttons post to the link it was opened with: only its hash is stored.
        token=token,
        event=registration.event,
        position=waitlist_position(db.session, registration),
        form=ButtonForm(),
        now=utcnow(),
        S=RegistrationStatus,
    )


def model_project_excluded_message() -> str:
    return _(
        "Diese Veranstaltung steht geförderten Modellprojekten Smart Cities nicht offen. Ihre "
        "Kommune ist als Modellprojekt eingetragen; bei Fragen wenden Sie sich bitte an uns."
    )


def _post_action(token: str, action):
    """Run one self-service action from its button; returns the action's result or a response."""
    _registration_or_404(token)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        result = action(db.session, token, utcnow())
    except RegistrationClosed:
        db.session.rollback()
        flash(_("Die Anmeldung zu dieser Veranstaltung ist nicht mehr möglich."), "error")
        return None
    except ModelProjectExcluded:
        db.session.rollback()
        flash(model_project_excluded_message(), "error")
        return None
    db.session.commit()
    return result


def _back_to(token: str):
    return redirect(url_for("booking.manage", token=token))


@bp.post("/r/<token>/confirm")
@limiter.limit(public_form_limit)
def confirm(token: str):
    result = _post_action(token, confirm_email)
    if result is not None and result.allocation is not None:
        if result.allocation.status == RegistrationStatus.CONFIRMED:
            flash(
                _("Vielen Dank! Ihre Anmeldung ist bestätigt, Ihr Platz ist reserviert."), "success"
            )
        else:
            flash(
                _(
                    "Vielen Dank! Alle Plätze sind vergeben: Sie stehen auf Platz %(position)d "
                    "der Warteliste.",
                    position=result.allocation.position or 0,
                ),
                "success",
            )
    return _back_to(token)


@bp.post("/r/<token>/cancel")
@limiter.limit(public_form_limit)
def cancel(token: str):
    if _post_action(token, cancel_registration) is not None:
        flash(_("Ihre Anmeldung ist storniert."), "success")
    return _back_to(token)


@bp.post("/r/<token>/accept")
@limiter.limit(public_form_limit)
def accept(token: str):
    message = _("Sie haben den Platz angenommen. Wir freuen uns auf Sie!")
    return _answer_offer(token, accept_offer, RegistrationStatus.CONFIRMED, message)


@bp.post("/r/<token>/decline")
@limiter.limit(public_form_limit)
def decline(token: str):
    message = _("Sie haben den Platz freigegeben. Danke!")
    return _answer_offer(token, decline_offer, RegistrationStatus.CANCELLED, message)


def _answer_offer(token: str, action, outcome: RegistrationStatus, message: str):
    """Accept or decline; the message only when it took effect (the offer may have lapsed)."""
    registration = _post_action(token, action)
    if registration is not None and registration.status == outcome:
        flash(message, "success")
    return _back_to(token)
