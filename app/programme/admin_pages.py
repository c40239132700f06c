"""Programme views: list, create, edit, duplicate, preview, publish, unpublish, cancel, audit."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app.backoffice.guard import backoffice_blueprint
from app.booking.allocation import waitlist
from app.booking.errors import BookingError, CapacityBelowConfirmed
from app.booking.operations import registration_counts
from app.booking.reminders import format_reminder_days, parse_reminder_days
from app.core.audit import entries_for_event, record
from app.core.forms import ButtonForm
from app.core.timezone import to_local, to_utc
from app.extensions import db
from app.models import Event, EventFormat, EventMode, EventStatus, WaitlistMode, utcnow
from app.models.event import ModelProjectPolicy
from app.programme import changes as programme
from app.programme.catalogue import all_topics, seat_info
from app.programme.event_input import TopicTaken, resolve_topics
from app.programme.events import create_event, duplicate_event
from app.programme.forms import CancelEventForm, EventForm

bp = backoffice_blueprint("programme_admin", __name__)

# Form fields that map one to one onto event columns (capacity and topics are handled apart).
PLAIN_FIELDS = ("title", "summary", "description", "venue", "address", "online_url")
TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


@bp.get("/")
def index():
    return redirect(url_for("programme_admin.event_list"))


@bp.get("/events")
def event_list():
    show = request.args.get("show", "upcoming")
    now = utcnow()
    query = select(Event)
    if show == "past":
        query = query.where(Event.starts_at < now).order_by(Event.starts_at.desc())
    elif show == "all":
        query = query.order_by(Event.starts_at.desc())
    else:
        show = "upcoming"
        query = query.where(Event.starts_at >= now).order_by(Event.starts_at)
    events = list(db.session.scalars(query))
    return render_template(
        "admin/events.html", events=events, seats=seat_info(db.session, events), show=show
    )


def _topic_choices(form: EventForm) -> None:
    form.topics.choices = [(topic.id, topic.name) for topic in all_topics(db.session)]


def _form_values(form: EventForm) -> dict:
    values = {name: (getattr(form, name).data or "").strip() for name in PLAIN_FIELDS}
    values.update({name: to_utc(getattr(form, name).data) for name in TIME_FIELDS})
    values.update(
        format=EventFormat(form.format.data),
        mode=EventMode(form.mode.data),
        waitlist_mode=WaitlistMode(form.waitlist_mode.data),
        max_per_municipality=form.max_per_municipality.data or None,
        offer_hours=form.offer_hours.data,
        priority_newcomers=bool(form.priority_newcomers.data),
        model_projects=ModelProjectPolicy(form.model_projects.data),
        reminder_days=format_reminder_days(parse_reminder_days(form.reminder_days.data or "")),
        preparation=(form.preparation.data or "").strip(),
    )
    return values


@bp.route("/events/new", methods=["GET", "POST"])
def event_create():
    form = EventForm()
    _topic_choices(form)
    if form.validate_on_submit():
        values = dict(_form_values(form), capacity=form.capacity.data)
        try:
            topics = resolve_topics(db.session, form.topics.data or [], form.new_topics.data or "")
        except TopicTaken as error:
            db.session.rollback()
            _show_refusal(form, error)
            return _form_page(form, None, 422)
        event = create_event(db.session, current_user, values, utcnow(), topics)
        db.session.commit()
        flash(_("Die Veranstaltung wurde als Entwurf angelegt."), "success")
        return redirect(url_for("programme_admin.event_detail", event_id=event.id))
    return _form_page(form, None, 422 if form.errors else 200)


@bp.get("/events/<int:event_id>")
def event_detail(event_id: int):
    event = db.get_or_404(Event, event_id)
    return render_template(
        "admin/event_detail.html",
        event=event,
        counts=registration_counts(db.session, event.id),
        seats=seat_info(db.session, [event])[event.id],
        button=ButtonForm(),
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def event_edit(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = _edit_form(event)
    if not form.validate_on_submit():
        return _form_page(form, event, 422 if form.errors else 200)
    edit = programme.EventEdit(
        values=_form_values(form),
        capacity=form.capacity.data,
        topic_ids=form.topics.data or [],
        new_topics=form.new_topics.data or "",
        notify_description=form.notify_description.data,
    )
    try:
        promoted = programme.edit_event(db.session, current_user, event.id, edit, utcnow())
    except (BookingError, TopicTaken) as error:
        db.session.rollback()  # all or nothing: not even the capacity is kept
        _show_refusal(form, error)
        return _form_page(form, event, 422)
    db.session.commit()
    if promoted:
        flash(_promoted_message(len(promoted)), "success")
    flash(_("Die Änderungen sind gespeichert."), "success")
    return redirect(url_for("programme_admin.event_detail", event_id=event_id))


def _show_refusal(form: EventForm, error: Exception) -> None:
    """A refused create or edit, as a field error where one field is the reason."""
    if isinstance(error, CapacityBelowConfirmed):
        form.capacity.errors.append(
            _(
                "%(held)d Plätze sind bereits vergeben. Die Kapazität kann nicht "
                "darunter sinken; stornieren Sie zuerst Anmeldungen.",
                held=error.confirmed,
            )
        )
    elif isinstance(error, TopicTaken):
        form.new_topics.errors.append(
            _(
                "„%(name)s“ ist zu nah am vorhandenen Thema „%(existing)s“ (gleiche Adresse "
                "im Themenfilter). Bitte wählen Sie „%(existing)s“ in der Liste aus oder "
                "nennen Sie das neue Thema anders.",
                name=error.name,
                existing=error.existing.name,
            )
        )
    elif isinstance(error, programme.EventIsCancelled):
        flash(
            _(
                "Die Änderungen konnten nicht gespeichert werden: Eine abgesagte "
                "Veranstaltung lässt sich nicht mehr bearbeiten."
            ),
            "error",
        )
    else:
        flash(_("Diese Änderung ist im jetzigen Zustand nicht möglich."), "error")


def _promoted_message(count: int) -> str:
    return ngettext(
        "%(num)d Person ist von der Warteliste nachgerückt.",
        "%(num)d Personen sind von der Warteliste nachgerückt.",
        count,
    )


def _form_page(form: EventForm, event: Event | None, status: int):
    return render_template("admin/event_form.html", form=form, event=event), status


def _edit_form(event: Event) -> EventForm:
    """The edit form: filled from the event on GET, from the request on POST."""
    if request.method != "GET":
        form = EventForm()
        _topic_choices(form)
        return form
    form = EventForm(obj=event)
    _topic_choices(form)
    form.format.data = event.format.value
    form.mode.data = event.mode.value
    form.waitlist_mode.data = event.waitlist_mode.value
    form.model_projects.data = event.model_projects.value
    form.topics.data = [topic.id for topic in event.topics]
    for name in TIME_FIELDS:
        getattr(form, name).data = to_local(getattr(event, name))
    return form


def _button_or_400() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


@bp.post("/events/<int:event_id>/duplicate")
def event_duplicate(event_id: int):
    _button_or_400()
    db.get_or_404(Event, event_id)
    copy = duplicate_event(db.session, current_user, event_id, utcnow())
    db.session.commit()
    flash(_("Die Kopie wurde als Entwurf angelegt. Bitte passen Sie den Termin an."), "success")
    return redirect(url_for("programme_admin.event_edit", event_id=copy.id))


@bp.get("/events/<int:event_id>/preview")
def event_preview(event_id: int):
    event = db.get_or_404(Event, event_id)
    seats = seat_info(db.session, [event])[event.id]
    flash(_("Vorschau: So sieht die Seite für Besucherinnen und Besucher aus."), "info")
    return render_template(
        "public/event.html",
        event=event,
        seats=seats,
        registration_open=False,
        waitlist_length=len(waitlist(db.session, event.id)),
        now=utcnow(),
    )


def _status_change(event_id: int, action: str, change, message: str):
    _button_or_400()
    event = db.get_or_404(Event, event_id)
    before = {"status": event.status.value}
    try:
        change(db.session, event_id, utcnow())
    except BookingError as error:
        db.session.rollback()
        if getattr(error, "count", None):
            flash(
                _(
                    "Es gibt %(num)d aktive Anmeldungen. Eine Veranstaltung mit Anmeldungen "
                    "kann nicht zurückgezogen werden; sagen Sie sie stattdessen ab.",
                    num=error.count,
                ),
                "error",
            )
        else:
            flash(_("Diese Änderung ist im jetzigen Zustand nicht möglich."), "error")
        return redirect(url_for("programme_admin.event_detail", event_id=event_id))
    event = db.session.get(Event, event_id)
    record(db.session, current_user, action, event, before, {"status": event.status.value})
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("programme_admin.event_detail", event_id=event_id))


@bp.post("/events/<int:event_id>/publish")
def event_publish(event_id: int):
    return _status_change(
        event_id,
        "event.published",
        programme.publish_event,
        _("Die Veranstaltung ist veröffentlicht."),
    )


@bp.post("/events/<int:event_id>/unpublish")
def event_unpublish(event_id: int):
    return _status_change(
        event_id,
        "event.unpublished",
        programme.unpublish_event,
        _("Die Veranstaltung ist wieder ein Entwurf und öffentlich nicht mehr sichtbar."),
    )


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
def event_cancel(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = CancelEventForm()
    if event.status == EventStatus.CANCELLED:
        flash(_("Diese Veranstaltung ist bereits abgesagt."), "info")
        return redirect(url_for("programme_admin.event_detail", event_id=event_id))
    if form.validate_on_submit():
        before = {"status": event.status.value, "cancel_reason": event.cancel_reason}
        programme.cancel_event(db.session, event_id, form.reason.data.strip(), utcnow())
        event = db.session.get(Event, event_id)
        after = {"status": event.status.value, "cancel_reason": event.cancel_reason}
        record(db.session, current_user, "event.cancelled", event, before, after)
        db.session.commit()
        flash(
            _("Die Veranstaltung ist abgesagt; die Teilnehmenden werden benachrichtigt."), "success"
        )
        return redirect(url_for("programme_admin.event_detail", event_id=event_id))
    counts = registration_counts(db.session, event.id)
    status = 422 if form.errors else 200
    return render_template("admin/event_cancel.html", event=event, form=form, counts=counts), status


@bp.get("/events/<int:event_id>/audit")
def event_audit(event_id: int):
    event = db.get_or_404(Event, event_id)
    entries = [
        (entry, json.loads(entry.before or "{}"), json.loads(entry.after or "{}"))
        for entry in entries_for_event(db.session, event.id)
    ]
    return render_template("admin/audit.html", event=event, entries=entries)
