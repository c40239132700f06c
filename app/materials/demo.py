"""Demo materials, so that a newcomer sees a public file and a participants' link at once."""

from __future__ import annotations

import io
from datetime import datetime

from sqlalchemy.orm import Session

from app.materials.content import PDF, CheckedFile
from app.materials.rules import MaterialFields, add_file, add_link
from app.materials.storage import material_store
from app.models import Event, MaterialVisibility


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF (ISO 32000-1) showing ``lines`` in Helvetica; Umlaute included
    (WinAnsiEncoding, which matches Latin-1 for them)."""

    def literal(text: str) -> bytes:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("latin-1") + b")"

    shown = b" Tj T* ".join(literal(line) for line in lines)
    content = b"BT /F1 14 Tf 20 TL 72 770 Td " + shown + b" Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def add_demo_materials(session: Session, event: Event, now: datetime) -> None:
    """Slides for everyone and the minutes for those who took part."""
    slides = tiny_pdf(
        [
            event.title,
            "Folien der Vorträge (Demo)",
            "Ziele, Formate und Ablauf von Start Smart, Impulse aus den Kommunen.",
        ]
    )
    upload = CheckedFile(io.BytesIO(slides), PDF, "Folien der Vorträge.pdf", len(slides))
    public = MaterialFields("Folien der Vorträge", "de", MaterialVisibility.PUBLIC)
    add_file(session, material_store(), None, event, public, upload, now)
    minutes = MaterialFields(
        "Protokoll und Fotodokumentation", "de", MaterialVisibility.PARTICIPANTS
    )
    add_link(session, None, event, minutes, "https://cloud.startsmart.example/s/protokoll", now)
