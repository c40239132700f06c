"""The words shown for event formats, modes and statuses, registration statuses and attendance.

One place for forms, pages, statistics, exports and templates (``init_app`` makes the tables
template globals), so the same thing is never called two names by accident. Where two screens
use different words on purpose, both variants are here under their own name. The values are
lazy (Flask-Babel): each reader sees them in their own language, except where ``in_german``
asks for the originals.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from flask import Flask
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.models import (
    Attendance,
    EventFormat,
    EventMode,
    EventStatus,
    RegistrationStatus,
    WaitlistMode,
)
from app.models.event import ModelProjectPolicy

# Short names: the event form's and the export filter's choices, and the exports' cells.
FORMAT_LABELS = {
    EventFormat.KICKOFF: _l("Kick-off"),
    EventFormat.WORKSHOP: _l("Themenwerkstatt"),
    EventFormat.PEER_LEARNING: _l("Peer-Learning"),
}
# Full names: what visitors read on the programme pages, and the statistics.
FORMAT_LABELS_LONG = {**FORMAT_LABELS, EventFormat.KICKOFF: _l("Kick-off-Veranstaltung")}
MODE_LABELS = {
    EventMode.IN_PERSON: _l("Vor Ort"),
    EventMode.ONLINE: _l("Online"),
    EventMode.HYBRID: _l("Hybrid"),
}
EVENT_STATUS_LABELS = {
    EventStatus.DRAFT: _l("Entwurf"),
    EventStatus.PUBLISHED: _l("Veröffentlicht"),
    EventStatus.CANCELLED: _l("Abgesagt"),
}
WAITLIST_MODE_LABELS = {
    WaitlistMode.AUTOMATIC: _l("Automatisch nachrücken"),
    WaitlistMode.OFFER: _l("Platz anbieten (mit Frist)"),
}
MODEL_PROJECT_LABELS = {
    ModelProjectPolicy.EQUAL: _l("Gleichrangig mit allen Kommunen"),
    ModelProjectPolicy.LOWER: _l("Nachrangig: rücken erst nach allen anderen nach"),
    ModelProjectPolicy.EXCLUDED: _l("Ausgeschlossen: keine Anmeldung möglich"),
}
# In the order of the status filter: those holding or waiting for a seat first.
REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Bestätigt"),
    RegistrationStatus.WAITLISTED: _l("Warteliste"),
    RegistrationStatus.OFFERED: _l("Platz angeboten"),
    RegistrationStatus.PENDING: _l("Unbestätigt"),
    RegistrationStatus.CANCELLED: _l("Storniert"),
    RegistrationStatus.EXPIRED: _l("Abgelaufen"),
}
ATTENDANCE_LABELS = {
    Attendance.ATTENDED: _l("Anwesend"),
    Attendance.NO_SHOW: _l("Nicht erschienen"),
}
# Nobody has checked the person in (or out) yet.
ATTENDANCE_OPEN = _l("Noch offen")

Key = TypeVar("Key")

TEMPLATE_GLOBALS = {
    "FORMAT_LABELS_LONG": FORMAT_LABELS_LONG,
    "MODE_LABELS": MODE_LABELS,
    "EVENT_STATUS_LABELS": EVENT_STATUS_LABELS,
    "REGISTRATION_STATUS_LABELS": REGISTRATION_STATUS_LABELS,
    "ATTENDANCE_LABELS": ATTENDANCE_LABELS,
    "ATTENDANCE_OPEN": ATTENDANCE_OPEN,
}


def choices(labels: Mapping[Enum, object]) -> list[tuple[str, object]]:
    """(value, label) pairs for a WTForms SelectField, in the order of ``labels``."""
    return [(member.value, label) for member, label in labels.items()]


def in_german(labels: Mapping[Key, object]) -> dict[Key, str]:
    """The labels as their German originals, whatever the reader's language.

    For the participant exports: they go into a report to the ministry, which is German.
    """
    with force_locale("de"):
        return {key: str(label) for key, label in labels.items()}


def init_app(app: Flask) -> None:
    # Globals, not context: macros imported with {% from ... import %} see them too.
    app.jinja_env.globals.update(TEMPLATE_GLOBALS)
