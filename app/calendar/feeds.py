"""Subscription feeds (RFC 5545 + RFC 7986): events in, iCalendar bytes out.

A feed carries no METHOD, so no client takes it for a scheduling message (RFC 5545 3.7.2); it
names itself (RFC 7986 NAME, and X-WR-CALNAME for Outlook, Apple and Google), asks to be
refreshed hourly (RFC 7986 5.7 REFRESH-INTERVAL), and gives every event a UID of its own: the
invite UIDs are per participant, and a client holding both an invitation and a subscription must
keep them apart.
DTSTAMP is the event's last change: for a calendar without METHOD, RFC 5545 3.8.7.2 lets it
stand for that, and it makes each VEVENT a pure function of the event row.

Speed: icalendar needs about a millisecond per event to build and fold a VEVENT. Each VEVENT is
built by the library once per version of the event (the cache key holds every value it shows)
and kept, in memory and (for the shared feeds) in the database, so that a restarted process
need not build them again; a feed joins the VEVENTs into a calendar shell that the library also
built. So only changed events cost anything, and no line is ever written by hand.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple, Protocol

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Calendar, vText
from icalendar import Event as VEvent

from app.calendar.invites import PRODID, location_line
from app.calendar.timezone import BERLIN, TZID, berlin_vtimezone
from app.core.lru import LRUCache
from app.core.urls import base_host, external_url
from app.models import Event, EventMode, EventStatus

log = logging.getLogger(__name__)

REFRESH = timedelta(hours=1)
END_CALENDAR = b"END:VCALENDAR\r\n"


class FeedEvent(NamedTuple):
    """The columns of an event that a feed shows: read as plain rows, no ORM objects.

    Hydrating a thousand ORM objects costs more than everything else in a feed; a row tuple is
    also hashable, so it is the VEVENT cache key itself.
    """

    id: int
    slug: str
    title: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    mode: EventMode
    venue: str
    address: str
    online_url: str
    status: EventStatus
    cancel_reason: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, event: Event) -> FeedEvent:
        return cls(*(getattr(event, name) for name in cls._fields))

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_draft(self) -> bool:
        return self.status == EventStatus.DRAFT


FEED_COLUMNS = tuple(getattr(Event, name) for name in FeedEvent._fields)


@dataclass(frozen=True)
class FeedEntry:
    """One event as one feed shows it."""

    event: FeedEvent
    cancelled: bool = False  # the event, or this person's seat at it, was cancelled
    online_url: str = ""  # only in feeds of confirmed participants and organisers
    notes: tuple[str, ...] = ()  # extra description paragraphs (seat counts, personal link)
    busy: bool = False  # TRANSP:OPAQUE in a personal feed; catalogue feeds do not block time


@dataclass
class FeedStats:
    """Counts feed builds, so tests and the benchmark can see a 304 built nothing."""

    builds: int = 0
    vevents_built: int = 0


stats = FeedStats()


# VEVENT bytes by everything they show (see vevents_bytes); bounded, so that a long-running
# process does not grow without end.
vevent_cache: LRUCache[bytes] = LRUCache(size=20000)


def feed_uid(event: Event) -> str:
    return f"event-{event.id}@{base_host()}"


def _summary(entry: FeedEntry) -> str:
    event = entry.event
    if entry.cancelled or event.is_cancelled:
        return _("Abgesagt: %(title)s", title=event.title)
    if event.is_draft:
        return _("Entwurf: %(title)s", title=event.title)
    return event.title


def _status(entry: FeedEntry) -> str:
    if entry.cancelled or entry.event.is_cancelled:
        return "CANCELLED"
    return "TENTATIVE" if entry.event.is_draft else "CONFIRMED"


def build_vevent(entry: FeedEntry) -> VEvent:
    event = entry.event
    page = None if event.is_draft else external_url("programme.event_detail", slug=event.slug)
    description = [event.summary or event.title]
    if event.is_cancelled:
        description.append(_("Diese Veranstaltung wurde abgesagt."))
        if event.cancel_reason:
            description.append(event.cancel_reason)
    if entry.online_url and not entry.cancelled and not event.is_cancelled:
        description.append(_("Online-Zugang: %(url)s", url=entry.online_url))
    description.extend(entry.notes)
    if page:
        description.append(_("Details und Anmeldung: %(url)s", url=page))
    vevent = VEvent.new(
        uid=feed_uid(event),
        stamp=event.updated_at,
        last_modified=event.updated_at,
        created=event.created_at,
        start=event.starts_at.astimezone(BERLIN),
        end=event.ends_at.astimezone(BERLIN),
        summary=_summary(entry),
        description="\n\n".join(description),
        location=location_line(event) or None,
        url=page,
        status=_status(entry),
        transparency="OPAQUE" if entry.busy else "TRANSPARENT",
    )
    return vevent


def storable(entry: FeedEntry) -> bool:
    """Entries of the shared feeds are stored; personal ones (with links and notes) are not."""
    return not entry.notes and not entry.online_url


def store_key(key: tuple) -> str:
    # repr of strings, numbers, enums and aware datetimes is the same in every process.
    return hashlib.sha256(repr(key).encode("utf-8")).hexdigest()


class VEventStore(Protocol):
    """Where built VEVENTs are kept between processes (the feeds keep them in the database)."""

    def load(self, digests: list[str]) -> dict[str, bytes]: ...

    def save(self, bodies: dict[str, bytes]) -> None: ...


def vevents_bytes(
    entries: list[FeedEntry], context: tuple, store: VEventStore | None = None
) -> list[bytes]:
    """The VEVENTs of ``entries``: from memory, else from ``store``, else built.

    ``context`` holds what the text depends on beyond the entry: base URL and language. Only
    the store's misses are built by icalendar (about half a millisecond each), so a feed costs
    little even in a freshly started process.
    """
    keys = [(context, entry) for entry in entries]
    found = {key: vevent_cache.get(key) for key in keys}
    missing = [key for key in keys if found[key] is None]
    wanted = [store_key(key) for key in missing if storable(key[1])]
    stored = store.load(wanted) if store is not None and wanted else {}
    to_store = {}
    for key in missing:
        body = stored.get(store_key(key)) if storable(key[1]) else None
        if body is None:
            body = build_vevent(key[1]).to_ical()
            stats.vevents_built += 1
            if storable(key[1]):
                to_store[store_key(key)] = body
        vevent_cache.put(key, body)
        found[key] = body
    if store is not None and to_store:
        store.save(to_store)
    return [found[key] for key in keys]


def feed_shell(name: str, description: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", vText(name))  # RFC 7986
    calendar.add("x-wr-calname", vText(name))  # Outlook, Apple, Google
    if description:
        calendar.add("x-wr-caldesc", vText(description))
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(berlin_vtimezone())
    return calendar.to_ical()


def build_feed(
    entries: list[FeedEntry],
    name: str,
    description: str = "",
    store: VEventStore | None = None,
) -> bytes:
    """The whole feed as bytes (UTF-8, CRLF, folded by icalendar)."""
    stats.builds += 1
    shell = feed_shell(name, description)
    assert shell.endswith(END_CALENDAR)
    context = (current_app.config["BASE_URL"], str(get_locale()))
    body = b"".join(vevents_bytes(entries, context, store))
    return shell[: -len(END_CALENDAR)] + body + END_CALENDAR
