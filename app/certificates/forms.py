"""The back office's form for the signature image."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class SignatureForm(FlaskForm):
    # The content is checked (app.certificates.signature), not the name or the type the
    # browser claims; ``accept`` only helps the file picker.
    image = FileField(
        _l("Bild der Unterschrift"),
        validators=[FileRequired(_l("Bitte wählen Sie eine Bilddatei aus."))],
        description=_l(
            "Eine PNG- oder JPEG-Datei bis 2 MB, am besten die eingescannte Unterschrift auf "
            "weißem oder durchsichtigem Grund. Sie erscheint auf jeder Teilnahmebescheinigung "
            "über dem Namen der Stelle."
        ),
        render_kw={"accept": "image/png,image/jpeg"},
    )
