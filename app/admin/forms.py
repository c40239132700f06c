"""Back-office forms, with German messages (English through Flask-Babel)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.models import EventFormat, EventMode, RegistrationStatus, UserRole, WaitlistMode
from app.models.event import ModelProjectPolicy
from app.public.forms import RegistrationForm

BERLIN = ZoneInfo("Europe/Berlin")
MIN_PASSWORD_LENGTH = 12


def to_utc(local: datetime | None) -> datetime | None:
    """A time typed in the form (Berlin wall clock) as an aware UTC datetime."""
    return local.replace(tzinfo=BERLIN).astimezone(UTC) if local else None


def to_local(value: datetime | None) -> datetime | None:
    return value.astimezone(BERLIN).replace(tzinfo=None) if value else None


def format_choices():
    return [
        (EventFormat.KICKOFF.value, _l("Kick-off")),
        (EventFormat.WORKSHOP.value, _l("Themenwerkstatt")),
        (EventFormat.PEER_LEARNING.value, _l("Peer-Learning")),
    ]


def mode_choices():
    return [
        (EventMode.IN_PERSON.value, _l("Vor Ort")),
        (EventMode.ONLINE.value, _l("Online")),
        (EventMode.HYBRID.value, _l("Hybrid")),
    ]


def waitlist_choices():
    return [
        (WaitlistMode.AUTOMATIC.value, _l("Automatisch nachrücken")),
        (WaitlistMode.OFFER.value, _l("Platz anbieten (mit Frist)")),
    ]


def model_project_choices():
    return [
        (ModelProjectPolicy.EQUAL.value, _l("Gleichrangig mit allen Kommunen")),
        (ModelProjectPolicy.LOWER.value, _l("Nachrangig: rücken erst nach allen anderen nach")),
        (ModelProjectPolicy.EXCLUDED.value, _l("Ausgeschlossen: keine Anmeldung möglich")),
    ]


def status_choices():
    return [
        ("", _l("Alle")),
        (RegistrationStatus.CONFIRMED.value, _l("Bestätigt")),
        (RegistrationStatus.WAITLISTED.value, _l("Warteliste")),
        (RegistrationStatus.OFFERED.value, _l("Platz angeboten")),
        (RegistrationStatus.PENDING.value, _l("Unbestätigt")),
        (RegistrationStatus.CANCELLED.value, _l("Storniert")),
        (RegistrationStatus.EXPIRED.value, _l("Abgelaufen")),
    ]


LONG = _l("Bitte höchstens %(max)d Zeichen.")


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte geben Sie Ihre E-Mail-Adresse an."))],
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
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse an."), check_deliverability=False
            ),
        ],
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200, message=LONG)])
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


class EventForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Titel an.")),
            Length(max=200, message=LONG),
        ],
    )
    format = SelectField(_l("Format"), choices=format_choices)
    summary = StringField(
        _l("Kurzbeschreibung"), validators=[Optional(), Length(max=500, message=LONG)]
    )
    description = TextAreaField(_l("Beschreibung"), validators=[Optional()])
    topics = SelectMultipleField(_l("Themen"), coerce=int, choices=[], validate_choice=False)
    new_topics = StringField(
        _l("Neue Themen"),
        validators=[Optional(), Length(max=300, message=LONG)],
        description=_l("Mehrere durch Komma getrennt; sie werden der Themenliste hinzugefügt."),
    )
    starts_at = DateTimeLocalField(
        _l("Beginn"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Bitte geben Sie Datum und Uhrzeit des Beginns an."))],
        description=_l("Ortszeit Berlin"),
    )
    ends_at = DateTimeLocalField(
        _l("Ende"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Bitte geben Sie Datum und Uhrzeit des Endes an."))],
        description=_l("Ortszeit Berlin"),
    )
    mode = SelectField(_l("Durchführung"), choices=mode_choices)
    venue = StringField(
        _l("Veranstaltungsort"), validators=[Optional(), Length(max=200, message=LONG)]
    )
    address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300, message=LONG)])
    online_url = URLField(
        _l("Online-Zugang (Link)"),
        validators=[
            Optional(),
            URL(message=_l("Bitte geben Sie einen vollständigen Link an (https://…).")),
            Length(max=500, message=LONG),
        ],
        description=_l("Nur bestätigte Teilnehmende sehen diesen Link."),
    )
    capacity = IntegerField(
        _l("Plätze"),
        validators=[
            InputRequired(_l("Bitte geben Sie die Zahl der Plätze an.")),
            NumberRange(min=1, max=10000, message=_l("Bitte eine Zahl von 1 bis 10000.")),
        ],
    )
    max_per_municipality = IntegerField(
        _l("Höchstens Plätze je Kommune"),
        validators=[Optional(), NumberRange(min=1, message=_l("Bitte mindestens 1."))],
        description=_l("Leer lassen für keine Begrenzung."),
    )
    registration_opens_at = DateTimeLocalField(
        _l("Anmeldung ab"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    registration_closes_at = DateTimeLocalField(
        _l("Anmeldeschluss"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Leer lassen: Anmeldung bis zum Beginn."),
    )
    waitlist_mode = SelectField(_l("Warteliste"), choices=waitlist_choices)
    offer_hours = IntegerField(
        _l("Frist für angebotene Plätze (Stunden)"),
        default=48,
        validators=[
            InputRequired(_l("Bitte geben Sie eine Frist an.")),
            NumberRange(min=1, max=336, message=_l("Bitte eine Zahl von 1 bis 336.")),
        ],
    )
    priority_newcomers = BooleanField(
        _l("Neue Kommunen zuerst: Vorrang auf der Warteliste"),
        description=_l(
            "Wird ein Platz frei, rücken zuerst Kommunen nach, die noch an keiner "
            "Veranstaltung dieses Formats teilgenommen haben."
        ),
    )
    model_projects = SelectField(
        _l("Geförderte Modellprojekte Smart Cities"),
        choices=model_project_choices,
        default=ModelProjectPolicy.EQUAL.value,
    )
    notify_description = BooleanField(
        _l("Teilnehmende auch über eine geänderte Beschreibung informieren")
    )

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("Das Ende muss nach dem Beginn liegen."))

    def validate_registration_closes_at(self, field):
        if field.data and self.starts_at.data and field.data > self.starts_at.data:
            raise ValidationError(_l("Der Anmeldeschluss darf nicht nach dem Beginn liegen."))


class CancelEventForm(FlaskForm):
    reason = TextAreaField(
        _l("Grund der Absage"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund an; er steht in der Absage-Mail.")),
            Length(max=2000, message=LONG),
        ],
    )


class PromoteForm(FlaskForm):
    reason = StringField(
        _l("Grund für das Vorziehen"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund an.")),
            Length(max=500, message=LONG),
        ],
    )
    add_seat = BooleanField(_l("Falls alle Plätze vergeben sind: einen Platz zusätzlich schaffen"))


class CancelRegistrationForm(FlaskForm):
    reason = StringField(
        _l("Grund der Stornierung"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Grund an.")),
            Length(max=500, message=LONG),
        ],
    )


class MoveForm(FlaskForm):
    target_event = SelectField(
        _l("Umbuchen auf"),
        coerce=int,
        choices=[],
        validators=[DataRequired(_l("Bitte wählen Sie eine Veranstaltung."))],
    )


class PhoneRegistrationForm(RegistrationForm):
    """The public form without consent and honeypot: the organiser took it by phone."""

    consent = None
    website = None


class ButtonForm(FlaskForm):
    """A bare button: the CSRF token is the only field."""


class FilterForm(FlaskForm):
    """Search and status filter of the registrations table (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Suche"), validators=[Optional()], description=_l("Name, E-Mail oder Kommune")
    )
    status = SelectField(_l("Status"), choices=status_choices, validators=[Optional()])


class ExportForm(FlaskForm):
    class Meta:
        csrf = False

    format = SelectField(
        _l("Format der Veranstaltung"),
        choices=lambda: [("", _l("Alle")), *format_choices()],
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status der Anmeldung"),
        choices=lambda: [("confirmed", _l("Bestätigt")), ("all", _l("Alle"))],
        validators=[Optional()],
    )
    starts_from = DateField(_l("Veranstaltungen ab"), validators=[Optional()])
    starts_until = DateField(_l("Veranstaltungen bis einschließlich"), validators=[Optional()])
