"""The feedback form, reached through the participant's personal link, and the section on the
person's own page that leads to it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.booking.errors import RegistrationNotFound
from app.booking.registration import find_by_token
from app.core.i18n import format_date_berlin
from app.core.security import public_form_limit
from app.extensions import db, limiter
from app.feedback import rules
from app.feedback.forms import FeedbackAnswerForm
from app.models import Registration, Topic, utcnow

bp = Blueprint("feedback", __name__)


def _registration_or_404(token: str) -> Registration:
    try:
        return find_by_token(db.session, token)
    except RegistrationNotFound:
        abort(404)


@bp.app_template_global("feedback_state")
def feedback_state(registration: Registration) -> dict | None:
    """What the personal page offers: nothing before the event or for people not present."""
    now = utcnow()
    if not rules.may_answer(registration, now):
        return None
    event = registration.event
    closing = rules.closes_at(rules.settings_for(db.session, event), event)
    return {
        "answered": rules.answer_of(db.session, registration) is not None,
        "open": now < closing,
        "closing": format_date_berlin(closing),
    }


def _form(registration: Registration, settings, data=None) -> FeedbackAnswerForm:
    form = FeedbackAnswerForm(data=data)
    form.topics.choices = [
        (topic.id, topic.name) for topic in db.session.scalars(select(Topic).order_by(Topic.name))
    ]
    return form


def _stored(existing) -> dict | None:
    """The stored answer as form data, on GET only: what is sent replaces it entirely (a field
    left empty empties it)."""
    if existing is None or request.method != "GET":
        return None
    return {
        "usefulness": str(existing.usefulness),
        "will_use": existing.will_use,
        "missing": existing.missing,
        "comment": existing.comment,
        "topics": [topic.id for topic in existing.topics],
    }


def _submit(registration: Registration, form, existing, now, token: str):
    """Save a valid answer: a redirect, or the status of the page to show again."""
    if not form.validate():
        return 422
    try:
        rules.submit_answer(db.session, registration, form.answer(), now)
    except rules.FeedbackClosed:
        db.session.rollback()
        return 409
    db.session.commit()
    if existing:
        flash(_("Ihre Antwort ist geändert. Vielen Dank!"), "success")
    else:
        flash(_("Vielen Dank für Ihre Rückmeldung!"), "success")
    return redirect(url_for("feedback.answer", token=token))


@bp.route("/r/<token>/rueckmeldung", methods=["GET", "POST"])
@limiter.limit(public_form_limit, methods=["POST"])
def answer(token: str):
    registration = _registration_or_404(token)
    now = utcnow()
    if not rules.may_answer(registration, now):
        abort(404)
    event = registration.event
    settings = rules.settings_for(db.session, event)
    closing = rules.closes_at(settings, event)
    existing = rules.answer_of(db.session, registration)
    is_open = now < closing
    form = _form(registration, settings, _stored(existing))
    status = 200
    if form.is_submitted():
        outcome = _submit(registration, form, existing, now, token) if is_open else 409
        if not isinstance(outcome, int):
            return outcome
        status, is_open = outcome, is_open and outcome != 409
    page = render_template(
        "feedback/answer.html",
        form=form,
        settings=settings,
        event=event,
        token=token,
        answered=existing is not None,
        is_open=is_open,
        closing=format_date_berlin(closing),
    )
    return page, status
