"""The one place where a registration's status changes, and the changes that are allowed.

pending ──confirm e-mail──▶ confirmed ◀──accept── offered
   │                 └────▶ waitlisted ──seat frees──▶ (offered | confirmed)
   └─48 h──▶ expired        offered ──declined──▶ cancelled; ──timed out──▶ expired
pending, confirmed, waitlisted, offered ──cancel──▶ cancelled
"""

from __future__ import annotations

from datetime import datetime

from app.booking.errors import InvalidTransition
from app.models import Registration, RegistrationStatus

S = RegistrationStatus
ALLOWED: dict[RegistrationStatus, frozenset[RegistrationStatus]] = {
    S.PENDING: frozenset({S.CONFIRMED, S.WAITLISTED, S.EXPIRED, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.CONFIRMED, S.OFFERED, S.CANCELLED}),
    S.OFFERED: frozenset({S.CONFIRMED, S.CANCELLED, S.EXPIRED, S.WAITLISTED}),
    S.CONFIRMED: frozenset({S.CANCELLED, S.WAITLISTED}),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
}


def change_status(
    registration: Registration, new_status: RegistrationStatus, now: datetime
) -> RegistrationStatus:
    """Move ``registration`` to ``new_status``; returns the old status."""
    old = registration.status
    if new_status not in ALLOWED[old]:
        raise InvalidTransition(f"{old} → {new_status}")
    registration.status = new_status
    registration.status_changed_at = now
    if new_status == S.WAITLISTED:
        registration.waitlisted_at = registration.waitlisted_at or now
        registration.offer_expires_at = None
    elif new_status != S.OFFERED:
        registration.offer_expires_at = None
    return old
