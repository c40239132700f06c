"""Where uploaded material files live: a small interface and the local folder behind it.

Files are kept outside ``static/`` (nothing there is checked for visibility) under random
names: the name a person gave a file never becomes a path. A deployment that wants object
storage puts its own ``MaterialStore`` into ``app.extensions["material_store"]``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

EXTENSION_KEY = "material_store"
# What the store names a file: 128 random bits as hex. Anything else is refused before it
# can reach the file system (no "..", no slash, no absolute path).
_NAME = re.compile(r"^[0-9a-f]{32}$")


class StoredFileMissing(Exception):
    """The store holds no file of that name."""


class MaterialStore(Protocol):
    def save(self, stream: BinaryIO) -> str:
        """Store the stream's content from its current position; returns the new name."""

    def open(self, name: str) -> BinaryIO:
        """The stored file for reading; raises StoredFileMissing."""

    def delete(self, name: str) -> None:
        """Remove the file; a file already gone is no error."""


class LocalFileStore:
    """Files in one folder of the local disk (by default ``<instance>/materials``)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def _path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise StoredFileMissing(name)
        return self.root / name

    def save(self, stream: BinaryIO) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(16)
        # Written beside its final place and renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as target:
                shutil.copyfileobj(stream, target)
            os.replace(temporary, self._path(name))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name

    def open(self, name: str) -> BinaryIO:
        try:
            return self._path(name).open("rb")
        except FileNotFoundError:
            raise StoredFileMissing(name) from None

    def delete(self, name: str) -> None:
        try:
            self._path(name).unlink(missing_ok=True)
        except StoredFileMissing:
            return


def material_store() -> MaterialStore:
    """The application's store; the local folder unless the deployment installed another."""
    store = current_app.extensions.get(EXTENSION_KEY)
    if store is None:
        store = LocalFileStore(Path(current_app.instance_path) / "materials")
        current_app.extensions[EXTENSION_KEY] = store
    return store
