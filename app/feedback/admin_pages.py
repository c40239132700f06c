"""Back office: an event's feedback (counts, response rate, chart, free texts without names),
its questions and closing date, the request mail on demand, and the exports."""

from __future__ import annotations

from datetime import datetime, time

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.backoffice.guard import backoffice_blueprint
from app.core.audit import record
from app.core.forms import ButtonForm
from app.core.timezone import BERLIN, to_local
from app.extensions import db
from app.feedback import rules
from app.feedback.exports import HEADERS, feedback_rows
from app.feedback.forms import FeedbackSettingsForm
from app.feedback.mail import render_request
from app.models import Event, utcnow
from app.reporting.exports import to_csv, to_xlsx

bp = backoffice_blueprint("feedback_admin", __name__)

MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _settings_form(event: Event) -> FeedbackSettingsForm:
    settings = rules.settings_for(db.session, event)
    data = {name: getattr(settings, name) for name in rules.OPTIONAL_QUESTIONS}
    data["closes_on"] = to_local(settings.closes_at).date() if settings.closes_at else None
    return FeedbackSettingsForm(data=data)


def _page(event: Event, form: FeedbackSettingsForm, status: int = 200):
    settings = rules.settings_for(db.session, event)
    summary = rules.event_summary(db.session, event.id)
    return (
        render_template(
            "feedback/admin_event.html",
            event=event,
            summary=summary,
            settings=settings,
            closes_at=rules.closes_at(settings, event),
            is_open=rules.is_open(db.session, event, utcnow()),
            ended=event.ends_at <= utcnow(),
            form=form,
            button=ButtonForm(),
            chart=[(str(score), count) for score, count in summary.distribution.items()],
        ),
        status,
    )


@bp.get("/events/<int:event_id>/feedback")
def event_feedback(event_id: int):
    event = db.get_or_404(Event, event_id)
    return _page(event, _settings_form(event))


@bp.post("/events/<int:event_id>/feedback/settings")
def event_feedback_settings(event_id: int):
    event = db.get_or_404(Event, event_id)
    form = FeedbackSettingsForm()
    if not form.validate_on_submit():
        return _page(event, form, 422)
    closing = None
    if form.closes_on.data:
        # Through the whole of the chosen day, Berlin time.
        closing = datetime.combine(form.closes_on.data, time(23, 59, 59), BERLIN)
        if closing <= event.ends_at:
            form.closes_on.errors = [_("Das Datum muss nach dem Ende der Veranstaltung liegen.")]
            return _page(event, form, 422)
    questions = {name: getattr(form, name).data for name in rules.OPTIONAL_QUESTIONS}
    rules.save_settings(db.session, event, questions, closing)
    record(
        db.session,
        current_user,
        "event.feedback_settings",
        event,
        {},
        {**questions, "closes_at": closing.isoformat() if closing else None},
    )
    db.session.commit()
    flash(_("Die Fragen der Umfrage sind gespeichert."), "success")
    return redirect(url_for("feedback_admin.event_feedback", event_id=event.id))


@bp.post("/events/<int:event_id>/feedback/request")
def event_feedback_request(event_id: int):
    event = db.get_or_404(Event, event_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    now = utcnow()
    if not rules.is_open(db.session, event, now):
        flash(
            _(
                "Die Umfrage ist nicht offen: Die Veranstaltung ist noch nicht vorbei oder "
                "die Umfrage ist geschlossen."
            ),
            "error",
        )
        return redirect(url_for("feedback_admin.event_feedback", event_id=event.id))
    sent = rules.request_feedback(db.session, event.id, now, render_request)
    if sent:
        record(db.session, current_user, "event.feedback_requested", event, {}, {"mails": sent})
    db.session.commit()
    if sent:
        flash(
            ngettext(
                "%(num)d Bitte um Rückmeldung verschickt.",
                "%(num)d Bitten um Rückmeldung verschickt.",
                sent,
            ),
            "success",
        )
    else:
        flash(_("Alle Anwesenden haben die Bitte um Rückmeldung bereits erhalten."), "info")
    return redirect(url_for("feedback_admin.event_feedback", event_id=event.id))


@bp.get("/events/<int:event_id>/feedback.<fmt>")
def event_feedback_export(event_id: int, fmt: str):
    event = db.get_or_404(Event, event_id)
    if fmt not in MIME:
        abort(404)
    rows = feedback_rows(db.session, event.id)
    body = to_csv(rows, HEADERS) if fmt == "csv" else to_xlsx(rows, HEADERS, "Rückmeldungen")
    # The slug is made of ASCII letters, digits and hyphens (programme.event_input.slugify).
    return Response(
        body,
        mimetype=MIME[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="rueckmeldungen-{event.slug}.{fmt}"'
        },
    )
