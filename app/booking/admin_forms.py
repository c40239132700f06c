"""Forms of the back-office registration pages: filter, promote, cancel, move, phone entry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.booking.forms import RegistrationForm
from app.core.forms import TOO_LONG as LONG
from app.core.forms import SingleLine
from app.core.labels import REGISTRATION_STATUS_LABELS, choices


def event_id(value) -> int | None:
    """The chosen event's id; None for the empty first option, which DataRequired refuses."""
    return int(value) if value not in ("", None) else None


def status_choices():
    return [("", _l("Alle")), *choices(REGISTRATION_STATUS_LABELS)]


class PromoteForm(FlaskForm):
    reason = StringField(
        _l("Grund für das Vorziehen"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund an.")),
            SingleLine(),
            Length(max=500, message=LONG),
        ],
    )
    add_seat = BooleanField(_l("Falls alle Plätze vergeben sind: einen Platz zusätzlich schaffen"))


class CancelRegistrationForm(FlaskForm):
    reason = StringField(
        _l("Grund der Stornierung"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund an.")),
            SingleLine(),
            Length(max=500, message=LONG),
        ],
    )


class MoveForm(FlaskForm):
    target_event = SelectField(
        _l("Umbuchen auf"),
        coerce=event_id,
        choices=[],
        validators=[DataRequired(_l("Bitte wählen Sie eine Veranstaltung."))],
    )


class PhoneRegistrationForm(RegistrationForm):
    """The public form without consent and honeypot: the organiser took it by phone."""

    consent = None
    website = None


class FilterForm(FlaskForm):
    """Search and status filter of the registrations table (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Suche"),
        validators=[Optional(), SingleLine()],
        description=_l("Name, E-Mail oder Kommune"),
    )
    status = SelectField(_l("Status"), choices=status_choices, validators=[Optional()])
