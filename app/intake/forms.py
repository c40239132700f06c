"""Forms of the intake pages, with German messages (English through Flask-Babel)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.core.forms import (
    LandAndAgsChecks,
    SingleLine,
    ags_field,
    email_field,
    first_name_field,
    land_field,
    last_name_field,
    municipality_field,
)
from app.core.laender import PLEASE_CHOOSE
from app.models import SizeClass, StrategyStage

SIZE_LABELS = {
    SizeClass.UNDER_5K: _l("unter 5.000 Einwohnerinnen und Einwohner"),
    SizeClass.FROM_5K: _l("5.000 bis unter 20.000"),
    SizeClass.FROM_20K: _l("20.000 bis unter 50.000"),
    SizeClass.FROM_50K: _l("50.000 bis unter 100.000"),
    SizeClass.FROM_100K: _l("100.000 bis unter 500.000"),
    SizeClass.OVER_500K: _l("500.000 und mehr"),
}
STRATEGY_LABELS = {
    StrategyStage.NO_STRATEGY: _l("Wir haben noch keine Digitalstrategie."),
    StrategyStage.IN_PROGRESS: _l("Unsere Strategie ist in Arbeit."),
    StrategyStage.IMPLEMENTING: _l("Wir setzen unsere Strategie bereits um."),
}

_TOO_LONG = _l("Bitte höchstens %(max)d Zeichen.")


def _strip_spaces(value):
    return value.replace(" ", "") if value else value


class InterestForm(LandAndAgsChecks, FlaskForm):
    municipality = municipality_field()
    state = land_field()
    ags = ags_field()
    size_class = SelectField(
        _l("Größe der Kommune (Einwohnerzahl)"),
        choices=lambda: [("", PLEASE_CHOOSE), *((k.value, v) for k, v in SIZE_LABELS.items())],
        validators=[DataRequired(_l("Bitte wählen Sie die Größe Ihrer Kommune."))],
    )
    first_name = first_name_field()
    last_name = last_name_field()
    email = email_field()
    phone = StringField(
        _l("Telefon (optional)"),
        validators=[
            Optional(),
            SingleLine(),
            Length(max=50, message=_TOO_LONG),
            Regexp(
                r"^[0-9+()/ \-]{5,}$",
                message=_l("Bitte geben Sie eine Telefonnummer an, z. B. 030 1234567."),
            ),
        ],
    )
    role = StringField(
        _l("Funktion"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihre Funktion in der Verwaltung an.")),
            SingleLine(),
            Length(max=200, message=_TOO_LONG),
        ],
        description=_l("z. B. Digitalisierungsbeauftragte, Amtsleitung, Bürgermeister"),
    )
    topics = SelectMultipleField(
        _l("Themen, die Sie interessieren"),
        coerce=int,
        validators=[DataRequired(_l("Bitte wählen Sie mindestens ein Thema."))],
        description=_l("Mehrfachauswahl möglich"),
    )
    strategy_stage = RadioField(
        _l("Wo steht Ihre Kommune?"),
        choices=lambda: [(k.value, v) for k, v in STRATEGY_LABELS.items()],
        validators=[DataRequired(_l("Bitte wählen Sie aus, wo Ihre Kommune steht."))],
    )
    message = TextAreaField(
        _l("Was möchten Sie uns noch mitteilen? (optional)"),
        validators=[Optional(), Length(max=4000, message=_TOO_LONG)],
        description=_l("z. B. konkrete Vorhaben, Fragen oder Wunschtermine"),
    )
    consent = BooleanField(
        _l(
            "Ich habe die Datenschutzhinweise gelesen und willige ein, dass meine Angaben zur "
            "Bearbeitung der Interessensbekundung und zur Beratung gespeichert werden."
        ),
        validators=[DataRequired(_l("Bitte stimmen Sie den Datenschutzhinweisen zu."))],
    )
    # Honeypot: hidden from people (and screen readers), filled in by naive bots.
    website = StringField(_l("Bitte leer lassen"), validators=[SingleLine()])


class BookSlotForm(FlaskForm):
    slot_id = HiddenField(validators=[DataRequired(), SingleLine(), Regexp(r"^\d+$")])
