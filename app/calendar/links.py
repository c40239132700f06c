"""Links that put an event into someone's calendar: webcal://, Google Calendar, Outlook.com."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode, urlsplit, urlunsplit

from app.calendar.invites import location_line
from app.models import Event

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"


def webcal_url(https_url: str) -> str:
    """The same feed for Apple Calendar and Outlook desktop, which subscribe on webcal://."""
    parts = urlsplit(https_url)
    return urlunsplit(("webcal", *parts[1:]))


def _details(event: Event, event_url: str) -> str:
    return "\n\n".join(part for part in (event.summary, event_url) if part)


def google_calendar_url(event: Event, event_url: str) -> str:
    def stamp(value):
        return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{stamp(event.starts_at)}/{stamp(event.ends_at)}",
        "details": _details(event, event_url),
        "location": location_line(event),
        "ctz": "Europe/Berlin",
    }
    return f"{GOOGLE_TEMPLATE}?{urlencode(query)}"


def outlook_calendar_url(event: Event, event_url: str) -> str:
    def stamp(value):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": stamp(event.starts_at),
        "enddt": stamp(event.ends_at),
        "body": _details(event, event_url),
        "location": location_line(event),
    }
    return f"{OUTLOOK_COMPOSE}?{urlencode(query)}"
