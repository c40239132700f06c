"""The participants' feedback form and the organisers' choice of questions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields import DateField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.forms import TOO_LONG, strip
from app.feedback.rules import SCALE, Answer

TEXT_MAX = 2000


def usefulness_choices():
    labels = {
        1: _l("1 – gar nicht nützlich"),
        2: _l("2 – wenig nützlich"),
        3: _l("3 – teils, teils"),
        4: _l("4 – nützlich"),
        5: _l("5 – sehr nützlich"),
    }
    return [(str(score), labels[score]) for score in SCALE]


def text_field(label, description=""):
    return TextAreaField(
        label,
        description=description,
        filters=[strip],
        validators=[Optional(), Length(max=TEXT_MAX, message=TOO_LONG)],
        render_kw={"rows": 4, "maxlength": TEXT_MAX},
    )


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class FeedbackAnswerForm(FlaskForm):
    usefulness = RadioField(
        _l("Wie nützlich war die Veranstaltung für Ihre Arbeit?"),
        choices=usefulness_choices,
        validators=[InputRequired(message=_l("Bitte wählen Sie aus, wie nützlich es war."))],
    )
    will_use = text_field(_l("Was werden Sie aus der Veranstaltung nutzen?"))
    missing = text_field(_l("Was hat Ihnen gefehlt?"))
    topics = CheckboxesField(
        _l("Zu welchen Themen wünschen Sie sich weitere Veranstaltungen?"),
        coerce=int,
        choices=[],
        validate_choice=True,
    )
    comment = text_field(
        _l("Möchten Sie uns sonst noch etwas sagen?"),
        _l("Bitte nennen Sie hier keine Namen: Ihre Antwort bleibt anonym."),
    )

    def answer(self) -> Answer:
        return Answer(
            usefulness=int(self.usefulness.data),
            will_use=self.will_use.data or "",
            missing=self.missing.data or "",
            comment=self.comment.data or "",
            topic_ids=tuple(self.topics.data or ()),
        )


class FeedbackSettingsForm(FlaskForm):
    ask_will_use = BooleanField(_l("Frage „Was werden Sie nutzen?“ stellen"))
    ask_missing = BooleanField(_l("Frage „Was hat gefehlt?“ stellen"))
    ask_topics = BooleanField(_l("Frage nach gewünschten Themen stellen"))
    ask_comment = BooleanField(_l("Freitext für weitere Anmerkungen anbieten"))
    closes_on = DateField(
        _l("Änderungen möglich bis einschließlich"),
        description=_l("Leer lassen: 14 Tage nach dem Ende der Veranstaltung."),
        validators=[Optional()],
    )
