"""The certificate as an accessible PDF, built from an HTML template; a ZIP of many.

WeasyPrint writes it as PDF/UA-1 (ISO 14289-1), the accessible PDF that EN 301 549 (clause 10)
and so BITV 2.0 ask of a public body's documents: tagged structure, the document's language and
title, alternative texts for the QR code and the signature, the font embedded. The font is
DejaVu Sans from the system (Debian's fonts-dejavu-core), which has every German letter. The
only resources the HTML may load are data: URIs built here (QR code, signature): the URL
fetcher refuses every other scheme, so building a PDF never reaches another host or a file.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
import zipfile
from datetime import datetime

import segno
from flask import Response, current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from app.certificates.models import Certificate
from app.certificates.rules import verification_code, verification_url
from app.core.timezone import BERLIN

PDF_VARIANT = "pdf/ua-1"
ALLOWED_URL_SCHEMES = ("data",)

# German spelling of Umlaute and ß in file names, then the letters NFKD cannot take apart.
TRANSLITERATION = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
        "ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O",
        "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th",
    }
)  # fmt: skip
MAX_NAME_PART = 60


def duration_text(starts_at: datetime, ends_at: datetime) -> str:
    """ "6 Stunden", "2 Stunden und 30 Minuten"; for events over several days "2 Tage"."""
    first, last = starts_at.astimezone(BERLIN).date(), ends_at.astimezone(BERLIN).date()
    if first != last:
        days = (last - first).days + 1
        return ngettext("%(num)d Tag", "%(num)d Tage", days)
    # Elapsed time, so that an event on the night the clocks change counts what it lasted.
    hours, minutes = divmod(round((ends_at - starts_at).total_seconds() / 60), 60)
    hours_text = ngettext("%(num)d Stunde", "%(num)d Stunden", hours)
    minutes_text = ngettext("%(num)d Minute", "%(num)d Minuten", minutes)
    if not minutes:
        return hours_text
    if not hours:
        return minutes_text
    return _("%(hours)s und %(minutes)s", hours=hours_text, minutes=minutes_text)


def ascii_name(text: str) -> str:
    """``text`` for a file name: ASCII letters, digits and hyphens only, never a path."""
    text = unicodedata.normalize("NFC", text).translate(TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:MAX_NAME_PART].strip("-")


def certificate_filename(certificate: Certificate) -> str:
    """ "Teilnahmebescheinigung-Mustermann-Erika-42.pdf": the number keeps namesakes apart."""
    registration = certificate.registration
    parts = [ascii_name(registration.last_name), ascii_name(registration.first_name)]
    name = "-".join(part for part in parts if part)
    stem = f"Teilnahmebescheinigung-{name}-{certificate.id}" if name else None
    return f"{stem or f'Teilnahmebescheinigung-{certificate.id}'}.pdf"


def _png_data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def certificate_html(certificate: Certificate, language: str, signature: bytes | None) -> str:
    """The HTML the PDF is made from, in ``language``."""
    url = verification_url(certificate)
    registration = certificate.registration
    event = registration.event
    with force_locale(language):
        return render_template(
            "certificates/pdf.html",
            language=language,
            certificate=certificate,
            registration=registration,
            event=event,
            duration=duration_text(event.starts_at, event.ends_at),
            office=current_app.config["OFFICE_NAME"],
            code=verification_code(certificate),
            verification_url=url,
            qr_code=segno.make(url, error="m").svg_data_uri(scale=4, border=0),
            signature=_png_data_uri(signature) if signature else None,
        )


def build_pdf(certificate: Certificate, language: str, signature: bytes | None = None) -> bytes:
    """The certificate as a tagged PDF/UA-1 document."""
    # Imported here: WeasyPrint loads Pango when imported, and the rest of the service runs
    # on a machine without it (README, "Certificates of attendance").
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = HTML(
        string=certificate_html(certificate, language, signature),
        url_fetcher=URLFetcher(allowed_protocols=ALLOWED_URL_SCHEMES),
    )
    return html.write_pdf(pdf_variant=PDF_VARIANT)


def pdf_download(certificate: Certificate, language: str, signature: bytes | None) -> Response:
    """The PDF as a download, named after the participant (ASCII only)."""
    response = Response(build_pdf(certificate, language, signature), mimetype="application/pdf")
    filename = certificate_filename(certificate)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A person's name and attendance: never kept by a shared cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def certificate_language(certificate: Certificate) -> str:
    """The participant's language, if the service speaks it; else German."""
    language = certificate.registration.language
    return language if language in current_app.config["LANGUAGES"] else "de"


def build_zip(certificates: list[Certificate], signature: bytes | None = None) -> bytes:
    """One PDF per certificate, each in its participant's language, in one ZIP file."""
    buffer = io.BytesIO()
    # PDFs are compressed already: stored as they are, the ZIP is made faster and not larger.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            pdf = build_pdf(certificate, certificate_language(certificate), signature)
            archive.writestr(certificate_filename(certificate), pdf)
    return buffer.getvalue()
