"""Catalogue, archive and event pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from app.extensions import db
from app.models import EventFormat, EventMode, utcnow
from app.programme.catalogue import (
    CatalogueFilter,
    all_topics,
    find_visible_event,
    search_events,
    seat_info,
)
from app.programme.catalogue_cache import cached

bp = Blueprint("programme", __name__)


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def _listing(template: str, archive: bool):
    filters = CatalogueFilter.from_args(request.args, archive=archive)
    page = search_events(
        db.session,
        filters,
        utcnow(),
        page=_page_number(),
        per_page=current_app.config["CATALOGUE_PAGE_SIZE"],
    )
    return render_template(
        template,
        page=page,
        filters=filters,
        topics=all_topics(db.session),
        formats=list(EventFormat),
        modes=list(EventMode),
    )


@bp.get("/")
def index():
    return cached("index", lambda: _listing("public/index.html", archive=False))


@bp.get("/archiv")
def archive():
    return cached("archive", lambda: _listing("public/archive.html", archive=True))


@bp.get("/events/<slug>")
def event_detail(slug: str):
    return cached("event", lambda: _event_page(slug))


def _event_page(slug: str):
    event = find_visible_event(db.session, slug) or abort(404)
    now = utcnow()
    seats = seat_info(db.session, [event])[event.id]
    return render_template(
        "public/event.html",
        event=event,
        seats=seats,
        registration_open=event.registration_open(now),
        waitlist_length=seats.waitlisted if seats.waitlist_only else 0,
        now=now,
    )
