"""Synthetic sequence tasks, generated from a seed (no download, same data everywhere).

* :func:`date_pairs`: human-readable dates and their ISO 8601 form, for a small
  encoder-decoder ("21 November 2026" -> "2026-11-21").
* :func:`adding_problem`: the adding problem, a long-time-lag regression task (the sum of
  two marked values far apart in a sequence).
* :func:`reversal_task`: digit sequences of varying length and the same digits reversed, for
  an encoder-decoder whose every output comes from one known input position (attention).
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np

from helpers.checks import positive_int

__all__ = ["ADDING_MEAN_GUESS_MSE", "DATE_FORMATS", "REVERSAL_START", "REVERSAL_VOCAB",
           "adding_problem", "date_pairs", "human_date", "reversal_task"]

# reversal_task's token ids: 0 padding, 1..10 the digits 0..9, 11 the decoder's start token.
REVERSAL_START = 11
REVERSAL_VOCAB = 12

# Always predicting the mean target, 1: Var(u1 + u2) = 2 * (1/12) for u ~ U[0, 1].
ADDING_MEAN_GUESS_MSE = 1 / 6

# English names written out: strftime("%B") would follow the machine's locale.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# {d} day, {B} month name, {b} month abbreviation, {Y} year, {A} weekday name
DATE_FORMATS = ("{d} {B} {Y}", "{B} {d}, {Y}", "{d} {b} {Y}", "{A}, {d} {B} {Y}")


def human_date(date: dt.date, fmt: str) -> str:
    """Write ``date`` in ``fmt`` (see ``DATE_FORMATS``), e.g. "Saturday, 21 November 2026"."""
    month = MONTHS[date.month - 1]
    return fmt.format(d=date.day, B=month, b=month[:3], Y=date.year,
                      A=WEEKDAYS[date.weekday()])


def date_pairs(n: int, *, seed: int = 0, start: dt.date = dt.date(1900, 1, 1),
               end: dt.date = dt.date(2099, 12, 31),
               formats: tuple[str, ...] = DATE_FORMATS) -> list[tuple[str, str]]:
    """``n`` pairs ``(human-readable date, "YYYY-MM-DD")`` for *distinct* random dates.

    The dates are drawn without replacement, so slicing the list (first part for training,
    the rest for validation) gives held-out dates that never appear in training. Each pair
    uses one of ``formats``, chosen at random.

    Args:
        n: number of pairs (at most the number of days from ``start`` to ``end``).
        seed: the random seed; the same seed gives the same list.
        start, end: the range of dates, both included.
        formats: templates, see ``DATE_FORMATS``.

    Raises:
        ValueError: ``n`` is not positive or exceeds the number of days in the range,
            the range is empty, or ``formats`` is empty.
    """
    days = end.toordinal() - start.toordinal() + 1
    if days < 1:
        raise ValueError(f"end must not be before start; got start={start}, end={end}.")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= days:
        raise ValueError(f"n must be an integer from 1 to {days} (the days from {start} to "
                         f"{end}); got {n!r}. Widen the range or ask for fewer pairs.")
    if not formats:
        raise ValueError("formats must hold at least one template, e.g. DATE_FORMATS.")
    rng = random.Random(seed)
    ordinals = rng.sample(range(start.toordinal(), end.toordinal() + 1), n)
    dates = [dt.date.fromordinal(o) for o in ordinals]
    return [(human_date(d, rng.choice(formats)), d.isoformat()) for d in dates]


def adding_problem(n: int, timesteps: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` sequences of the adding problem: ``x`` ``(n, timesteps, 2)``, ``y`` ``(n,)``.

    Feature 0 of every step is a value drawn uniformly from [0, 1]; feature 1 is a marker,
    1 at exactly two steps and 0 elsewhere: one step in the first half
    (``0 <= t < timesteps // 2``) and one in the second. The target is the sum of the two
    marked values. A model that ignores the input and always predicts the mean, 1, scores an
    MSE of 1/6 ~ 0.167 (:data:`ADDING_MEAN_GUESS_MSE`); "solved" means far below that. To
    solve it, a model must keep the first value in its state for up to ``timesteps - 1``
    steps, so ``timesteps`` sets the time lag.

    Args:
        n: number of sequences.
        timesteps: sequence length, at least 2.
        seed: the random seed; the same seed gives the same arrays.

    Returns:
        ``(x, y)`` as float32 arrays.

    Raises:
        ValueError: ``n`` is not a positive integer, or ``timesteps`` is not an integer >= 2.

    Source: Hochreiter & Schmidhuber (1997), "Long Short-Term Memory", experiment 4; this is
    the variant of Le, Jaitly & Hinton (2015), "A Simple Way to Initialize Recurrent Networks
    of Rectified Linear Units", section 4.1 (values in [0, 1], target their sum).
    """
    n = positive_int("n", n, "Ask for at least one sequence, e.g. n=1000.")
    timesteps = positive_int("timesteps", timesteps, "Use at least 2 steps, e.g. timesteps=50.")
    if timesteps < 2:
        raise ValueError(f"timesteps must be at least 2 (one marker in each half); got "
                         f"{timesteps}. Use e.g. timesteps=50.")
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, timesteps))
    half = timesteps // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, timesteps, size=n)
    markers = np.zeros((n, timesteps))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1).astype(np.float32)
    y = (values[rows, first] + values[rows, second]).astype(np.float32)
    return x, y


def reversal_task(n: int, min_len: int, max_len: int, *, seed: int = 0,
                  balanced: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` random digit sequences and the same digits reversed, padded to ``max_len``.

    Token ids: 0 is padding (after the digits), 1..10 are the digits 0..9; the decoder's start
    token, :data:`REVERSAL_START` (11), never occurs here. Output position ``t`` of a sequence
    of length ``L`` holds the digit of input position ``L - 1 - t``: every output comes from
    exactly one known input position, which makes the task a test of where attention looks.

    Args:
        n: number of sequences.
        min_len, max_len: the shortest and longest length, both included (1 <= min_len <=
            max_len).
        seed: the random seed; the same seed gives the same arrays.
        balanced: False draws each length uniformly; True gives every length the same share
            (``n`` must then be a multiple of the number of lengths), in order of length.

    Returns:
        ``(sources, targets, lengths)``: int32 arrays ``(n, max_len)``, ``(n, max_len)`` and
        ``(n,)``.

    Raises:
        ValueError: ``n``, ``min_len`` or ``max_len`` is not a positive integer, ``min_len``
            exceeds ``max_len``, or ``balanced`` and ``n`` is not a multiple of the number of
            lengths.

    Source: a toy task of the kind used to probe sequence models' memory, the copy task of
    Graves, Wayne & Danihelka (2014), "Neural Turing Machines", with the output reversed;
    Sutskever, Vinyals & Le (2014), "Sequence to Sequence Learning with Neural Networks",
    found that reversing the source helps an encoder-decoder without attention, since the
    first outputs then depend on the last inputs read.
    """
    n = positive_int("n", n, "Ask for at least one sequence, e.g. n=1000.")
    min_len = positive_int("min_len", min_len, "Use e.g. min_len=4.")
    max_len = positive_int("max_len", max_len, "Use e.g. max_len=16.")
    if min_len > max_len:
        raise ValueError(f"min_len must not exceed max_len; got min_len={min_len}, "
                         f"max_len={max_len}. Swap them or widen the range.")
    count = max_len - min_len + 1
    if balanced and n % count:
        fix = count * max(1, n // count)
        raise ValueError(f"with balanced=True, n must be a multiple of the {count} lengths "
                         f"{min_len}..{max_len}; got n={n}. Use e.g. n={fix}.")
    rng = np.random.default_rng(seed)
    if balanced:
        lengths = np.repeat(np.arange(min_len, max_len + 1), n // count)
    else:
        lengths = rng.integers(min_len, max_len + 1, size=n)
    positions = np.arange(max_len)
    real = positions < lengths[:, None]
    sources = np.where(real, rng.integers(1, 11, size=(n, max_len)), 0)
    # output t reads input L - 1 - t; padding positions read index 0 and are then zeroed
    reversed_index = np.where(real, lengths[:, None] - 1 - positions, 0)
    targets = np.where(real, np.take_along_axis(sources, reversed_index, axis=1), 0)
    return sources.astype(np.int32), targets.astype(np.int32), lengths.astype(np.int32)
