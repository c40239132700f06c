"""The export filter of the back office (GET, no CSRF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from app.core.labels import FORMAT_LABELS, REGISTRATION_STATUS_LABELS, choices
from app.models import RegistrationStatus

CONFIRMED = RegistrationStatus.CONFIRMED


class ExportForm(FlaskForm):
    class Meta:
        csrf = False

    format = SelectField(
        _l("Format der Veranstaltung"),
        choices=lambda: [("", _l("Alle")), *choices(FORMAT_LABELS)],
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status der Anmeldung"),
        choices=lambda: [
            (CONFIRMED.value, REGISTRATION_STATUS_LABELS[CONFIRMED]),
            ("all", _l("Alle")),
        ],
        validators=[Optional()],
    )
    starts_from = DateField(_l("Veranstaltungen ab"), validators=[Optional()])
    starts_until = DateField(_l("Veranstaltungen bis einschließlich"), validators=[Optional()])
