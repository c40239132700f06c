"""Back-office pages of the intake under /admin/intake: pipeline, slots, municipality directory.

A blueprint of its own (the intake is its own module) behind the same login as /admin.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.backoffice.guard import backoffice_blueprint
from app.core.database import TryAgain
from app.core.forms import ButtonForm
from app.core.laender import LAENDER
from app.extensions import db
from app.intake.admin_forms import (
    STAGE_LABELS,
    AssignForm,
    MergeForm,
    NoteForm,
    SlotForm,
    StageForm,
)
from app.intake.consultation import (
    active_booking,
    bookings_by_slot,
    publish_slot,
    upcoming_slots,
    withdraw_slot,
)
from app.intake.errors import IntakeError, InvalidSlot
from app.intake.forms import STRATEGY_LABELS
from app.intake.municipalities import (
    MunicipalityError,
    directory,
    merge,
    near_duplicates,
    path_of,
    set_model_project,
)
from app.intake.pipeline import (
    PipelineFilter,
    add_note,
    assign,
    change_stage,
    contact_days,
    overdue,
    pipeline,
    stage_counts,
)
from app.models import (
    ConsultationSlot,
    ExpressionOfInterest,
    Municipality,
    PipelineStage,
    SlotChannel,
    Topic,
    utcnow,
)

BERLIN = ZoneInfo("Europe/Berlin")
bp = backoffice_blueprint("intake_admin", __name__)


def _actor() -> str:
    return current_user.display_name


def _button_or_400(form_class=ButtonForm):
    form = form_class()
    if not form.validate_on_submit():
        abort(400)
    return form


@bp.get("/")
def interest_list():
    now = utcnow()
    stage = request.args.get("stage", "")
    topic = request.args.get("topic", "")
    filters = PipelineFilter(
        stage=PipelineStage(stage) if stage in PipelineStage._value2member_map_ else None,
        state=request.args.get("state", "") if request.args.get("state") in LAENDER else "",
        assignee=request.args.get("assignee", "").strip(),
        topic_id=int(topic) if topic.isdigit() else None,
        search=request.args.get("q", "").strip()[:100],
        overdue_only=request.args.get("overdue") == "1",
    )
    return render_template(
        "intake/admin/interests.html",
        interests=pipeline(db.session, now, filters),
        overdue=overdue(db.session, now),
        counts=stage_counts(db.session),
        filters=filters,
        topics=db.session.scalars(select(Topic).order_by(Topic.name)).all(),
        stage_labels=STAGE_LABELS,
        laender=LAENDER,
        days=contact_days(),
        now=now,
    )


def _interest_or_404(interest_id: int) -> ExpressionOfInterest:
    return db.session.get(ExpressionOfInterest, interest_id) or abort(404)


@bp.get("/<int:interest_id>")
def interest_detail(interest_id: int):
    interest = _interest_or_404(interest_id)
    stage_form = StageForm(stage=interest.stage.value)
    return render_template(
        "intake/admin/interest.html",
        interest=interest,
        booking=active_booking(db.session, interest.id),
        stage_form=stage_form,
        assign_form=AssignForm(assignee=interest.assignee_name),
        note_form=NoteForm(),
        stage_labels=STAGE_LABELS,
        strategy_labels=STRATEGY_LABELS,
        laender=LAENDER,
    )


@bp.post("/<int:interest_id>/stage")
def interest_stage(interest_id: int):
    interest = _interest_or_404(interest_id)
    form = _button_or_400(StageForm)
    try:
        change_stage(db.session, interest, PipelineStage(form.stage.data), utcnow(), _actor())
    except IntakeError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Der Status ist geändert."), "success")
    return redirect(url_for("intake_admin.interest_detail", interest_id=interest_id))


@bp.post("/<int:interest_id>/assign")
def interest_assign(interest_id: int):
    interest = _interest_or_404(interest_id)
    form = _button_or_400(AssignForm)
    assign(db.session, interest, form.assignee.data or "", utcnow(), author=_actor())
    db.session.commit()
    flash(_("Die Zuständigkeit ist gespeichert."), "success")
    return redirect(url_for("intake_admin.interest_detail", interest_id=interest_id))


@bp.post("/<int:interest_id>/note")
def interest_note(interest_id: int):
    interest = _interest_or_404(interest_id)
    form = NoteForm()
    if form.validate_on_submit():
        add_note(db.session, interest, form.text.data, utcnow(), author=_actor())
        db.session.commit()
        flash(_("Die Notiz ist gespeichert."), "success")
    else:
        flash(_("Bitte schreiben Sie eine Notiz."), "error")
    return redirect(url_for("intake_admin.interest_detail", interest_id=interest_id))


@bp.route("/slots", methods=["GET", "POST"])
def slot_list():
    now = utcnow()
    form = SlotForm()
    if request.method == "GET":
        form.organiser_name.data = current_user.name or ""
        form.organiser_email.data = current_user.email
    if form.validate_on_submit():
        try:
            _publish(form, now)
        except InvalidSlot as error:
            db.session.rollback()
            form.day.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Der Termin ist veröffentlicht."), "success")
            return redirect(url_for("intake_admin.slot_list"))
    slots = upcoming_slots(db.session, now)
    bookings = bookings_by_slot(db.session, slots)
    status = 422 if form.errors else 200
    return render_template(
        "intake/admin/slots.html", slots=slots, bookings=bookings, form=form, button=ButtonForm()
    ), status


def _publish(form: SlotForm, now) -> None:
    local = datetime.combine(form.day.data, form.time.data, tzinfo=BERLIN)
    own = form.organiser_email.data.strip().lower() == current_user.email.lower()
    publish_slot(
        db.session,
        local.astimezone(UTC),
        form.duration_minutes.data,
        SlotChannel(form.channel.data),
        form.organiser_name.data,
        form.organiser_email.data,
        now,
        access_details=form.access_details.data or "",
        organiser_id=current_user.id if own else None,
    )


@bp.post("/slots/<int:slot_id>/withdraw")
def slot_withdraw(slot_id: int):
    _button_or_400()
    if db.session.get(ConsultationSlot, slot_id) is None:
        abort(404)
    try:
        withdraw_slot(db.session, slot_id, utcnow())
    except TryAgain:
        db.session.rollback()
        flash(_("Gerade ist viel los. Bitte versuchen Sie es noch einmal."), "error")
    else:
        db.session.commit()
        flash(_("Der Termin ist zurückgezogen."), "success")
    return redirect(url_for("intake_admin.slot_list"))


@bp.get("/municipalities")
def municipality_list():
    flag = request.args.get("mpsc", "")
    municipalities = directory(
        db.session,
        search=request.args.get("q", "").strip()[:100],
        state=request.args.get("state", "") if request.args.get("state") in LAENDER else "",
        model_project={"1": True, "0": False}.get(flag),
    )
    return render_template(
        "intake/admin/municipalities.html",
        municipalities=municipalities,
        duplicates=near_duplicates(db.session),
        merge_form=MergeForm(),
        laender=LAENDER,
    )


def _municipality_or_404(municipality_id: int) -> Municipality:
    return db.session.get(Municipality, municipality_id) or abort(404)


@bp.get("/municipalities/<int:municipality_id>")
def municipality_detail(municipality_id: int):
    municipality = _municipality_or_404(municipality_id)
    return render_template(
        "intake/admin/municipality.html",
        municipality=municipality,
        entries=path_of(db.session, municipality),
        button=ButtonForm(),
        laender=LAENDER,
    )


@bp.post("/municipalities/<int:municipality_id>/model-project")
def municipality_model_project(municipality_id: int):
    municipality = _municipality_or_404(municipality_id)
    _button_or_400()
    flag = not municipality.is_model_project
    set_model_project(db.session, municipality, flag, utcnow(), _actor(), source="von Hand")
    db.session.commit()
    flash(_("Gespeichert."), "success")
    return redirect(url_for("intake_admin.municipality_detail", municipality_id=municipality_id))


@bp.post("/municipalities/merge")
def municipality_merge():
    form = _button_or_400(MergeForm)
    if not (form.source_id.data.isdigit() and form.target_id.data.isdigit()):
        abort(400)
    source = _municipality_or_404(int(form.source_id.data))
    target = _municipality_or_404(int(form.target_id.data))
    try:
        merge(db.session, source, target, utcnow(), _actor())
    except MunicipalityError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("intake_admin.municipality_list"))
    db.session.commit()
    flash(_("Die Einträge sind zusammengeführt."), "success")
    return redirect(url_for("intake_admin.municipality_detail", municipality_id=target.id))
