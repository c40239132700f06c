"""The local store keeps files under random names in the instance folder and never lets a
name become a path elsewhere."""

from __future__ import annotations

import io

import pytest

from app.materials.storage import LocalFileStore, StoredFileMissing


def test_save_open_delete(tmp_path):
    store = LocalFileStore(tmp_path / "materials")

    name = store.save(io.BytesIO(b"%PDF-1.4 ..."))

    assert len(name) == 32
    with store.open(name) as stored:
        assert stored.read() == b"%PDF-1.4 ..."
    assert [path.name for path in (tmp_path / "materials").iterdir()] == [name]
    store.delete(name)
    store.delete(name)  # a second delete is no error
    with pytest.raises(StoredFileMissing):
        store.open(name)


@pytest.mark.parametrize("name", ["../secret", "/etc/passwd", "a" * 32, "", "0" * 31 + "/"])
def test_names_the_store_did_not_make_open_nothing(name, tmp_path):
    (tmp_path / "secret").write_bytes(b"geheim")
    store = LocalFileStore(tmp_path / "materials")

    with pytest.raises(StoredFileMissing):
        store.open(name)
    store.delete(name)
    assert (tmp_path / "secret").read_bytes() == b"geheim"


def test_the_app_keeps_files_in_its_instance_folder(app_ctx):
    from pathlib import Path

    from app.materials.storage import material_store

    store = material_store()
    assert Path(store.root) == Path(app_ctx.instance_path) / "materials"
