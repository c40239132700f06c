"""The back office's forms for materials: upload a file, add a link, change one."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

from app.core.forms import TOO_LONG, SingleLine, strip
from app.materials.content import (
    ACCEPT,
    EMPTY,
    TOO_LARGE,
    UploadRefused,
    check_upload,
)
from app.materials.rules import MaterialFields
from app.models import MaterialVisibility


def language_choices():
    return [("de", _l("Deutsch")), ("en", _l("Englisch"))]


def visibility_choices():
    return [
        (
            MaterialVisibility.PUBLIC.value,
            _l("Öffentlich: auf der Veranstaltungsseite und im Archiv"),
        ),
        (
            MaterialVisibility.PARTICIPANTS.value,
            _l("Nur für Teilnehmende: auf ihrer persönlichen Seite"),
        ),
    ]


def max_upload_megabytes() -> int:
    return current_app.config["MATERIALS_MAX_MB"]


class MaterialForm(FlaskForm):
    """Title, language and visibility: what every material has."""

    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(_l("Bitte geben Sie einen Titel ein.")),
            SingleLine(),
            Length(max=200, message=TOO_LONG),
        ],
        description=_l("So erscheint die Unterlage in der Liste, z. B. „Folien der Vorträge“."),
        filters=[strip],
    )
    language = SelectField(
        _l("Sprache"),
        choices=language_choices,
        default="de",
        # Checked in validate_language: DataRequired would mark the select "required", which
        # HTML allows only with an empty first option.
        validate_choice=False,
    )
    visibility = SelectField(
        _l("Wer sieht die Unterlage?"),
        choices=visibility_choices,
        default=MaterialVisibility.PUBLIC.value,
        validate_choice=False,
        description=_l(
            "Teilnehmende sind bestätigte und beim Check-in anwesende Personen. Sie finden "
            "die Unterlage über den persönlichen Link aus ihren E-Mails."
        ),
    )

    # WTForms' own "Not a valid choice" is English: these answer in the page's language.
    def validate_language(self, field):
        if field.data not in dict(language_choices()):
            raise ValidationError(_l("Bitte wählen Sie eine Sprache aus der Liste."))

    def validate_visibility(self, field):
        if field.data not in dict(visibility_choices()):
            raise ValidationError(_l("Bitte wählen Sie aus der Liste, wer die Unterlage sieht."))

    def fields(self) -> MaterialFields:
        return MaterialFields(
            title=self.title.data,
            language=self.language.data,
            visibility=MaterialVisibility(self.visibility.data),
        )


def notify_field() -> BooleanField:
    return BooleanField(
        _l("Teilnehmende per E-Mail benachrichtigen"),
        description=_l(
            "Jede bestätigte oder anwesende Person erhält eine E-Mail in ihrer Sprache mit dem "
            "Link zu ihrer persönlichen Seite, auf der die Unterlagen stehen."
        ),
    )


def refused_message(refused: UploadRefused) -> str:
    if refused.reason == EMPTY:
        return _l("Die Datei ist leer. Bitte wählen Sie die richtige Datei aus.")
    if refused.reason == TOO_LARGE:
        return _l(
            "Die Datei ist zu groß: höchstens %(max)d MB sind möglich.",
            max=max_upload_megabytes(),
        )
    return _l(
        "Diese Datei ist weder PDF noch PowerPoint, Word, Excel, OpenDocument (odt, ods, odp) "
        "oder ein PNG- oder JPEG-Bild. Geprüft wird der Inhalt der Datei, nicht ihr Name."
    )


class FileMaterialForm(MaterialForm):
    file = FileField(_l("Datei"), render_kw={"accept": ACCEPT})
    notify = notify_field()

    checked = None  # the CheckedFile once the upload passed validate_file

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is the app's setting, known only once a request runs.
        self.file.description = _l(
            "PDF, PowerPoint, Word, Excel, OpenDocument (odt, ods, odp), PNG oder JPEG; "
            "höchstens %(max)d MB.",
            max=max_upload_megabytes(),
        )

    def validate_file(self, field):
        upload = field.data
        if upload is None or not getattr(upload, "filename", None):
            raise StopValidation(_l("Bitte wählen Sie eine Datei aus."))
        limit = max_upload_megabytes() * 1024 * 1024
        try:
            self.checked = check_upload(upload.stream, upload.filename, limit)
        except UploadRefused as refused:
            raise ValidationError(refused_message(refused)) from None


class LinkMaterialForm(MaterialForm):
    url = StringField(
        _l("Adresse (https://…)"),
        validators=[
            DataRequired(_l("Bitte geben Sie die Adresse des Links ein.")),
            SingleLine(),
            Length(max=500, message=TOO_LONG),
        ],
        description=_l("Zum Beispiel der Ordner mit dem Protokoll in der Cloud der Kommune."),
        filters=[strip],
    )
    notify = notify_field()

    def validate_url(self, field):
        try:
            parts = urlsplit(field.data)
            host = parts.hostname
        except ValueError:  # e.g. an unclosed IPv6 bracket
            parts, host = None, None
        # Only https: the page is served over TLS, and a plain http address would send a
        # participant's click (and what the page then asks of them) unencrypted.
        if parts is None or parts.scheme.lower() != "https" or not host or " " in field.data:
            raise ValidationError(
                _l("Bitte geben Sie eine vollständige Adresse ein, die mit https:// beginnt.")
            )


class EditMaterialForm(MaterialForm):
    """Title, language and visibility of a material already there."""
