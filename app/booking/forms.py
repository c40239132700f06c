"""Forms of the public pages, with German messages (English through Flask-Babel)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.booking.registration import Applicant
from app.core.forms import (
    LandAndAgsChecks,
    SingleLine,
    ags_field,
    email_field,
    first_name_field,
    land_field,
    last_name_field,
    municipality_field,
    strip,
)


class RegistrationForm(LandAndAgsChecks, FlaskForm):
    municipality = municipality_field()
    state = land_field()
    ags = ags_field()
    first_name = first_name_field()
    last_name = last_name_field()
    email = email_field()
    role = StringField(
        _l("Funktion (optional)"),
        validators=[
            Optional(),
            SingleLine(),
            Length(max=200, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
        description=_l("z. B. Digitalisierungsbeauftragte, Amtsleitung"),
        filters=[strip],
    )
    consent = BooleanField(
        _l(
            "Ich habe die Datenschutzhinweise gelesen und willige in die Verarbeitung meiner "
            "Angaben zur Durchführung der Veranstaltung ein."
        ),
        validators=[DataRequired(_l("Bitte stimmen Sie den Datenschutzhinweisen zu."))],
    )
    # Honeypot: hidden from people (and screen readers), filled in by naive bots.
    website = StringField(_l("Bitte leer lassen"), validators=[SingleLine()])

    def applicant(self, language: str = "de") -> Applicant:
        """What was entered, as the booking code takes it (also for the phone form)."""
        return Applicant(
            municipality=self.municipality.data,
            state=self.state.data,
            ags=self.ags.data or "",
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            email=self.email.data,
            role=self.role.data or "",
            language=language,
        )
