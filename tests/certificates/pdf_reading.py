"""Reading certificates back: PDFs with a real parser (pypdf), and test images made with Pillow."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def read_pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """The text of every page, with runs of white space as one space."""
    text = " ".join(page.extract_text() for page in read_pdf(data).pages)
    return re.sub(r"\s+", " ", text)


def pdf_links(data: bytes) -> list[str]:
    """The URIs of the PDF's link annotations."""
    links = []
    for page in read_pdf(data).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def verification_path(data: bytes) -> str:
    """The path of the verification page the PDF links to (and its QR code carries)."""
    [link] = [link for link in pdf_links(data) if "/bescheinigung/" in link]
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def image_bytes(kind: str = "PNG", size=(600, 200), **options) -> bytes:
    """A small picture of a signature-like line, made with Pillow."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).line([(20, 150), (200, 40), (380, 160), (580, 60)], fill="navy", width=6)
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()
