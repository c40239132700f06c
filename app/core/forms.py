"""Form pieces every domain uses: the bare button, text filters, the Land and AGS checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from app.core.laender import LAENDER, PLEASE_CHOOSE

TOO_LONG = _l("Bitte höchstens %(max)d Zeichen.")


class ButtonForm(FlaskForm):
    """A bare button: the CSRF token is the only field."""


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
