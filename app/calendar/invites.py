"""iTIP invitations (RFC 5546) for one participant at one event, sent by mail (RFC 6047).

The UID stays the same for a participant at an event, so an update or a cancel replaces the
calendar entry (RFC 5545 3.8.4.7); SEQUENCE comes from the registration and rises with every
update, as clients ignore a revision whose SEQUENCE is not higher (RFC 5545 3.8.7.4); replies
are not processed, so none is asked for (RSVP=FALSE).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, vCalAddress
from icalendar import Event as VEvent

from app.calendar.timezone import BERLIN, berlin_vtimezone
from app.core.urls import base_host, external_url
from app.models import Registration

PRODID = "-//Start Smart//Anmeldung//DE"
METHODS = ("REQUEST", "CANCEL")


def invite_uid(registration: Registration) -> str:
    return f"registration-{registration.id}@{base_host()}"


def location_line(event) -> str:
    """Venue and address in one line; "Online" for an event without a place."""
    return ", ".join(part for part in (event.venue, event.address) if part) or (
        _("Online") if event.online_url or event.mode == "online" else ""
    )


def organizer_address() -> vCalAddress:
    """The office as ORGANIZER (RFC 5545 3.8.4.3), with the address the invitation mail comes from.

    In iTIP the organizer is who sends a REQUEST or CANCEL (RFC 5546 3.2), and the office sends
    every invitation: to events and to consultations alike, so both build it here.
    """
    office_name, office_address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    organizer = vCalAddress(f"mailto:{office_address}")
    organizer.params["CN"] = office_name or current_app.config["OFFICE_NAME"]
    return organizer


def attendee_address(registration: Registration) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params.update(
        {
            "CN": registration.full_name,
            "CUTYPE": "INDIVIDUAL",
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "NEEDS-ACTION",
            "RSVP": "FALSE",  # replies are not processed; the mail text says so
        }
    )
    return attendee


def invite_description(registration: Registration, method: str, manage_url: str = "") -> str:
    event = registration.event
    parts = [event.summary or event.title]
    if method == "REQUEST" and event.online_url:
        # Only a confirmed participant ever receives a REQUEST, so the link may be shown here.
        parts.append(_("Online-Zugang: %(url)s", url=event.online_url))
    if event.is_cancelled:
        parts.append(_("Diese Veranstaltung wurde abgesagt."))
        if event.cancel_reason:
            parts.append(event.cancel_reason)
    if manage_url:
        parts.append(_("Ihre Anmeldung ansehen oder stornieren: %(url)s", url=manage_url))
    parts.append(_("Antworten auf diese Einladung werden nicht ausgewertet."))
    return "\n\n".join(parts)


def build_invite(
    registration: Registration, method: str, now: datetime, manage_url: str = ""
) -> str:
    """A REQUEST (confirmed seat) or CANCEL for ``registration``; SEQUENCE from the row.

    ``manage_url`` is the personal link of the mail the invitation travels with (the caller
    mints it; only its hash is stored), shown in the description.
    """
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    event = registration.event
    vevent = VEvent.new(
        uid=invite_uid(registration),
        stamp=now,
        start=event.starts_at.astimezone(BERLIN),
        end=event.ends_at.astimezone(BERLIN),
        summary=event.title,
        description=invite_description(registration, method, manage_url),
        location=location_line(event) or None,
        url=external_url("programme.event_detail", slug=event.slug),
        sequence=registration.invite_sequence,
        status="CONFIRMED" if method == "REQUEST" else "CANCELLED",
        transparency="OPAQUE",
        organizer=organizer_address(),
        attendees=[attendee_address(registration)],
    )
    alarm_hours = current_app.config["INVITE_ALARM_HOURS"]
    if method == "REQUEST" and alarm_hours > 0:
        vevent.add_component(invite_alarm(event, alarm_hours))
    calendar = new_calendar()
    calendar.add("method", method)
    calendar.add_component(berlin_vtimezone())
    calendar.add_component(vevent)
    return calendar.to_ical().decode("utf-8")


def invite_alarm(event, hours: int) -> Alarm:
    """A display reminder ``hours`` before the start (RFC 5545 3.6.6: ACTION, TRIGGER and, for
    DISPLAY, a DESCRIPTION are required). Only in invitations: a feed must not make every
    subscriber's calendar ring for events they only follow."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Erinnerung: %(title)s", title=event.title))
    # Negative duration, relative to DTSTART (RFC 5545 3.8.6.3).
    alarm.add("trigger", timedelta(hours=-hours))
    return alarm


def new_calendar() -> Calendar:
    """VERSION and PRODID only (``Calendar.new`` would add a random calendar UID)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    return calendar
