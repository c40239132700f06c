"""Forms of the public pages, with German messages (English through Flask-Babel)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from app.booking.registration import Applicant
from app.core.forms import LandAndAgsChecks, land_choices, strip


class RegistrationForm(LandAndAgsChecks, FlaskForm):
    municipality = StringField(
        _l("Kommune"),
        validators=[
            DataRequired(_l("Bitte geben Sie den Namen Ihrer Kommune an.")),
            Length(max=200, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
        description=_l("Stadt, Gemeinde, Landkreis oder Gemeindeverband"),
        filters=[strip],
    )
    state = SelectField(
        _l("Land"),
        choices=land_choices,
        # Checked in validate_state, with a German message instead of WTForms' own.
        validate_choice=False,
        validators=[DataRequired(_l("Bitte wählen Sie das Land Ihrer Kommune."))],
    )
    ags = StringField(
        _l("Amtlicher Gemeindeschlüssel (AGS, optional)"),
        validators=[
            Optional(),
            Regexp(r"^\d{8}$", message=_l("Der AGS besteht aus genau 8 Ziffern.")),
        ],
        description=_l("8 Ziffern, zum Beispiel 09162000 für München"),
        filters=[lambda value: value.replace(" ", "") if value else value],
    )
    first_name = StringField(
        _l("Vorname"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihren Vornamen an.")),
            Length(max=100, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
        filters=[strip],
    )
    last_name = StringField(
        _l("Nachname"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihren Nachnamen an.")),
            Length(max=100, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
        filters=[strip],
    )
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse an.")),
            Email(
                message=_l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@stadt.de."),
                check_deliverability=False,
            ),
            Length(max=254, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
        description=_l("An diese Adresse senden wir den Bestätigungslink."),
        filters=[strip],
    )
    role = StringField(
        _l("Funktion (optional)"),
        validators=[Optional(), Length(max=200, message=_l("Bitte höchstens %(max)d Zeichen."))],
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
    website = StringField(_l("Bitte leer lassen"))

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
