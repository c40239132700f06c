"""Public intake pages: the expression-of-interest form, its personal page, booking a slot.

Links in mails only lead to pages; every change is a POST from a button on that page.
"""

from __future__ import annotations

from contextlib import suppress

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.database import TryAgain
from app.core.forms import ButtonForm
from app.core.i18n import current_language
from app.core.security import public_form_limit
from app.extensions import db, limiter
from app.intake.consultation import active_booking, book_slot, cancel_consultation, open_slots
from app.intake.errors import (
    DuplicateInterest,
    InterestNotFound,
    NotConfirmed,
    SlotTaken,
    SlotUnavailable,
)
from app.intake.forms import STRATEGY_LABELS, BookSlotForm, InterestForm
from app.intake.interest import (
    InterestApplication,
    confirm_interest,
    find_by_token,
    submit_interest,
)
from app.models import InterestStatus, SizeClass, StrategyStage, Topic, utcnow

bp = Blueprint("intake", __name__)


@bp.route("/interessensbekundung", methods=["GET", "POST"])
@limiter.limit(public_form_limit, methods=["POST"])
def interest_form():
    form = InterestForm()
    form.topics.choices = [
        (topic.id, topic.name) for topic in db.session.scalars(select(Topic).order_by(Topic.name))
    ]
    # A filled-in honeypot (website) gets the same success page, and nothing is stored.
    if form.validate_on_submit():
        if not form.website.data:
            _submit(form)
        return redirect(url_for("intake.interest_sent"))
    status = 422 if form.errors else 200
    return render_template("intake/form.html", form=form), status


def _submit(form: InterestForm) -> None:
    """Store the expression of interest, or (for a repeat) send its link again.

    Both end on the same page: nobody can find out from it whether an address is known.
    """
    # For a repeat the reminder with the personal link is queued; the commit keeps it.
    with suppress(DuplicateInterest):
        submit_interest(db.session, _application(form), utcnow())
    db.session.commit()


def _application(form: InterestForm) -> InterestApplication:
    return InterestApplication(
        municipality=form.municipality.data,
        state=form.state.data,
        ags=form.ags.data or "",
        size_class=SizeClass(form.size_class.data),
        strategy_stage=StrategyStage(form.strategy_stage.data),
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        email=form.email.data,
        phone=form.phone.data or "",
        role=form.role.data or "",
        message=form.message.data or "",
        topic_ids=list(form.topics.data or []),
        language=current_language(),
    )


@bp.get("/interessensbekundung/gesendet")
def interest_sent():
    return render_template("intake/sent.html")


def _interest_or_404(token: str):
    try:
        return find_by_token(db.session, token)
    except InterestNotFound:
        abort(404)


@bp.get("/interessensbekundung/<token>")
def manage(token: str):
    interest = _interest_or_404(token)
    now = utcnow()
    booking = active_booking(db.session, interest.id)
    slots = open_slots(db.session, now) if interest.status == InterestStatus.CONFIRMED else []
    return render_template(
        "intake/manage.html",
        interest=interest,
        # The page's buttons post to the link it was opened with: only its hash is stored.
        token=token,
        booking=booking,
        slots=slots,
        form=ButtonForm(),
        strategy_labels=STRATEGY_LABELS,
        S=InterestStatus,
    )


def _check_button(token: str):
    _interest_or_404(token)
    if not ButtonForm().validate_on_submit():
        abort(400)


# The buttons are limited like every other self-service button: booking or cancelling sends
# two mails, and each press is a lookup of a guessed token.
@bp.post("/interessensbekundung/<token>/bestaetigen")
@limiter.limit(public_form_limit)
def confirm(token: str):
    _check_button(token)
    interest = confirm_interest(db.session, token, utcnow())
    db.session.commit()
    if interest.status == InterestStatus.CONFIRMED:
        flash(_("Vielen Dank! Ihre Interessensbekundung ist bestätigt."), "success")
    return redirect(url_for("intake.manage", token=token))


@bp.post("/interessensbekundung/<token>/termin")
@limiter.limit(public_form_limit)
def book(token: str):
    _interest_or_404(token)
    form = BookSlotForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        book_slot(db.session, token, int(form.slot_id.data), utcnow())
    except SlotTaken:
        db.session.rollback()
        flash(_("Dieser Termin wurde gerade vergeben. Bitte wählen Sie einen anderen."), "error")
    except SlotUnavailable:
        db.session.rollback()
        flash(_("Dieser Termin ist nicht mehr verfügbar. Bitte wählen Sie einen anderen."), "error")
    except NotConfirmed:
        db.session.rollback()
        flash(_("Bitte bestätigen Sie zuerst Ihre Interessensbekundung."), "error")
    except TryAgain:
        db.session.rollback()
        flash(
            _("Gerade ist viel los. Bitte versuchen Sie es in einem Moment noch einmal."), "error"
        )
    else:
        db.session.commit()
        flash(_("Ihr Termin ist gebucht. Die Einladung kommt per E-Mail."), "success")
    return redirect(url_for("intake.manage", token=token))


@bp.post("/interessensbekundung/<token>/termin/absagen")
@limiter.limit(public_form_limit)
def cancel(token: str):
    _check_button(token)
    try:
        booking = cancel_consultation(db.session, token, utcnow())
    except TryAgain:
        db.session.rollback()
        flash(
            _("Gerade ist viel los. Bitte versuchen Sie es in einem Moment noch einmal."), "error"
        )
        return redirect(url_for("intake.manage", token=token))
    db.session.commit()
    if booking is not None:
        flash(_("Ihr Termin ist abgesagt."), "success")
    return redirect(url_for("intake.manage", token=token))
