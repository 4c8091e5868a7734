"""Real data for the notebooks, offline first.

Tiny Shakespeare (1,115,394 characters, 65 distinct; char-rnn's compilation of
Shakespeare's plays) is found in this order:

1. an explicit ``path=`` argument;
2. ``$LSTM_DATA_DIR/tinyshakespeare.txt`` (CI points this at ``../shared/data``);
3. the Keras cache, ``$KERAS_HOME/datasets/`` (default ``~/.keras/datasets/``);
4. a download with ``keras.utils.get_file`` from the canonical char-rnn copy.

Every copy is checked against the published sha256 before use: a file with another
hash is rejected with a clear error and never returned (a bad download is deleted).
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers.files import sha256 as sha256_of

__all__ = ["SHAKESPEARE_SHA256", "SHAKESPEARE_URL", "find_shakespeare", "load_shakespeare",
           "split_speeches"]

SHAKESPEARE_FILENAME = "tinyshakespeare.txt"
SHAKESPEARE_URL = (
    "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
)
SHAKESPEARE_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"


def _verified(path: Path, sha256: str, where: str) -> Path:
    """Return ``path`` if its content has the expected hash, else raise ValueError."""
    got = sha256_of(path)
    if got != sha256:
        raise ValueError(
            f"{where}: {path} is not Tiny Shakespeare as published: its sha256 is {got}, "
            f"expected {sha256}. The file was not used. Replace it with a fresh copy of "
            f"{SHAKESPEARE_URL} (or delete it to let the loader download one).")
    return path


def _how_to_provide() -> str:
    return (f"To work offline, download {SHAKESPEARE_URL} once (sha256 {SHAKESPEARE_SHA256}), "
            f"save it as {SHAKESPEARE_FILENAME} in a folder, and either pass "
            f"load_shakespeare(path='.../{SHAKESPEARE_FILENAME}') or set the environment "
            "variable LSTM_DATA_DIR to that folder.")


def find_shakespeare(path: str | os.PathLike | None = None, *, url: str = SHAKESPEARE_URL,
                     cache_dir: str | os.PathLike | None = None) -> Path:
    """Locate (or download) a verified copy of Tiny Shakespeare and return its path.

    Args:
        path: an explicit file to use. When given, nothing else is tried.
        url: where to download from when no local copy exists (a mirror, or a local
            server in the tests). The content must still match ``SHAKESPEARE_SHA256``.
        cache_dir: the Keras cache folder; default ``$KERAS_HOME`` or ``~/.keras``. The
            file lives in its ``datasets/`` subfolder.

    Returns:
        Path of a file whose sha256 is ``SHAKESPEARE_SHA256``.

    Raises:
        FileNotFoundError: ``path`` does not exist; or no local copy exists and the
            download failed (the message says how to provide a copy by hand).
        ValueError: a file that was found (or downloaded) has the wrong sha256. A bad
            download is deleted; a file of yours is left where it is, unused.

    Source: ../shared/data/README.md in this project; ``keras.utils.get_file``
    (Keras docs, "Python & NumPy utilities").
    """
    if path is not None:
        path = Path(path).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"path={str(path)!r} does not exist or is not a file. "
                                    + _how_to_provide())
        return _verified(path, SHAKESPEARE_SHA256, "path")

    data_dir = os.environ.get("LSTM_DATA_DIR")
    if data_dir:
        candidate = Path(data_dir).expanduser() / SHAKESPEARE_FILENAME
        if candidate.is_file():
            return _verified(candidate, SHAKESPEARE_SHA256, "LSTM_DATA_DIR")

    cache_root = Path(cache_dir or os.environ.get("KERAS_HOME") or "~/.keras").expanduser()
    cached = cache_root / "datasets" / SHAKESPEARE_FILENAME
    if cached.is_file() and sha256_of(cached) == SHAKESPEARE_SHA256:
        return cached
    # A cached file with another hash is replaced by the download below (Keras does the same).

    import keras  # deferred: this module stays importable without TensorFlow

    try:  # Keras writes to /tmp/.keras instead when the folder is missing or read-only
        cache_root.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    try:
        fetched = keras.utils.get_file(
            fname=SHAKESPEARE_FILENAME, origin=url, cache_dir=str(cache_root),
            cache_subdir="datasets", file_hash=SHAKESPEARE_SHA256, hash_algorithm="sha256")
    except ValueError as exc:  # downloaded, but the content does not match the hash
        cached.unlink(missing_ok=True)  # Keras leaves the bad file in place; never reuse it
        raise ValueError(
            f"The file downloaded from {url} does not match the published sha256 "
            f"{SHAKESPEARE_SHA256} (truncated or altered), so it was deleted and not used. "
            f"Try again later, or provide a copy by hand. {_how_to_provide()}") from exc
    except Exception as exc:  # offline, DNS failure, HTTP error, ...
        looked = [f"LSTM_DATA_DIR={data_dir!r}" if data_dir else "LSTM_DATA_DIR (not set)",
                  f"the Keras cache ({cached})"]
        raise FileNotFoundError(
            f"Tiny Shakespeare is not on this machine (looked at {', '.join(looked)}) and "
            f"the download from {url} failed: {exc}. {_how_to_provide()}") from None
    return _verified(Path(fetched), SHAKESPEARE_SHA256, "download")


def load_shakespeare(path: str | os.PathLike | None = None, *, url: str = SHAKESPEARE_URL,
                     cache_dir: str | os.PathLike | None = None) -> str:
    """Return the text of Tiny Shakespeare (1,115,394 characters, 65 distinct).

    Looks at ``path``, then ``$LSTM_DATA_DIR``, then the Keras cache, then downloads;
    see :func:`find_shakespeare` for the arguments and the errors raised.
    """
    return find_shakespeare(path, url=url, cache_dir=cache_dir).read_text(encoding="utf-8")


def split_speeches(text: str) -> list[tuple[str, str]]:
    """Split a play's text into ``(speaker, speech)`` pairs, in order.

    Tiny Shakespeare separates speeches by a blank line, and each speech opens with the
    speaker's name on a line of its own, ending in a colon::

        ROMEO:
        He jests at scars that never felt a wound.

    Args:
        text: the corpus, e.g. ``load_shakespeare()``.

    Returns:
        A list of ``(speaker, speech)``: the name as written (``"DUKE VINCENTIO"``) and the
        speech's lines joined by newlines. Blocks without a ``NAME:`` first line are left out.

    Raises:
        TypeError: ``text`` is not a str.
        ValueError: no block of ``text`` has the ``NAME:`` layout (not a play's text).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str (the corpus); got {type(text).__name__}. "
                        "Pass load_shakespeare().")
    speeches = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        first, _, speech = block.strip("\n").partition("\n")
        if first.endswith(":") and first[:-1].strip() and speech.strip():
            speeches.append((first[:-1].strip(), speech))
    if not speeches:
        raise ValueError("text has no speeches: expected blocks separated by blank lines, each "
                         "opening with a line 'NAME:' then the speech; got none "
                         f"({len(text)} characters). Pass the text of Tiny Shakespeare.")
    return speeches
