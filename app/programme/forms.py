"""Forms of the programme's back-office pages, with German messages (English through Babel)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.booking.reminders import MAX_DAYS, InvalidReminderDays, parse_reminder_days
from app.core.forms import TOO_LONG as LONG
from app.core.forms import SingleLine
from app.core.labels import (
    FORMAT_LABELS,
    MODE_LABELS,
    MODEL_PROJECT_LABELS,
    WAITLIST_MODE_LABELS,
    choices,
)
from app.models.event import ModelProjectPolicy


def format_choices():
    return choices(FORMAT_LABELS)


def mode_choices():
    return choices(MODE_LABELS)


def waitlist_choices():
    return choices(WAITLIST_MODE_LABELS)


def model_project_choices():
    return choices(MODEL_PROJECT_LABELS)


class EventForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Titel an.")),
            SingleLine(),
            Length(max=200, message=LONG),
        ],
    )
    format = SelectField(_l("Format"), choices=format_choices)
    summary = StringField(
        _l("Kurzbeschreibung"),
        validators=[Optional(), SingleLine(), Length(max=500, message=LONG)],
    )
    description = TextAreaField(_l("Beschreibung"), validators=[Optional()])
    topics = SelectMultipleField(_l("Themen"), coerce=int, choices=[], validate_choice=False)
    new_topics = StringField(
        _l("Neue Themen"),
        validators=[Optional(), SingleLine(), Length(max=300, message=LONG)],
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
        _l("Veranstaltungsort"),
        validators=[Optional(), SingleLine(), Length(max=200, message=LONG)],
    )
    address = StringField(
        _l("Adresse"), validators=[Optional(), SingleLine(), Length(max=300, message=LONG)]
    )
    online_url = URLField(
        _l("Online-Zugang (Link)"),
        validators=[
            Optional(),
            SingleLine(),
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
    reminder_days = StringField(
        _l("Erinnerungen (Tage vor Beginn)"),
        default="7, 1",
        validators=[Optional(), SingleLine(), Length(max=60, message=LONG)],
        description=_l("Zum Beispiel „7, 1“; leer lassen für keine Erinnerungen per E-Mail."),
    )
    preparation = TextAreaField(
        _l("Vorbereitung"),
        validators=[Optional(), Length(max=4000, message=LONG)],
        description=_l(
            "Was Teilnehmende mitbringen oder vorbereiten sollen; steht in der Erinnerung "
            "und auf der persönlichen Seite."
        ),
    )
    notify_description = BooleanField(
        _l("Teilnehmende auch über eine geänderte Beschreibung informieren")
    )

    def validate_reminder_days(self, field):
        try:
            parse_reminder_days(field.data or "")
        except InvalidReminderDays:
            raise ValidationError(
                _l(
                    "Bitte ganze Tage von 1 bis %(max)d, durch Komma getrennt (z. B. „7, 1“).",
                    max=MAX_DAYS,
                )
            ) from None

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
