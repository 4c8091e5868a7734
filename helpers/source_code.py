"""Real Python source code as a corpus, and what each of its characters is: notebook 11.

* :func:`package_sources` - the ``.py`` files of one package, read from its installed
  distribution (whose version must be the one asked for) or from its wheel file, sorted by
  path, test files left out by a stated rule; :func:`split_files` (training and validation,
  by file) and :func:`corpus_sha256` (one hash for the whole selection);
* :func:`text_features` - per-character features any text has (position in the line,
  characters left in it, inside the indentation, inside a word, position in the word);
* :func:`python_features` - those plus what Python's own tokenizer (:mod:`tokenize`) says:
  inside a string literal, inside a triple-quoted string, inside a comment, bracket depth,
  indentation;
* :func:`closing_distances` - for each closing bracket, how far back its opening one is;
* :func:`char_classes` - letter, digit, space, newline, brackets, quotes, other.

Every feature describes the text *up to and including* character ``t``: what a model that
has just read it could know. A string literal starts at its opening quote and ends once its
closing quote is read, so the closing quote is outside (``in_string`` is 0 there).

The features are the same on Python 3.11 and 3.12 and later, although 3.12's tokenizer
splits an f-string into pieces (``FSTRING_START`` ... ``FSTRING_END``, PEP 701): the whole
f-string counts as one string literal, as it did before, and brackets inside its
replacement fields are not counted.

Source: Karpathy, Johnson & Fei-Fei (2015), "Visualizing and Understanding Recurrent
Networks", section 4.2 (cells that track quotes, line length, indentation); Python docs,
"tokenize - Tokenizer for Python source".
"""

from __future__ import annotations

import hashlib
import io
import os
import tokenize
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np

from helpers.checks import positive_int

__all__ = ["CHAR_CLASSES", "CORPUS", "VALIDATE_EVERY", "char_classes", "closing_distances",
           "corpus_features", "corpus_sha256", "is_test_file", "package_sources",
           "python_features", "split_files", "text_features"]

OPENING, CLOSING = "([{", ")]}"
# Notebook 11's corpus: pytest's own source, at the version requirements.txt pins (a test
# checks the two agree). One file in VALIDATE_EVERY validates.
CORPUS = {"package": "_pytest", "distribution": "pytest", "version": "9.2.0"}
VALIDATE_EVERY = 8


# ----------------------------------------------------------------------------- corpus
def is_test_file(path: str) -> bool:
    """The rule that leaves tests out: a folder named ``tests``, ``test`` or ``testing``
    on the path, or a file named ``test_*.py``, ``*_test.py`` or ``conftest.py``."""
    parts = PurePosixPath(path).parts
    name = parts[-1]
    return (any(part in {"tests", "test", "testing"} for part in parts[:-1])
            or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py")


def package_sources(package: str, *, distribution: str | None = None,
                    version: str | None = None,
                    wheel: str | os.PathLike | None = None) -> dict[str, str]:
    """The ``.py`` files of ``package`` (a top-level import name, e.g. ``"_pytest"``).

    Read from ``wheel`` (a ``.whl`` file: a zip) when given, else from the installed
    ``distribution`` (the pip name, e.g. ``"pytest"``; default ``package``), whose version
    must equal ``version`` when that is given. Test files (:func:`is_test_file`) are left out;
    empty files (an empty ``__init__.py``) stay, and add no characters.

    Returns:
        ``{path: text}`` sorted by path, paths relative to the package's parent
        (``"_pytest/python.py"``), texts decoded as UTF-8 with newlines as ``"\\n"``.

    Raises:
        ValueError: the distribution is not installed, its version differs (the message
            gives the ``pip download`` command that fetches the right wheel), the wheel is
            not a zip, or no ``.py`` file of ``package`` was found.
    """
    prefix = package.strip("/") + "/"
    if wheel is not None:
        try:
            with zipfile.ZipFile(wheel) as archive:
                raw = {name: archive.read(name) for name in archive.namelist()
                       if name.startswith(prefix) and name.endswith(".py")}
        except (OSError, zipfile.BadZipFile) as exc:
            raise ValueError(f"wheel must be a readable .whl (zip) file; got {str(wheel)!r} "
                             f"({exc}).") from None
        where = f"wheel {Path(wheel).name}"
    else:
        raw, where = _installed(package, distribution or package, version)
    files = {name: data.decode("utf-8").replace("\r\n", "\n")
             for name, data in sorted(raw.items()) if not is_test_file(name)}
    if not files:
        raise ValueError(f"package {package!r}: no .py files found in {where}. Pass the "
                         "top-level import name (e.g. '_pytest' for the pytest wheel).")
    return files


def _installed(package: str, distribution: str, version: str | None):
    from importlib import metadata

    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        raise ValueError(f"distribution {distribution!r} is not installed. Install it "
                         f"(pip install {distribution}{'==' + version if version else ''}) "
                         "or pass wheel=PATH.") from None
    if version is not None and dist.version != version:
        raise ValueError(
            f"version: {distribution} {version} was asked for; {dist.version} is installed. "
            f"Fetch the wheel without installing it: pip download {distribution}=={version} "
            f"--no-deps -d wheels/, then pass wheel='wheels/<its file>.whl'.")
    raw = {}
    for file in dist.files or []:
        name = str(file).replace(os.sep, "/")
        if name.startswith(package + "/") and name.endswith(".py"):
            raw[name] = Path(dist.locate_file(file)).read_bytes()
    return raw, f"the installed {distribution} {dist.version}"


def split_files(files: dict[str, str], every: int = 8) -> tuple[dict[str, str], dict[str, str]]:
    """Training and validation by file: in path order, every ``every``-th file (the last of
    each run of ``every``) validates, the others train. No file is in both.

    Raises:
        ValueError: ``every`` is not an integer >= 2, or fewer than ``every`` files.
    """
    every = positive_int("every", every, "Pass e.g. every=8 (one file in 8 validates).")
    if every < 2 or len(files) < every:
        raise ValueError(f"every must be at least 2 and at most the number of files "
                         f"({len(files)}); got {every}.")
    names = sorted(files)
    val = {name: files[name] for k, name in enumerate(names) if k % every == every - 1}
    train = {name: files[name] for name in names if name not in val}
    return train, val


def corpus_sha256(files: dict[str, str]) -> str:
    """sha256 of the selection: every path and text, in path order, NUL-separated."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return digest.hexdigest()


# ----------------------------------------------------------------------------- features
def text_features(text: str) -> dict[str, np.ndarray]:
    """Features every text has, one value per character (float64 arrays of ``len(text)``).

    * ``column``: characters before this one on its line (0 for the first);
    * ``to_line_end``: characters after this one before the next newline;
    * ``in_indentation``: 1 inside the line's leading spaces and tabs (of a line that has
      something after them);
    * ``in_word``: 1 for a letter, digit or ``_``;
    * ``word_position``: 1, 2, ... within a run of word characters, else 0.

    Raises:
        ValueError: ``text`` is empty.
    """
    _check_text(text)
    chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    n = len(chars)
    newline = chars == ord("\n")
    index = np.arange(n)
    line_start = np.maximum.accumulate(np.where(np.r_[True, newline[:-1]], index, 0))
    next_newline = np.minimum.accumulate(np.where(newline, index, n)[::-1])[::-1]
    word = np.array([ch.isalnum() or ch == "_" for ch in text])
    run_start = np.maximum.accumulate(np.where(word & ~np.r_[False, word[:-1]], index, 0))
    column = index - line_start
    return {"column": column.astype(float),
            "to_line_end": (next_newline - index).astype(float),
            "in_indentation": (column < _indent(text)).astype(float),
            "in_word": word.astype(float),
            "word_position": np.where(word, index - run_start + 1, 0).astype(float)}


def _check_text(text):
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string; got {text!r:.60}.")


def _offsets(text: str):
    """(line, col) -> offset in ``text``, for tokenize's positions (1-based lines)."""
    starts = np.r_[0, np.flatnonzero(np.frombuffer(text.encode("utf-32-le"), np.uint32)
                                     == ord("\n")) + 1, len(text)]
    last = len(starts) - 1   # the end markers may sit on a line past the last newline
    return lambda position: min(int(starts[min(position[0] - 1, last)]) + position[1],
                                len(text))


def _tokens(text: str, name: str):
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise ValueError(f"{name}: Python's tokenizer refused it ({exc}). Pass Python "
                         "source, or use text_features() for other text.") from None


def python_features(text: str, name: str = "text") -> dict[str, np.ndarray]:
    """:func:`text_features` plus five from Python's tokenizer, one value per character:

    * ``in_string``: inside a string literal (from its prefix and opening quote to the
      character before its closing quote; f-strings whole);
    * ``in_triple_quoted``: the same, for strings opened with three quotes (docstrings);
    * ``in_comment``: from ``#`` to the end of the line;
    * ``bracket_depth``: open ``( [ {`` after this character, outside strings and comments;
    * ``indent``: the width of the line's leading whitespace.

    ``name`` names the text in errors (e.g. its file path).

    Raises:
        ValueError: ``text`` is empty, or is not Python the tokenizer accepts.
    """
    _check_text(text)
    features = text_features(text)
    n = len(text)
    offset = _offsets(text)
    in_string, triple, comment = (np.zeros(n + 1) for _ in range(3))
    depth_step = np.zeros(n)
    fstring_start, fstrings = None, 0
    for tok in _tokens(text, name):
        start, end = offset(tok.start), offset(tok.end)
        kind = tokenize.tok_name[tok.type]
        if kind.endswith("STRING_START"):         # FSTRING_START / TSTRING_START (3.12+)
            fstrings += 1
            fstring_start = start if fstrings == 1 else fstring_start
            continue
        if kind.endswith("STRING_END"):
            fstrings -= 1
            if fstrings:
                continue
            start, kind = fstring_start, "STRING"
            opening = text[start:start + 8].lstrip("rRbBfFuUtT")
        elif fstrings:                              # inside an f-string: part of it
            continue
        else:
            opening = tok.string.lstrip("rRbBfFuUtT")
        if kind == "STRING":
            _mark(in_string, start, end - 1)
            if opening[:3] in ('"""', "'''"):
                _mark(triple, start, end - 1)
        elif kind == "COMMENT":
            _mark(comment, start, end)
        elif kind == "OP" and tok.string in OPENING + CLOSING:
            depth_step[start] = 1 if tok.string in OPENING else -1
    features.update({
        "in_string": np.cumsum(in_string)[:n], "in_triple_quoted": np.cumsum(triple)[:n],
        "in_comment": np.cumsum(comment)[:n], "bracket_depth": np.cumsum(depth_step),
        "indent": _indent(text)})
    return features


def _mark(delta: np.ndarray, start: int, end: int) -> None:
    """+1 on [start, end) in a difference array (read back with cumsum)."""
    if end > start:
        delta[start] += 1
        delta[end] -= 1


def _indent(text: str) -> np.ndarray:
    widths = []
    for line in text.split("\n"):
        width = len(line) - len(line.lstrip(" \t")) if line.strip() else 0
        widths.append(np.full(len(line) + 1, float(width)))
    return np.concatenate(widths)[:len(text)]


def closing_distances(text: str, name: str = "text") -> np.ndarray:
    """For each character: if it is a closing bracket (``) ] }`` outside strings and
    comments, by Python's tokenizer), how many characters back its opening bracket is; else
    -1. Shape ``(len(text),)``, integers.

    Raises:
        ValueError: as :func:`python_features`, or a closing bracket without an opening one.
    """
    _check_text(text)
    depth = python_features(text, name)["bracket_depth"]
    out = np.full(len(text), -1)
    stack = []
    previous = 0.0
    for t in np.flatnonzero(np.diff(np.r_[0.0, depth])):
        if depth[t] > previous:
            stack.append(t)
        elif not stack:
            raise ValueError(f"{name}: a closing bracket at offset {t} has no opening one.")
        else:
            out[t] = t - stack.pop()
        previous = depth[t]
    return out


CHAR_CLASSES = ("letter", "digit", "space", "newline", "opening bracket", "closing bracket",
                "quote", "other")


def char_classes(text: str) -> np.ndarray:
    """Each character's class, as an index into :data:`CHAR_CLASSES` (``_`` is a letter;
    tab is a space). Shape ``(len(text),)``.

    Raises:
        ValueError: ``text`` is empty.
    """
    _check_text(text)

    def kind(ch: str) -> int:
        if ch.isalpha() or ch == "_":
            return 0
        if ch.isdigit():
            return 1
        if ch in " \t":
            return 2
        if ch == "\n":
            return 3
        for k, group in enumerate((OPENING, CLOSING, "'\"")):
            if ch in group:
                return 4 + k
        return 7

    table = {ch: kind(ch) for ch in set(text)}
    return np.array([table[ch] for ch in text])


def corpus_features(files: dict[str, str]) -> dict[str, np.ndarray]:
    """:func:`python_features` of each file, concatenated in path order: the features of
    ``"".join(files[name] for name in sorted(files))``, each file tokenized on its own
    (empty files add nothing).

    Raises:
        ValueError: a file is empty or not Python (the message names it).
    """
    parts = [python_features(files[name], name) for name in sorted(files) if files[name]]
    if not parts:
        raise ValueError("files must hold at least one non-empty file; got none.")
    return {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
