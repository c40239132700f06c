"""iTIP invitations (RFC 5546) for an initial consultation, and the organisers' slot events."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent

from app.calendar.invites import organizer_address
from app.core.urls import base_host
from app.models import ConsultationBooking, ConsultationSlot, SlotChannel

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//Start Smart//Initialberatung//DE"


def booking_uid(booking: ConsultationBooking) -> str:
    return f"consultation-{booking.id}@{base_host()}"


def slot_uid(slot: ConsultationSlot) -> str:
    return f"consultation-slot-{slot.id}@{base_host()}"


def channel_line(slot: ConsultationSlot) -> str:
    label = _("Online") if slot.channel == SlotChannel.ONLINE else _("Telefon")
    return f"{label}: {slot.access_details}" if slot.access_details else label


def _description(booking: ConsultationBooking, for_organiser: bool, manage_url: str = "") -> str:
    interest, slot = booking.interest, booking.slot
    lines = [channel_line(slot)]
    if for_organiser:
        contact = f"{interest.full_name} <{interest.email}>"
        if interest.phone:
            contact += f", {interest.phone}"
        lines.append(_("Kontakt: %(contact)s", contact=contact))
        if interest.topics:
            topics = ", ".join(topic.name for topic in interest.topics)
            lines.append(_("Themen: %(topics)s", topics=topics))
        if interest.message:
            lines.append(interest.message)
    elif manage_url:
        lines.append(_("Termin ansehen, verschieben oder absagen: %(url)s", url=manage_url))
    return "\n\n".join(lines)


def build_consultation_invite(
    booking: ConsultationBooking,
    method: str,
    now: datetime,
    for_organiser: bool,
    manage_url: str = "",
) -> str:
    """REQUEST or CANCEL for one booking; the same UID for both sides, SEQUENCE from the row.

    ``manage_url`` is the contact's personal link of the mail the invitation travels with.

    The office's address is ORGANIZER (it sends the mail); the organiser running the
    consultation and the municipality's contact person are both attendees.
    """
    interest, slot = booking.interest, booking.slot
    language = "de" if for_organiser else (interest.language or "de")
    with force_locale(language):
        host = vCalAddress(f"mailto:{slot.organiser_email}")
        host.params.update({"CN": slot.organiser_name, "ROLE": "CHAIR", "PARTSTAT": "ACCEPTED"})
        guest = vCalAddress(f"mailto:{interest.email}")
        guest.params.update(
            {
                "CN": interest.full_name,
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": "NEEDS-ACTION",
                "RSVP": "FALSE",
            }
        )
        summary = _("Initialberatung Start Smart: %(name)s", name=interest.municipality_name)
        vevent = VEvent.new(
            uid=booking_uid(booking),
            stamp=now,
            start=slot.starts_at.astimezone(BERLIN),
            end=slot.ends_at.astimezone(BERLIN),
            summary=summary,
            description=_description(booking, for_organiser, manage_url),
            location=channel_line(slot),
            sequence=booking.invite_sequence,
            status="CONFIRMED" if method == "REQUEST" else "CANCELLED",
            transparency="OPAQUE",
            organizer=organizer_address(),
            attendees=[host, guest],
        )
    calendar = Calendar.new(prodid=PRODID, method=method, subcomponents=[vevent])
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")


def slot_vevent(
    slot: ConsultationSlot, booking: ConsultationBooking | None, now, show_organiser=False
) -> VEvent:
    """One organiser's slot for their calendar feed: booked ones busy, open ones free.

    ``show_organiser`` names the consulting person in the title, for the feed all organisers
    share.
    """
    suffix = f" ({slot.organiser_name})" if show_organiser else ""
    if booking is not None:
        booked_uid = booking_uid(booking)
        summary = _("Initialberatung: %(name)s", name=booking.interest.municipality_name)
        summary += suffix
        return VEvent.new(
            uid=booked_uid,
            stamp=now,
            start=slot.starts_at.astimezone(BERLIN),
            end=slot.ends_at.astimezone(BERLIN),
            summary=summary,
            description=_description(booking, for_organiser=True),
            location=channel_line(slot),
            sequence=booking.invite_sequence,
            status="CONFIRMED",
            transparency="OPAQUE",
        )
    return VEvent.new(
        uid=slot_uid(slot),
        stamp=now,
        start=slot.starts_at.astimezone(BERLIN),
        end=slot.ends_at.astimezone(BERLIN),
        summary=_("Initialberatung (noch frei)") + suffix,
        location=channel_line(slot),
        status="TENTATIVE",
        transparency="TRANSPARENT",
    )
