"""Argument checks shared by every helper and the command line: one wording everywhere.

Each check returns the value (converted: an ``int``, a ``float``, an array) or raises a
``ValueError`` whose message names the argument, says what was expected and what was
given, and ends with ``fix``, the sentence that tells the user what to do::

    >>> positive_int("timesteps", 0, "Pass the window length, e.g. timesteps=24.")
    Traceback (most recent call last):
    ...
    ValueError: timesteps must be a positive integer; got 0. Pass the window length, ...

``name`` is the argument's Python name (``"timesteps"``); the command line writes it as the
option the user typed (``--timesteps``, :mod:`helpers.charlm.cli`). :func:`argparse_type`
turns a check into an ``argparse`` ``type=``, so options are refused with the same words.

Standard library only (NumPy is imported by :func:`ids_in_range`): importing this module
is cheap, and the command checks its options with it before Keras starts.
"""

from __future__ import annotations

import argparse
import math
import numbers
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["argparse_type", "dropout_rate", "fraction", "ids_in_range", "known_symbols",
           "positive_int", "positive_number", "random_seed"]

#: One past the largest seed :func:`random_seed` accepts: NumPy's legacy seeding (which
#: ``keras.utils.set_random_seed`` calls) takes integers in ``[0, 2**32)``.
SEED_LIMIT = 2**32


def _end(fix: str) -> str:
    return f" {fix}" if fix else ""


def positive_int(name: str, value, fix: str = "", *, at_most: int | None = None) -> int:
    """``value`` as an ``int`` if it is an integer >= 1 (``True`` is refused), and at most
    ``at_most`` when that is given.

    Raises:
        ValueError: ``value`` is not an integer (e.g. 2.5, "3", True), is below 1, or is
            above ``at_most``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a positive integer; got {value!r} "
                         f"({type(value).__name__}).{_end(fix)}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value}.{_end(fix)}")
    if at_most is not None and value > at_most:
        raise ValueError(f"{name} must be a positive integer of at most {at_most:,}; got "
                         f"{value:,}.{_end(fix)}")
    return int(value)


def positive_number(name: str, value, fix: str = "") -> float:
    """``value`` as a ``float`` if it is a real number > 0 (NaN and infinity are refused).

    Raises:
        ValueError: ``value`` is not a real number, or is not finite and positive.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number; got {value!r} "
                         f"({type(value).__name__}).{_end(fix)}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number; got {value}.{_end(fix)}")
    return float(value)


def fraction(name: str, value, fix: str = "") -> float:
    """``value`` as a ``float`` if it lies strictly between 0 and 1.

    Raises:
        ValueError: ``value`` is not a real number in the open interval (0, 1).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number between 0 and 1 (both excluded); "
                         f"got {value!r}.{_end(fix)}")
    return float(value)


def dropout_rate(name: str, value, fix: str = "") -> float:
    """``value`` as a ``float`` if it lies in ``[0, 1)``: the fraction of values a dropout
    layer zeroes in training (0: none; 1 would drop everything).

    Raises:
        ValueError: ``value`` is not a real number in ``[0, 1)``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a fraction in [0, 1); got "
                         f"{value!r}.{_end(fix)}")
    return float(value)


def random_seed(name: str, value, fix: str = "") -> int:
    """``value`` as an ``int`` if it is an integer in ``[0, 2**32)`` (:data:`SEED_LIMIT`).

    Raises:
        ValueError: ``value`` is not an integer, or lies outside that range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer from 0 to {SEED_LIMIT - 1}; got "
                         f"{value!r} ({type(value).__name__}).{_end(fix)}")
    if not 0 <= value < SEED_LIMIT:
        raise ValueError(f"{name} must be an integer from 0 to {SEED_LIMIT - 1}; got "
                         f"{value}.{_end(fix)}")
    return int(value)


def ids_in_range(name: str, ids, size: int, size_name: str, fix: str = "") -> np.ndarray:
    """``ids`` as an array, if it holds integers in ``[0, size)``.

    Args:
        name: what the ids are called, e.g. ``"ids"``.
        ids: array-like of any shape (empty is allowed).
        size: one past the largest valid id (a vocabulary size).
        size_name: how the caller spells ``size``, e.g. ``"len(vocab)"``.

    Raises:
        ValueError: the ids are not integers, or one lies outside ``[0, size)``.
    """
    import numpy as np

    arr = np.asarray(ids)
    if arr.size and arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integers; got dtype {arr.dtype}.{_end(fix)}")
    if arr.size and (arr.min() < 0 or arr.max() >= size):
        raise ValueError(f"{name} must lie in [0, {size_name}={size}); got values from "
                         f"{int(arr.min())} to {int(arr.max())}.{_end(fix)}")
    return arr


def known_symbols(name: str, text: str, alphabet: str, fix: str = "") -> str:
    """``text`` if it is non-empty and every character of it is in ``alphabet``.

    Raises:
        ValueError: ``text`` is empty or holds characters ``alphabet`` lacks (listed, sorted).
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"{name} must hold at least one character; got {text!r}.{_end(fix)}")
    unseen = sorted(set(text) - set(alphabet))
    if unseen:
        raise ValueError(f"{name} holds characters the model never saw: "
                         f"{''.join(unseen)!r}.{_end(fix)}")
    return text


def argparse_type(check: Callable, convert: type = int, **limits) -> Callable[[str], object]:
    """An ``argparse`` ``type=`` that converts the option's text and applies ``check``.

    argparse prefixes the option's name, so the message reads e.g.
    ``argument --units: must be a positive integer; got 0.``

    ``limits`` are passed to the check (``at_most=...`` for :func:`positive_int`).

    Example: ``parser.add_argument("--units", type=argparse_type(positive_int))``.
    """

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = text            # the check then reports the text as given
        try:
            return check("", value, **limits)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).lstrip()) from None

    parse.__name__ = check.__name__  # argparse names the type in some messages
    return parse
