"""Back-office forms of the intake: pipeline actions, consultation slots, the directory."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.core.forms import SingleLine
from app.intake.consultation import MAX_MINUTES, MIN_MINUTES
from app.models import PipelineStage, SlotChannel

STAGE_LABELS = {
    PipelineStage.NEW: _l("Neu"),
    PipelineStage.CONTACTED: _l("Kontaktiert"),
    PipelineStage.CONSULTATION_BOOKED: _l("Beratung gebucht"),
    PipelineStage.IN_SUPPORT: _l("In Begleitung"),
    PipelineStage.CLOSED: _l("Abgeschlossen"),
}


class StageForm(FlaskForm):
    stage = SelectField(
        _l("Status"), choices=lambda: [(k.value, v) for k, v in STAGE_LABELS.items()]
    )


class AssignForm(FlaskForm):
    assignee = StringField(
        _l("Zuständig"),
        validators=[
            Optional(),
            SingleLine(),
            Length(max=200, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
    )


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Notiz"),
        validators=[
            DataRequired(_l("Bitte schreiben Sie eine Notiz.")),
            Length(max=4000, message=_l("Bitte höchstens %(max)d Zeichen.")),
        ],
    )


class SlotForm(FlaskForm):
    day = DateField(_l("Datum"), validators=[DataRequired(_l("Bitte geben Sie ein Datum an."))])
    time = TimeField(
        _l("Uhrzeit (Berlin)"), validators=[DataRequired(_l("Bitte geben Sie eine Uhrzeit an."))]
    )
    duration_minutes = IntegerField(
        _l("Dauer in Minuten"),
        default=60,
        validators=[
            DataRequired(_l("Bitte geben Sie die Dauer an.")),
            NumberRange(
                MIN_MINUTES,
                MAX_MINUTES,
                _l("Bitte zwischen %(min)s und %(max)s Minuten."),
            ),
        ],
    )
    channel = SelectField(
        _l("Art"),
        choices=lambda: [
            (SlotChannel.ONLINE.value, _l("Online")),
            (SlotChannel.PHONE.value, _l("Telefon")),
        ],
    )
    organiser_name = StringField(
        _l("Beratende Person"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Namen an.")),
            SingleLine(),
            Length(max=200),
        ],
    )
    organiser_email = EmailField(
        _l("E-Mail der beratenden Person"),
        validators=[
            DataRequired(_l("Bitte geben Sie eine E-Mail-Adresse an.")),
            SingleLine(),
            Email(
                _l("Bitte geben Sie eine gültige E-Mail-Adresse an."), check_deliverability=False
            ),
        ],
    )
    access_details = StringField(
        _l("Zugang (Videolink oder Telefonnummer, optional)"),
        validators=[Optional(), SingleLine(), Length(max=500)],
    )


class MergeForm(FlaskForm):
    source_id = HiddenField(validators=[DataRequired(), SingleLine()])
    target_id = HiddenField(validators=[DataRequired(), SingleLine()])
