"""The signature image printed on every certificate: checked, stored in the instance folder.

An upload is accepted only if its content is a PNG or JPEG image that decodes (the file name
and the browser's content type say nothing). It is then drawn again as a new PNG: that drops
whatever else the file carried (EXIF data such as the camera's position, comments, a second
file appended to the image) and bounds its size, so the file read back into each PDF is always
one we made ourselves.
"""

from __future__ import annotations

import enum
import io
import os
import tempfile
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A scanned signature is a few hundred pixels high; more only makes every PDF larger.
MAX_STORED_SIZE = (1200, 400)
# Decoding a small file into a huge bitmap (a "decompression bomb") is refused before it starts.
MAX_PIXELS = 40_000_000
FORMATS = {"PNG": b"\x89PNG\r\n\x1a\n", "JPEG": b"\xff\xd8\xff"}
FILE_NAME = "signature.png"


class Problem(enum.Enum):
    EMPTY = "empty"
    TOO_LARGE = "too large"
    NOT_AN_IMAGE = "not a PNG or JPEG image"


class InvalidSignature(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.value)
        self.problem = problem


def signature_path(instance_path: str) -> Path:
    return Path(instance_path) / "certificates" / FILE_NAME


def _decode(data: bytes) -> Image.Image:
    if not any(data.startswith(magic) for magic in FORMATS.values()):
        raise InvalidSignature(Problem.NOT_AN_IMAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=list(FORMATS))
            if probe.width * probe.height > MAX_PIXELS:
                raise InvalidSignature(Problem.TOO_LARGE)
            probe.verify()  # checksums and structure, without decoding the pixels
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidSignature(Problem.NOT_AN_IMAGE) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidSignature(Problem.TOO_LARGE) from exc
    return image


def clean_png(data: bytes) -> bytes:
    """The upload drawn again as a PNG of bounded size; InvalidSignature if it is no image."""
    if not data:
        raise InvalidSignature(Problem.EMPTY)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidSignature(Problem.TOO_LARGE)
    image = _decode(data)
    image = image.convert(
        "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
    )
    image.thumbnail(MAX_STORED_SIZE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def store_signature(instance_path: str, data: bytes) -> None:
    """Check and store the upload, replacing any earlier signature in one step."""
    png = clean_png(data)
    path = signature_path(instance_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target, then renamed over it: a PDF built meanwhile reads either the
    # old image or the new one, never half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signature-", suffix=".png")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(png)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_signature(instance_path: str) -> bool:
    """Remove the signature; whether there was one."""
    path = signature_path(instance_path)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def load_signature(instance_path: str) -> bytes | None:
    path = signature_path(instance_path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
