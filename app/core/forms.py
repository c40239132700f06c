"""Form pieces every domain uses: the bare button, text filters, the one-line check, the Land
and AGS checks, and the fields every form about a municipality's person asks alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from app.core.laender import LAENDER, PLEASE_CHOOSE
from app.core.security import LINE_BREAK, single_line_problem

TOO_LONG = _l("Bitte höchstens %(max)d Zeichen.")


class SingleLine:
    """Every one-line field has this: no line break, tab or other control character.

    A browser's text input cannot hold a line break, so a person rarely sees these messages;
    a script posting the form can, and a line break in a name or subject is how a form field
    becomes a mail header. Line breaks at either end (a paste) are for ``strip`` to remove.
    Multi-line fields (TextAreaField) keep theirs. Put it right after DataRequired or
    Optional: it stops the checks after it, whose messages would only distract.
    """

    def __call__(self, form, field):
        problem = single_line_problem(field.data) if isinstance(field.data, str) else None
        if problem == LINE_BREAK:
            raise StopValidation(
                _l("Bitte ohne Zeilenumbruch eingeben: Dieses Feld hat nur eine Zeile.")
            )
        if problem is not None:
            raise StopValidation(
                _l("Bitte ohne Tabulator und ohne unsichtbare Steuerzeichen eingeben.")
            )


class ButtonForm(FlaskForm):
    """A bare button: the CSRF token is the only field."""


def without_spaces(value):
    return value.replace(" ", "") if value else value


def land_choices():
    return [("", PLEASE_CHOOSE), *list(LAENDER.items())]


def strip(value):
    return value.strip() if isinstance(value, str) else value


class LandAndAgsChecks:
    """Field checks shared by every form that asks for a municipality's Land and AGS."""

    def validate_state(self, field):
        if field.data and field.data not in LAENDER:
            raise ValidationError(_l("Bitte wählen Sie ein Land aus der Liste."))

    def validate_ags(self, field):
        if field.errors or not field.data or self.state.data not in LAENDER:
            return
        if field.data[:2] != self.state.data:
            raise ValidationError(
                _l(
                    "Die ersten beiden Ziffern des AGS (%(prefix)s) passen nicht zum gewählten "
                    "Land (%(land)s).",
                    prefix=field.data[:2],
                    land=LAENDER.get(self.state.data, self.state.data),
                )
            )


# Fields every form about a municipality's person asks alike (registration, phone entry,
# expression of interest). Factories, not a mixin, so each form keeps its own field order.


def municipality_field() -> StringField:
    return StringField(
        _l("Kommune"),
        validators=[
            DataRequired(_l("Bitte geben Sie den Namen Ihrer Kommune an.")),
            SingleLine(),
            Length(max=200, message=TOO_LONG),
        ],
        description=_l("Stadt, Gemeinde, Landkreis oder Gemeindeverband"),
        filters=[strip],
    )


def land_field() -> SelectField:
    return SelectField(
        _l("Land"),
        choices=land_choices,
        # Checked in LandAndAgsChecks.validate_state, with a German message instead of WTForms'.
        validate_choice=False,
        validators=[DataRequired(_l("Bitte wählen Sie das Land Ihrer Kommune."))],
    )


def ags_field() -> StringField:
    return StringField(
        _l("Amtlicher Gemeindeschlüssel (AGS, optional)"),
        validators=[
            Optional(),
            SingleLine(),
            Regexp(r"^\d{8}$", message=_l("Der AGS besteht aus genau 8 Ziffern.")),
        ],
        description=_l("8 Ziffern, zum Beispiel 09162000 für München"),
        filters=[without_spaces],
    )


def first_name_field() -> StringField:
    return StringField(
        _l("Vorname"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihren Vornamen an.")),
            SingleLine(),
            Length(max=100, message=TOO_LONG),
        ],
        filters=[strip],
    )


def last_name_field() -> StringField:
    return StringField(
        _l("Nachname"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihren Nachnamen an.")),
            SingleLine(),
            Length(max=100, message=TOO_LONG),
        ],
        filters=[strip],
    )


def email_field() -> EmailField:
    return EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse an.")),
            SingleLine(),
            Email(
                message=_l("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@stadt.de."),
                check_deliverability=False,
            ),
            Length(max=254, message=TOO_LONG),
        ],
        description=_l("An diese Adresse senden wir den Bestätigungslink."),
        filters=[strip],
    )
