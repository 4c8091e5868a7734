"""Files written whole, and their hashes: the one home of both for every helper.

* :func:`atomic_path` - a temporary path beside a file, renamed over it when the writing
  succeeds, so a reader sees the old file or the new one, never half of one (a model
  checkpoint, a run's settings, a weights file);
* :func:`atomic_write_text` - a small text file written that way;
* :func:`sha256` - the hex sha256 of bytes, a text (as UTF-8) or a file.

Standard library only. Source: POSIX ``rename``, which replaces a file atomically within
one file system (Python's ``os.replace``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_text", "sha256"]



def _read_umask() -> int:
    umask = os.umask(0)           # the only way to read it is to set it: done once, at import,
    os.umask(umask)               # before any training thread runs
    return umask


_UMASK = _read_umask()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a fresh temporary path in ``path``'s folder; when the block ends without an
    exception, rename it over ``path`` (if the block wrote it), else delete it.

    The file gets the usual permissions (read for all, as ``open(path, "w")`` gives), not
    the private ones of a temporary file. ``suffix`` ends the temporary name (Keras, for
    one, wants a model file to end in ``.keras``).

    Example::

        with atomic_path("model.keras", suffix=".keras") as tmp:
            model.save(tmp)
    """
    path = Path(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()               # the writer creates it; a block that writes nothing renames nothing
    try:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, 0o666 & ~_UMASK)
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through :func:`atomic_path`."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def sha256(data: bytes | str | os.PathLike) -> str:
    """The sha256 (hex) of ``data``: bytes as given, a ``str`` encoded as UTF-8, a
    :class:`pathlib.Path` (or other path object) the file's bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    elif not isinstance(data, (bytes, bytearray, memoryview)):
        data = Path(data).read_bytes()
    return hashlib.sha256(data).hexdigest()
