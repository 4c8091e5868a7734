"""helpers.files: files written whole, and sha256."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from helpers.files import atomic_path, atomic_write_text, sha256


def test_atomic_write_text_replaces_the_file_whole_with_normal_permissions(tmp_path):
    path = tmp_path / "config.json"
    path.write_text("old")
    atomic_write_text(path, "new ✓")
    assert path.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["config.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask   # not the temporary 0600


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(path, suffix=".keras") as tmp:
        assert tmp.parent == tmp_path and tmp.name.endswith(".keras") and not tmp.exists()
        tmp.write_bytes(b"half")
        raise RuntimeError("killed mid-write")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.keras"]


def test_a_block_that_writes_nothing_changes_nothing(tmp_path):
    path = tmp_path / "best.keras"
    with atomic_path(path):
        pass
    assert not path.exists() and not list(tmp_path.iterdir())


def test_sha256_of_bytes_text_and_a_file_agree_with_hashlib(tmp_path):
    data = "Sparse is better than dense. ✓".encode()
    (tmp_path / "f").write_bytes(data)
    expected = hashlib.sha256(data).hexdigest()
    assert sha256(data) == sha256(data.decode()) == sha256(tmp_path / "f") == expected
    assert sha256(str(tmp_path / "f")) == hashlib.sha256(str(tmp_path / "f").encode()).hexdigest()
