"""Statistics page: registrations, attendance and reach, with charts drawn as inline SVG."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import format_date
from flask_babel import gettext as _

from app.admin import bp
from app.extensions import db
from app.models import EventFormat
from app.statistics import programme_statistics


def format_names() -> dict[EventFormat, str]:
    return {
        EventFormat.KICKOFF: _("Kick-off-Veranstaltung"),
        EventFormat.WORKSHOP: _("Themenwerkstatt"),
        EventFormat.PEER_LEARNING: _("Peer-Learning"),
    }


@bp.get("/statistics")
def statistics():
    year = request.args.get("year", type=int)
    stats = programme_statistics(db.session, year)
    if year is not None and year not in stats.years:
        year = None
        stats = programme_statistics(db.session)
    names = format_names()
    return render_template(
        "admin/statistics.html",
        stats=stats,
        year=year,
        format_chart=[(names[fmt], t.registrations) for fmt, t in stats.by_format.items()],
        land_chart=[(row.name, row.totals.registrations) for row in stats.by_land],
        month_chart=[
            (format_date(month, "MMMM yyyy"), t.registrations) for month, t in stats.by_month
        ],
    )
