"""Participant exports (CSV for German Excel, XLSX) per event and across events."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Response, abort, render_template, request
from flask_babel import format_date

from app.backoffice.guard import backoffice_blueprint
from app.core.labels import FORMAT_LABELS_LONG
from app.core.timezone import BERLIN
from app.extensions import db
from app.feedback.rules import usefulness_by_format, wanted_topics
from app.models import Event, EventFormat, RegistrationStatus
from app.reporting.exports import ExportFilter, participant_rows, to_csv, to_xlsx
from app.reporting.forms import ExportForm
from app.reporting.statistics import programme_statistics

bp = backoffice_blueprint("reporting_admin", __name__)

MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(rows, filename: str, fmt: str) -> Response:
    if fmt not in MIME:
        abort(404)
    body = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    return Response(
        body,
        mimetype=MIME[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


def _statuses(value: str | None) -> tuple[RegistrationStatus, ...]:
    if value == "all":
        return ()
    return (RegistrationStatus.CONFIRMED,)


@bp.get("/events/<int:event_id>/export.<fmt>")
def event_export(event_id: int, fmt: str):
    event = db.get_or_404(Event, event_id)
    filters = ExportFilter(event_id=event.id, statuses=_statuses(request.args.get("status")))
    return _download(participant_rows(db.session, filters), f"teilnehmende-{event.slug}", fmt)


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BERLIN)


@bp.get("/exports")
def export_form():
    return render_template("admin/exports.html", form=ExportForm(request.args))


@bp.get("/exports/participants.<fmt>")
def export_participants(fmt: str):
    form = ExportForm(request.args)
    if not form.validate():
        return render_template("admin/exports.html", form=form), 422
    filters = ExportFilter(
        statuses=_statuses(form.status.data),
        format=EventFormat(form.format.data) if form.format.data else None,
        starts_from=_day_start(form.starts_from.data) if form.starts_from.data else None,
        starts_until=(
            _day_start(form.starts_until.data + timedelta(days=1))
            if form.starts_until.data
            else None
        ),
    )
    return _download(participant_rows(db.session, filters), "teilnehmende", fmt)


@bp.get("/statistics")
def statistics():
    year = request.args.get("year", type=int)
    stats = programme_statistics(db.session, year)
    if year is not None and year not in stats.years:
        year = None
        stats = programme_statistics(db.session)
    return render_template(
        "admin/statistics.html",
        stats=stats,
        year=year,
        format_chart=[
            (FORMAT_LABELS_LONG[fmt], t.registrations) for fmt, t in stats.by_format.items()
        ],
        land_chart=[(row.name, row.totals.registrations) for row in stats.by_land],
        month_chart=[
            (format_date(month, "MMMM yyyy"), t.registrations) for month, t in stats.by_month
        ],
        feedback_by_format=usefulness_by_format(db.session, year),
        wanted_topics=wanted_topics(db.session, year=year),
    )
