"""Read-only catalogue endpoints. Times are ISO 8601 with the Berlin offset."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, jsonify, request

from app.api.openapi import MAX_PAGE, MAX_PER_PAGE, MONTH_PATTERN, openapi_document
from app.core.urls import external_url
from app.extensions import db
from app.models import Event, EventFormat, EventMode, utcnow
from app.programme.catalogue import (
    CatalogueFilter,
    SeatInfo,
    find_visible_event,
    search_events,
    seat_info,
)
from app.programme.catalogue_cache import cached

bp = Blueprint("api", __name__)

BERLIN = ZoneInfo("Europe/Berlin")


def iso(value):
    return value.astimezone(BERLIN).isoformat() if value else None


def event_json(event: Event, seats: SeatInfo) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "format": event.format.value,
        "summary": event.summary,
        "description": event.description,
        "topics": [{"slug": topic.slug, "name": topic.name} for topic in event.topics],
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "mode": event.mode.value,
        "venue": event.venue,
        "address": event.address,
        "status": event.status.value,
        "capacity": event.capacity,
        "seats_left": seats.left,
        "waitlist_only": seats.waitlist_only,
        "max_per_municipality": event.max_per_municipality,
        "registration_opens_at": iso(event.registration_opens_at),
        "registration_closes_at": iso(event.registration_deadline()),
        "registration_open": event.registration_open(utcnow()),
        "url": external_url("programme.event_detail", slug=event.slug),
        "register_url": external_url("booking.register", slug=event.slug),
    }


# A parameter given empty (``?page=``) is given: OpenAPI allows empty values only where the
# document says so (allowEmptyValue), and this one says so nowhere.


def _int_arg(name: str, default: int, lowest: int, highest: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()):  # int() would also take " 1", "1_0" and "٣"
        abort(400, description=f"{name} must be a whole number")
    value = int(raw)
    if not lowest <= value <= highest:
        abort(400, description=f"{name} must be between {lowest} and {highest}")
    return value


def _choice_arg(name: str, choices) -> None:
    raw = request.args.get(name)
    if raw is not None and raw not in choices:
        abort(400, description=f"{name} must be one of: {', '.join(choices)}")


def _filters_from_request() -> CatalogueFilter:
    """The catalogue's filters, but strict: a client's typo is a 400, not a silently wider list."""
    _choice_arg("format", [value.value for value in EventFormat])
    _choice_arg("mode", [value.value for value in EventMode])
    _choice_arg("past", ["0", "1"])
    filters = CatalogueFilter.from_args(request.args, archive=request.args.get("past") == "1")
    if "month" in request.args and not re.fullmatch(MONTH_PATTERN, request.args["month"]):
        abort(400, description="month must be YYYY-MM")
    return filters


@bp.get("/events")
def events():
    return cached("api-events", _events)


def _events():
    filters = _filters_from_request()
    per_page = _int_arg("per_page", current_app.config["CATALOGUE_PAGE_SIZE"], 1, MAX_PER_PAGE)
    page = search_events(
        db.session, filters, utcnow(), page=_int_arg("page", 1, 1, MAX_PAGE), per_page=per_page
    )
    return jsonify(
        {
            "items": [event_json(event, page.seats[event.id]) for event in page.items],
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
            "pages": page.pages,
        }
    )


@bp.get("/events/<slug>")
def event(slug: str):
    return cached("api-event", lambda: _event(slug))


def _event(slug: str):
    found = find_visible_event(db.session, slug) or abort(404, description="no such event")
    return jsonify(event_json(found, seat_info(db.session, [found])[found.id]))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
