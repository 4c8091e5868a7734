"""The training text: read from a file, and split into training and validation ids.

* :func:`load_text` - a text file (or Tiny Shakespeare), refused with the reason when it is
  missing, unreadable, empty, binary or not in the encoding given;
* :func:`split_ids` - the first ``1 - val_fraction`` of the ids trains, the rest validates,
  refused when either part is too short for the settings (with the settings that fit).

The batches themselves are :func:`helpers.language_model.training_batches` (the lesson-level
module: notebook 12 times them too). Standard library only, until Tiny Shakespeare is read.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from helpers.charlm.config import Arg, CharLMConfig, UserError

__all__ = ["load_text", "shortest_text", "split_ids"]

#: Byte-order marks, longest first (UTF-32's begins with UTF-16's), and the encoding each
#: announces: a file starting with one is text, whatever NUL bytes it holds.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def load_text(path: str | os.PathLike | None, encoding: str = "utf-8") -> str:
    """Read a training text, or Tiny Shakespeare when ``path`` is None.

    The bytes are decoded with ``encoding`` first; a text that then holds NUL characters
    is refused as binary (so UTF-16 and UTF-32 files, full of NUL bytes, are read when
    their encoding is given, and named when a byte-order mark announces them). A leading
    byte-order mark (U+FEFF, as Notepad writes UTF-8) is dropped.

    Raises:
        UserError: the file is missing, unreadable or empty, binary, not in ``encoding``,
            or ``encoding`` is not a text encoding Python knows; no ``path`` and no Tiny
            Shakespeare to be found.
    """
    if path is None:
        from helpers.datasets import load_shakespeare

        try:
            return load_shakespeare()
        except (OSError, ValueError) as exc:
            raise UserError(Arg("text_file"), " not given, and the default, Tiny Shakespeare, "
                            f"could not be loaded: {exc}") from None
    try:
        canonical = codecs.lookup(encoding).name        # "utf-16", "iso8859-1", ...
    except LookupError:
        raise UserError(Arg("encoding"), f" {encoding!r} is not an encoding Python knows; "
                        "use e.g. utf-8, latin-1 or utf-16") from None
    path = Path(path)
    name = Arg("text_file"), f" {str(path)!r}"
    try:
        if not path.is_file():
            raise UserError(*name, " does not exist or is not a file")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(*name, f" cannot be read ({exc.strerror or exc}); check its "
                        "permissions and those of its folders") from None
    if not data:
        raise UserError(*name, " is empty; give a file with text in it")
    announced = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    other = announced and not canonical.startswith(announced)   # a mark the encoding ignores
    try:
        text = data.decode(encoding)
    except LookupError:           # a codec that is not a text encoding: hex, rot13, zlib, ...
        raise UserError(Arg("encoding"), f" {encoding!r} is not a text encoding; use e.g. "
                        "utf-8, latin-1 or utf-16") from None
    except UnicodeError as exc:
        if other:
            raise UserError(*name, f" is not valid {encoding}: it starts with a {announced} "
                            f"byte-order mark; add ", Arg("encoding"), f" {announced}") from None
        if b"\x00" in data[:65536]:
            raise UserError(*name, " looks binary (it contains NUL bytes); give a plain-text "
                            "file, or, if it is UTF-16 or UTF-32 text, its encoding with ",
                            Arg("encoding")) from None
        where = getattr(exc, "start", None)
        at = f" (byte {data[where]:#04x} at offset {where})" if where is not None else ""
        raise UserError(*name, f" is not valid {encoding}{at}; pass its encoding, e.g. ",
                        Arg("encoding"), " latin-1") from None
    if text.startswith("\ufffe"):      # a byte-order mark read in the other byte order
        raise UserError(*name, f" is {announced or 'UTF-16 or UTF-32'} in the other byte order "
                        f"than {encoding}; use ", Arg("encoding"), f" {announced or 'utf-16'}")
    text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the text
    if not text:
        raise UserError(*name, f" holds no text (read as {encoding}); give a file with text "
                        "in it")
    if "\x00" in text:
        if other:
            hint = (f", or, since it starts with a {announced} byte-order mark, add ",
                    Arg("encoding"), f" {announced}")
        elif canonical.startswith(("utf-16", "utf-32")):
            hint = ()                              # the right family was given: binary
        else:
            hint = (", or, if it is UTF-16 or UTF-32 text, give its encoding with ",
                    Arg("encoding"))
        raise UserError(*name, f" looks binary (read as {encoding}, it holds NUL "
                        "characters); give a plain-text file", *hint)
    return text


def split_ids(ids, config: CharLMConfig):
    """``(train_ids, val_ids)``: the first ``1 - val_fraction`` for training, the rest for
    validation.

    Training needs one full batch of windows (``batch_size`` windows of ``timesteps + 1``
    characters), validation one window: the counts below are exactly those of
    :func:`helpers.language_model.windows`, so a text accepted here always trains and
    always validates.

    Raises:
        UserError: the text is too short for that, with the settings that would fit it.
    """
    n_val = int(len(ids) * config.val_fraction)
    train_ids, val_ids = ids[: len(ids) - n_val], ids[len(ids) - n_val:]
    window = config.timesteps + 1
    train_windows, val_windows = len(train_ids) // window, len(val_ids) // window

    def enough(n: int) -> bool:  # would a text of n characters pass both checks?
        n_val = int(n * config.val_fraction)
        return n_val // window >= 1 and (n - n_val) // window >= config.batch_size

    if val_windows < 1:
        shorter = ((" or ", Arg("timesteps"), f" {len(val_ids) - 1} or smaller")
                   if len(val_ids) > 1 else ())
        raise UserError(
            f"the text is too short: {len(ids)} characters leave {len(val_ids)} for validation "
            f"(the last {config.val_fraction:.0%}), less than one sequence of ",
            Arg("timesteps"), f" {config.timesteps} + 1; use a text of at least "
            f"{shortest_text(enough)} characters", *shorter)
    if train_windows < config.batch_size:
        raise UserError(
            f"the text is too short: its {len(train_ids)} training characters give "
            f"{train_windows} sequences of ", Arg("timesteps"), f" {config.timesteps} + 1, "
            "fewer than one batch of ", Arg("batch_size"), f" {config.batch_size}; use ",
            Arg("batch_size"), f" {max(train_windows, 1)} or smaller, a smaller ",
            Arg("timesteps"), f", or a text of at least {shortest_text(enough)} characters")
    return train_ids, val_ids


def shortest_text(fits) -> int:
    """The smallest text length ``n`` with ``fits(n)`` (``fits`` grows with ``n``)."""
    low, high = 1, 1
    while not fits(high):
        high *= 2
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if fits(mid) else (mid + 1, high)
    return low
