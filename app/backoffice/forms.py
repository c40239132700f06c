"""Forms of the organisers' accounts: login, password change, new user."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.core.forms import TOO_LONG as LONG
from app.core.forms import SingleLine
from app.models import UserRole

MIN_PASSWORD_LENGTH = 12


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse an.")), SingleLine()],
    )
    password = PasswordField(
        _l("Passwort"), validators=[DataRequired(_l("Bitte geben Sie Ihr Passwort an."))]
    )


def strong_password(form, field):
    if len(field.data or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _l("Das Passwort muss mindestens %(num)d Zeichen lang sein.", num=MIN_PASSWORD_LENGTH)
        )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Bisheriges Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie Ihr bisheriges Passwort an."))],
    )
    new_password = PasswordField(
        _l("Neues Passwort"),
        validators=[DataRequired(_l("Bitte geben Sie ein neues Passwort an.")), strong_password],
        description=_l("Mindestens 12 Zeichen."),
    )
    new_password_repeat = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[
            DataRequired(_l("Bitte wiederholen Sie das neue Passwort.")),
            EqualTo("new_password", _l("Die beiden Passwörter stimmen nicht überein.")),
        ],
    )


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse an.")),
            SingleLine(),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse an."), check_deliverability=False
            ),
        ],
    )
    name = StringField(
        _l("Name"), validators=[Optional(), SingleLine(), Length(max=200, message=LONG)]
    )
    role = SelectField(
        _l("Rolle"),
        choices=[
            (UserRole.ORGANISER.value, _l("Organisation")),
            (UserRole.ADMIN.value, _l("Administration")),
        ],
    )
    password = PasswordField(
        _l("Passwort"),
        validators=[DataRequired(_l("Bitte vergeben Sie ein Passwort.")), strong_password],
        description=_l("Mindestens 12 Zeichen. Bitte teilen Sie es der Person sicher mit."),
    )
