"""Feed endpoints and the self-service actions for a person's secret feed URL.

Views stay thin: the validator is checked first, and the feed is built only when the client's
copy is out of date.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from app.booking.errors import RegistrationNotFound
from app.booking.registration import find_by_token
from app.calendar.feeds import FeedEntry, FeedEvent, build_feed
from app.calendar.links import google_calendar_url, outlook_calendar_url, webcal_url
from app.core.forms import ButtonForm
from app.core.lru import LRUCache
from app.core.urls import external_url
from app.extensions import db
from app.feeds import queries
from app.feeds.store import vevent_store
from app.feeds.tokens import active_token, find_token, issue_token, revoke_tokens
from app.intake import feed as consultation_feed
from app.models import FeedScope, Registration, utcnow
from app.programme.catalogue import find_visible_event

bp = Blueprint("feeds", __name__)
# Where a just-issued personal feed address waits (in the person's own session cookie) for the
# page the button leads back to, which shows it once: only its hash is stored.
NEW_FEED_URL = "new_personal_feed_url"

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Built public feeds by ETag: Google polls without validators, and gets the same bytes again
# at the cost of the validator query. Personal feeds are never kept.
public_bodies: LRUCache[bytes] = LRUCache(size=32)


def calendar_response(
    validator: queries.Validator,
    build: Callable[[], bytes],
    *,
    public: bool,
    filename: str | None = None,
) -> Response:
    """200 with the built feed, or 304 without building it when the client's copy is current."""
    if request.headers.get("If-None-Match"):
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2); weak comparison.
        fresh = request.if_none_match.contains_weak(validator.etag)
    else:
        since = request.if_modified_since
        fresh = since is not None and validator.last_modified <= since
    if fresh:
        response = Response(status=304)
    else:
        body = public_bodies.get((validator.etag,)) if public else None
        if body is None:
            body = build()
            if public:
                public_bodies.put((validator.etag,), body)
        response = Response(body, content_type=CONTENT_TYPE)
    response.set_etag(validator.etag)
    response.last_modified = validator.last_modified
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = 300
    else:
        # Secret URLs: no shared cache may keep a copy; the client revalidates every time.
        response.cache_control.private = True
        response.cache_control.no_cache = True
        response.headers["X-Robots-Tag"] = "noindex"
    if filename and not fresh:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/calendar.ics")
def public_feed():
    filters = queries.public_filter(request.args)
    now = utcnow()
    validator = queries.public_validator(db.session, filters, now)
    return calendar_response(
        validator,
        lambda: build_feed(
            queries.public_entries(db.session, filters, now),
            queries.public_feed_name(filters),
            _("Kick-offs, Themenwerkstätten und Peer-Learnings von Start Smart"),
            store=vevent_store,
        ),
        public=True,
    )


@bp.get("/events/<slug>/calendar.ics")
def event_download(slug: str):
    event = find_visible_event(db.session, slug) or abort(404)
    validator = queries.make_validator("event", event.updated_at, event.id)
    return calendar_response(
        validator,
        lambda: build_feed([FeedEntry(FeedEvent.of(event))], event.title, store=vevent_store),
        public=True,
        filename=f"{event.slug}.ics",
    )


def _live_token(scope: FeedScope, token: str):
    row = find_token(db.session, scope, token)
    if row is None:
        abort(404)
    if row.is_revoked:
        abort(410)  # the owner replaced or ended this URL
    return row


@bp.get("/feeds/personal/<token>.ics")
def personal_feed(token: str):
    row = _live_token(FeedScope.PERSONAL, token)
    now = utcnow()
    email = row.email_normalised
    return calendar_response(
        queries.personal_validator(db.session, email, now),
        lambda: build_feed(
            queries.personal_entries(db.session, email, now),
            _("Start Smart: Meine Veranstaltungen"),
            store=vevent_store,
        ),
        public=False,
    )


@bp.get("/feeds/organisers/<token>.ics")
def organiser_feed(token: str):
    _live_token(FeedScope.ORGANISERS, token)
    now = utcnow()
    # With the intake's consultation slots: a booked or freed slot must change the ETag too.
    since = now - queries.KEEP_PAST
    events = queries.organiser_validator(db.session, now)
    slots_tag, slots_changed = consultation_feed.slots_fingerprint(db.session, since)
    validator = queries.Validator(
        events.etag[:16] + slots_tag,
        max(events.last_modified, (slots_changed or events.last_modified).replace(microsecond=0)),
    )
    return calendar_response(
        validator,
        lambda: consultation_feed.with_vevents(
            build_feed(
                queries.organiser_entries(db.session, now),
                _("Start Smart: alle Veranstaltungen (Organisation)"),
                store=vevent_store,
            ),
            consultation_feed.slot_vevents(db.session, since, now),
        ),
        public=False,
    )


# Self-service: the person's secret feed URL ------------------------------------------------


def _confirmed_owner(token: str) -> Registration:
    """The registration behind a self-service link, if its e-mail address has been confirmed.

    Before the opt-in, nobody has shown that they read that mailbox, so no feed of its
    registrations may be handed out.
    """
    try:
        registration = find_by_token(db.session, token)
    except RegistrationNotFound:
        abort(404)
    if registration.email_confirmed_at is None:
        abort(403)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return registration


@bp.post("/r/<token>/calendar-feed")
def issue_personal_feed(token: str):
    registration = _confirmed_owner(token)
    had_one = active_token(db.session, FeedScope.PERSONAL, registration.email_normalised)
    row = issue_token(db.session, FeedScope.PERSONAL, registration.email_normalised, utcnow())
    db.session.commit()
    session[NEW_FEED_URL] = external_url("feeds.personal_feed", token=row.token)
    if had_one:
        flash(
            _("Ihr Kalender-Abo hat eine neue Adresse. Die bisherige gilt nicht mehr."), "success"
        )
    else:
        flash(_("Ihr persönliches Kalender-Abo ist eingerichtet."), "success")
    return redirect(url_for("booking.manage", token=token) + "#kalender-abo")


@bp.post("/r/<token>/calendar-feed/revoke")
def revoke_personal_feed(token: str):
    registration = _confirmed_owner(token)
    revoke_tokens(db.session, FeedScope.PERSONAL, registration.email_normalised, utcnow())
    db.session.commit()
    session.pop(NEW_FEED_URL, None)
    flash(_("Ihr Kalender-Abo ist beendet. Die Adresse gilt nicht mehr."), "success")
    return redirect(url_for("booking.manage", token=token) + "#kalender-abo")


# Template helpers ---------------------------------------------------------------------------


def live_personal_feed(registration: Registration):
    """The person's live feed token (its row; the address itself is not stored), or None."""
    if registration.email_confirmed_at is None:
        return None
    return active_token(db.session, FeedScope.PERSONAL, registration.email_normalised)


def new_personal_feed_url() -> str | None:
    """The address just issued by the button, once: the page that shows it takes it away."""
    return session.pop(NEW_FEED_URL, None)


def calendar_links(event) -> dict[str, str]:
    """Every way to put ``event`` (or the whole programme) into a calendar."""
    event_url = external_url("programme.event_detail", slug=event.slug)
    programme = external_url("feeds.public_feed")
    return {
        "ics": external_url("feeds.event_download", slug=event.slug),
        "google": google_calendar_url(event, event_url),
        "outlook": outlook_calendar_url(event, event_url),
        "programme_https": programme,
        "programme_webcal": webcal_url(programme),
        "format_https": external_url("feeds.public_feed", format=event.format.value),
        "format_webcal": webcal_url(external_url("feeds.public_feed", format=event.format.value)),
    }


@bp.app_context_processor
def feed_helpers():
    return {
        "calendar_links": calendar_links,
        "live_personal_feed": live_personal_feed,
        "new_personal_feed_url": new_personal_feed_url,
        "webcal_url": webcal_url,
    }
