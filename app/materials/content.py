"""What an uploaded file really is, read from its content, and the name it is served under.

The name and the type a browser sends are whatever the sender chose: an HTML page renamed to
``folien.pdf`` would still be HTML. So the type is read from the first bytes (the "magic
numbers" of PDF, PNG and JPEG) and, for the ZIP containers of Office and OpenDocument files,
from the entry that declares what the package is: ``[Content_Types].xml`` (ECMA-376 Part 2,
Open Packaging Conventions) or the first entry ``mimetype`` (OASIS OpenDocument 1.3, Part 2,
3.3). Only the types below are accepted; everything else is refused.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: object  # what the lists call it: a name, or a lazy text where it needs translating


PDF = FileType("pdf", "application/pdf", "PDF")
PNG = FileType("png", "image/png", "PNG")
JPEG = FileType("jpg", "image/jpeg", "JPEG")
_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = FileType("docx", _OOXML + "wordprocessingml.document", "Word")
XLSX = FileType("xlsx", _OOXML + "spreadsheetml.sheet", "Excel")
PPTX = FileType("pptx", _OOXML + "presentationml.presentation", "PowerPoint")
_ODF = "application/vnd.oasis.opendocument."
ODT = FileType("odt", _ODF + "text", _l("OpenDocument-Text"))
ODS = FileType("ods", _ODF + "spreadsheet", _l("OpenDocument-Tabelle"))
ODP = FileType("odp", _ODF + "presentation", _l("OpenDocument-Präsentation"))
ALLOWED = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG)
# What the file chooser offers; the content decides all the same.
ACCEPT = ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_ZIP_SIGNATURE = b"PK\x03\x04"
# The content type of a package's main part, as [Content_Types].xml declares it. The
# macro-enabled and template variants have other types and are refused with everything else.
_OOXML_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
BY_CONTENT_TYPE = {t.content_type: t for t in ALLOWED}
_ODF_MIMETYPES = {t.content_type.encode("ascii"): t for t in (ODT, ODS, ODP)}
# The declaring entries are small; reading more than this would only serve a zip bomb.
_MAX_CONTENT_TYPES_BYTES = 256 * 1024


class UploadRefused(Exception):
    """The upload cannot be stored; ``reason`` is EMPTY, TOO_LARGE or UNKNOWN_TYPE."""

    def __init__(self, reason: str, size: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.size = size


EMPTY, TOO_LARGE, UNKNOWN_TYPE = "empty", "too large", "unknown type"


@dataclass(frozen=True)
class CheckedFile:
    stream: BinaryIO
    file_type: FileType
    filename: str
    size: int


def check_upload(stream: BinaryIO, original_name: str, max_bytes: int) -> CheckedFile:
    """The upload as it may be stored, or UploadRefused. ``stream`` must be seekable."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise UploadRefused(EMPTY)
    if size > max_bytes:
        raise UploadRefused(TOO_LARGE, size)
    file_type = detect_type(stream)
    if file_type is None:
        raise UploadRefused(UNKNOWN_TYPE, size)
    return CheckedFile(stream, file_type, safe_filename(original_name, file_type), size)


def detect_type(stream: BinaryIO) -> FileType | None:
    """The allowed type ``stream`` holds, or None; leaves the stream at its start."""
    try:
        head = stream.read(8)
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(_PNG_SIGNATURE):
            return PNG
        if head.startswith(_JPEG_SIGNATURE):
            return JPEG
        if head.startswith(_ZIP_SIGNATURE):
            stream.seek(0)
            return _package_type(stream)
        return None
    finally:
        stream.seek(0)


def _package_type(stream: BinaryIO) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as package:
            entries = package.infolist()
            # OpenDocument: "mimetype" is the first entry, stored uncompressed, so that the
            # type can be read at a fixed place; a package that merely contains one is not ODF.
            if entries and entries[0].filename == "mimetype":
                with package.open(entries[0]) as entry:
                    return _ODF_MIMETYPES.get(entry.read(100).strip())
            if "[Content_Types].xml" in package.namelist():
                with package.open("[Content_Types].xml") as entry:
                    declared = entry.read(_MAX_CONTENT_TYPES_BYTES)
                found = [t for t, main in _OOXML_MAIN_PARTS.items() if main in declared]
                return found[0] if len(found) == 1 else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return None
    return None


# Never in a file name: path separators, what Windows forbids, quotes and the percent sign.
_UNSAFE = re.compile(r'[\\/:*?"<>|%;]')
_SPACES = re.compile(r"\s+")
_MAX_STEM = 120


def safe_filename(original_name: str, file_type: FileType) -> str:
    """The name a file is served under: the uploaded name without any path, control
    characters or characters a file system or a header would trip over, ending in the
    extension of the type found in its content (whatever the upload was called)."""
    name = unicodedata.normalize("NFC", original_name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in name)
    name = _UNSAFE.sub("_", name)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _SPACES.sub(" ", stem).strip(" ._-")[:_MAX_STEM].strip(" ._-")
    return f"{stem or 'unterlagen'}.{file_type.extension}"


_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def ascii_filename(filename: str) -> str:
    """The plain-ASCII stand-in for clients that ignore ``filename*`` (Umlaute spelled out)."""
    spelled = unicodedata.normalize("NFKD", filename.translate(_TRANSLITERATION))
    spelled = "".join(char for char in spelled if not unicodedata.combining(char))  # é → e
    plain = re.sub(r"[^A-Za-z0-9 ._()+,=@&!#$'~^-]", "_", spelled)
    return plain.strip() or "unterlagen"


def content_disposition(filename: str) -> str:
    """``attachment`` with the name twice (RFC 6266, 4.3): an ASCII ``filename`` and the
    UTF-8 ``filename*`` of RFC 8187 (which replaced RFC 5987), for the Umlaute."""
    encoded = quote(filename, safe="!#$&+-.^_`|~")
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{encoded}"
