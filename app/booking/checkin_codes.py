"""QR codes that open a participant's check-in entry for an organiser at the door.

The code is the registration's own check-in code (``Registration.checkin_code``), unrelated to
its personal links: whoever photographs a badge gets no access to the person's self-service
page, and the code opens an entry only for a logged-in organiser. Registrations made before
the personal links were stored hashed keep the code their mails carry: the migration computed
it from the old token the way those codes were made (an HMAC of it).
"""

from __future__ import annotations

import io

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.urls import external_url
from app.extensions import db
from app.models import OutboxMessage, Registration

MAX_CODE_LENGTH = 20


def checkin_code(registration: Registration) -> str:
    return registration.checkin_code


def find_by_checkin_code(session: Session, event_id: int, code: str) -> Registration | None:
    """The registration of this event with this code (an index lookup), or None."""
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return session.scalar(
        select(Registration).where(
            Registration.event_id == event_id, Registration.checkin_code == code
        )
    )


def checkin_url(registration: Registration) -> str:
    return external_url(
        "checkin.checkin_entry", event_id=registration.event_id, code=checkin_code(registration)
    )


def checkin_qr_svg(registration: Registration) -> str:
    """The QR code as an inline SVG document."""
    return segno.make(checkin_url(registration), error="m").svg_inline(scale=4, border=2)


def checkin_qr_png(registration: Registration) -> bytes:
    """The QR code as PNG bytes, embedded in the confirmation mail at delivery time."""
    buffer = io.BytesIO()
    segno.make(checkin_url(registration), error="m").save(buffer, kind="png", scale=5, border=2)
    return buffer.getvalue()


CHECKIN_QR_CID = "checkin-qr@startsmart"


def checkin_qr_for_mail(row: OutboxMessage) -> bytes | None:
    """The QR code of the registration an outbox row belongs to, drawn at delivery."""
    if row.registration_id is None:
        return None
    registration = db.session.get(Registration, row.registration_id)
    return checkin_qr_png(registration) if registration else None


def checkin_qr_data_uri(registration: Registration) -> str:
    """The QR code as a PNG data: URI, for the HTML confirmation mail."""
    return segno.make(checkin_url(registration), error="m").png_data_uri(scale=5, border=2)
