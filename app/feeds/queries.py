"""What each feed lists, and its cache validator from one cheap aggregate query.

The validator (ETag, Last-Modified) is computed without loading or building anything, so a
conditional request that matches (If-None-Match or If-Modified-Since, RFC 9110 13.1) is
answered 304 at the cost of that one query.
Every change a feed shows bumps ``Event.updated_at`` (seat changes included), and a
registration's status change bumps its ``status_changed_at``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.calendar.feeds import FEED_COLUMNS, FeedEntry, FeedEvent
from app.models import Event, EventStatus, Registration, RegistrationStatus
from app.programme.catalogue import CatalogueFilter, seat_info, visible_events_query

# Events stay in feeds this long after they end, so subscribers see them go (and a cancelled
# one is seen as cancelled) instead of having them vanish the moment they are over.
KEEP_PAST = timedelta(days=30)
# Raise when the feed's shape changes, so that clients' cached copies are replaced.
FEED_VERSION = "1"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class SeatKey(NamedTuple):
    """What ``seat_info`` reads of an event."""

    id: int
    capacity: int


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime  # whole seconds, UTC


def make_validator(kind: str, last: datetime | None, *parts) -> Validator:
    last_modified = (last or EPOCH).astimezone(UTC).replace(microsecond=0)
    seed = "|".join(
        str(part)
        for part in (
            FEED_VERSION,
            kind,
            current_app.config["BASE_URL"],
            get_locale(),
            last,
            *parts,
        )
    )
    return Validator(hashlib.sha256(seed.encode()).hexdigest()[:32], last_modified)


# Public feed ------------------------------------------------------------------------------


def public_filter(args) -> CatalogueFilter:
    """The catalogue's filters (format, topic, mode, also month and text); never the archive."""
    return CatalogueFilter.from_args(args, archive=False)


def public_validator(session: Session, filters: CatalogueFilter, now: datetime) -> Validator:
    statement = visible_events_query(filters, now - KEEP_PAST).order_by(None).subquery()
    count, id_sum, last = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(statement.c.id), 0),
            func.max(statement.c.updated_at),
        )
    ).one()
    return make_validator("public", _aware(last), sorted(filters.as_args().items()), count, id_sum)


def public_entries(session: Session, filters: CatalogueFilter, now: datetime) -> list[FeedEntry]:
    statement = visible_events_query(filters, now - KEEP_PAST).with_only_columns(*FEED_COLUMNS)
    return [FeedEntry(FeedEvent(*row)) for row in session.execute(statement)]


def public_feed_name(filters: CatalogueFilter) -> str:
    return (
        _("Start Smart: Veranstaltungen")
        if not filters.as_args()
        else _("Start Smart: Veranstaltungen (Auswahl)")
    )


# Organisers' feed -------------------------------------------------------------------------


def organiser_validator(session: Session, now: datetime) -> Validator:
    statement = (
        visible_events_query(CatalogueFilter(), now - KEEP_PAST, include_drafts=True)
        .order_by(None)
        .subquery()
    )
    count, id_sum, last = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(statement.c.id), 0),
            func.max(statement.c.updated_at),
        )
    ).one()
    return make_validator("organisers", _aware(last), count, id_sum)


def organiser_entries(session: Session, now: datetime) -> list[FeedEntry]:
    statement = visible_events_query(
        CatalogueFilter(), now - KEEP_PAST, include_drafts=True
    ).with_only_columns(*FEED_COLUMNS, Event.capacity)
    rows = session.execute(statement).all()
    seats = seat_info(session, [SeatKey(row.id, row.capacity) for row in rows])
    entries = []
    for *columns, _capacity in rows:
        event = FeedEvent(*columns)
        info = seats[event.id]
        note = _(
            "Belegt: %(held)d von %(capacity)d Plätzen", held=info.held, capacity=info.capacity
        )
        if info.waitlisted:
            note += ", " + ngettext(
                "%(num)d Person auf der Warteliste",
                "%(num)d Personen auf der Warteliste",
                info.waitlisted,
            )
        entries.append(FeedEntry(event, online_url=event.online_url, notes=(note,)))
    return entries


# Personal feed ----------------------------------------------------------------------------


def _personal_condition(email_normalised: str, now: datetime):
    return and_(
        Registration.email_normalised == email_normalised,
        or_(
            Registration.status == RegistrationStatus.CONFIRMED,
            # Cancelled after a calendar entry was sent (a CANCEL raised the sequence): kept,
            # marked cancelled, so that a subscriber sees the entry go.
            and_(
                Registration.status == RegistrationStatus.CANCELLED,
                Registration.invite_sequence > 0,
            ),
        ),
        Event.status != EventStatus.DRAFT,
        Event.ends_at >= now - KEEP_PAST,
    )


def personal_validator(session: Session, email_normalised: str, now: datetime) -> Validator:
    count, id_sum, changed, last = session.execute(
        select(
            func.count(Registration.id),
            func.coalesce(func.sum(Registration.id), 0),
            func.max(Registration.status_changed_at),
            func.max(Event.updated_at),
        )
        .select_from(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(_personal_condition(email_normalised, now))
    ).one()
    latest = max((value for value in (_aware(changed), _aware(last)) if value), default=None)
    return make_validator("personal", latest, email_normalised, count, id_sum)


def personal_entries(session: Session, email_normalised: str, now: datetime) -> list[FeedEntry]:
    registrations = session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(_personal_condition(email_normalised, now))
        .order_by(Event.starts_at, Registration.id)
    ).all()
    # One entry per event (its UID is per event): a confirmed registration wins over an
    # earlier cancelled one for the same event.
    chosen: dict[int, Registration] = {}
    for registration in registrations:
        current = chosen.get(registration.event_id)
        if current is None or registration.status == RegistrationStatus.CONFIRMED:
            chosen[registration.event_id] = registration
    entries = []
    for registration in chosen.values():
        event = registration.event
        cancelled = registration.status == RegistrationStatus.CANCELLED or event.is_cancelled
        # No personal link here: only its hash is stored, and a feed is read again and again
        # by calendar servers (a new link per poll would change every ETag).
        manage = _(
            "Ihre Anmeldung ansehen oder stornieren: über den persönlichen Link in Ihren "
            "E-Mails zu dieser Anmeldung."
        )
        entries.append(
            FeedEntry(
                FeedEvent.of(event),
                cancelled=cancelled,
                online_url="" if cancelled else event.online_url,
                notes=(manage,),
                busy=True,
            )
        )
    return entries


def _aware(value: datetime | None) -> datetime | None:
    # Aggregates bypass the column type: SQLite hands back naive UTC (or a string).
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
