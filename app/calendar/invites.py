"""iTIP invitations (RFC 5546) for one participant at one event."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent

from app.models import Registration
from app.urls import base_host, external_url

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//Start Smart//Anmeldung//DE"


def invite_uid(registration: Registration) -> str:
    return f"registration-{registration.id}@{base_host()}"


def location_line(event) -> str:
    return ", ".join(part for part in (event.venue, event.address) if part) or (
        _("Online") if event.online_url else ""
    )


def build_invite(registration: Registration, method: str, now: datetime) -> str:
    """A REQUEST (confirmed seat) or CANCEL for ``registration``; SEQUENCE from the row."""
    event = registration.event
    office_name, office_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    organizer = vCalAddress(f"mailto:{office_address}")
    organizer.params["CN"] = office_name or current_app.config["OFFICE_NAME"]
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params.update(
        {
            "CN": registration.full_name,
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",
        }
    )
    manage_url = external_url("public.manage", token=registration.token)
    description = [event.summary or event.title]
    if method == "REQUEST" and event.online_url:
        description.append(_("Online-Zugang: %(url)s", url=event.online_url))
    description.append(_("Ihre Anmeldung ansehen oder stornieren: %(url)s", url=manage_url))
    vevent = VEvent.new(
        uid=invite_uid(registration),
        stamp=now,
        start=event.starts_at.astimezone(BERLIN),
        end=event.ends_at.astimezone(BERLIN),
        summary=event.title,
        description="\n\n".join(description),
        location=location_line(event) or None,
        url=external_url("public.event_detail", slug=event.slug),
        sequence=registration.invite_sequence,
        status="CONFIRMED" if method == "REQUEST" else "CANCELLED",
        transparency="OPAQUE",
        organizer=organizer,
        attendees=[attendee],
    )
    calendar = Calendar.new(prodid=PRODID, method=method, subcomponents=[vevent])
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")
