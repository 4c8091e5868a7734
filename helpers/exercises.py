"""The notebooks' exercises: a learner's answer checked, right or wrong and why.

Every exercise cell ends with a check from this module, called on the learner's answer; the
hidden solution right after it calls the same check on the worked solution and asserts it,
so CI proves that each solution passes the check the learner meets. A check prints one line
and returns a :class:`Verdict`, true when the answer is right:

* ``✓ 1.2 right: ...`` - and what the answer shows;
* ``✗ 1.2 not yet: ...`` - a hint about the likely mistake (a swapped axis, ``reshape``
  where ``transpose`` was needed, an off-by-one count), not only "wrong";
* ``· 1.2 not attempted yet: ...`` - the answer is still the placeholder (``None``, or a
  function that raises ``NotImplementedError``): nothing is raised, so a notebook as
  shipped runs from top to bottom and its stored output is this stable line.

Answers live in variables (never ``input()``, which would block a run). The hints are
unit-tested with the wrong answers they name (``tests/test_exercises.py``). NumPy only; the
truth a prediction is compared with is computed by the notebook (by Keras, usually) and
passed in.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator

import numpy as np

__all__ = ["Verdict", "check_batch_first", "check_lstm_output_shapes", "check_one_hot_batch",
           "check_window_count", "keep_random_state", "not_attempted"]


@contextlib.contextmanager
def keep_random_state() -> Iterator[None]:
    """Put Python's and NumPy's global random states back after the block.

    Building a Keras layer draws seeds for its initializers from Python's ``random``; an
    exercise that builds one inside this block leaves every later cell's random numbers, so
    every later stored output, as they were without the exercise.
    """
    python_state = random.getstate()
    numpy_state = np.random.get_state()  # noqa: NPY002  (the global state Keras seeds)
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002


class Verdict:
    """What a check returns: true when the answer is right (``assert check_...(...)`` in a
    solution). Its line is printed by the check; in a notebook the verdict itself displays
    nothing, so an exercise cell can end with the check and show only that line."""

    def __init__(self, ok: bool, line: str):
        self.ok, self.line = ok, line

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"Verdict({self.line!r})"

    def _ipython_display_(self):        # IPython: display nothing (the line is printed)
        pass


def _say(exercise: str, ok: bool, message: str) -> Verdict:
    line = f"{'✓' if ok else '✗'} {exercise} {'right' if ok else 'not yet'}: {message}"
    print(line)
    return Verdict(ok, line)


def not_attempted(exercise: str, what: str) -> Verdict:
    """Print the stable line of an exercise not tried yet; a false verdict."""
    line = f"· {exercise} not attempted yet: {what}, then run this cell again"
    print(line)
    return Verdict(False, line)


def _call(exercise: str, fn: Callable, *args):
    """``(fn(*args), None)``; ``(None, False)`` with the line printed when ``fn`` is the
    placeholder or raises."""
    try:
        return np.asarray(fn(*args)), None
    except NotImplementedError:
        return None, not_attempted(exercise, f"write {getattr(fn, '__name__', 'the function')}")
    except Exception as exc:  # a learner's bug: say which, do not stop the notebook
        return None, _say(exercise, False, f"it raised {type(exc).__name__}: {exc}")


# ----------------------------------------------------------------------------- notebook 01
def check_lstm_output_shapes(answer, truth: tuple) -> Verdict:
    """Exercise 1.1: ``answer = (last_only, every_step)``, the output shapes of
    ``LSTM(units)`` and ``LSTM(units, return_sequences=True)`` for one input; ``truth`` the
    pair Keras computed.

    Hints: the two swapped; the batch axis dropped; the input's features kept where the
    units belong; a shape given as something other than a tuple of integers.
    """
    exercise = "1.1"
    if answer is None:
        return not_attempted(exercise, "set answer = (shape without, shape with "
                                       "return_sequences=True)")
    try:
        if isinstance(answer, (str, bytes)):
            raise TypeError
        got = tuple(tuple(int(n) for n in shape) for shape in answer)
    except (TypeError, ValueError):
        return _say(exercise, False, f"give two shapes as tuples of integers, e.g. ((2, 3), "
                                     f"(2, 4, 3)); got {answer!r}")
    last, every = (tuple(s) for s in truth)
    batch, timesteps, units = every
    if got == (last, every):
        return _say(exercise, True, f"{last} keeps (batch, units): one h per sequence; {every} "
                                    "adds the timesteps axis: one h per step")
    if got == (every, last):
        return _say(exercise, False, "the two are swapped: return_sequences=True is the one "
                                     "that keeps the timesteps axis")
    if len(got) != 2:
        return _say(exercise, False, f"give two shapes, without and with "
                                     f"return_sequences=True; got {len(got)}")
    if got == (last[1:], every[1:]):
        return _say(exercise, False, "the batch axis stays first in an LSTM's output, as in "
                                     "its input")
    if got[0][:1] == (batch,) and got[-1][:2] == (batch, timesteps) and \
            (got[0][-1] != units or got[1][-1] != units):
        return _say(exercise, False, f"the last axis of an LSTM's output is its units "
                                     f"({units}), whatever the input's features")
    return _say(exercise, False, f"{got} is not it; an LSTM returns (batch, units), and with "
                                 "return_sequences=True (batch, timesteps, units)")


def check_one_hot_batch(one_hot_batch: Callable) -> Verdict:
    """Exercise 1.2: ``one_hot_batch(ids, vocab_size)``, a ``(batch, timesteps)`` array of
    integer ids to float32 ``(batch, timesteps, vocab_size)``, checked against NumPy
    (``np.eye(vocab_size)[ids]``) on batches of several sizes.

    Hints: the one-hot axis not last; the batch and timesteps axes merged; the vocabulary
    one too small (the largest id left out); integers instead of float32.
    """
    exercise = "1.2"
    cases = [(np.array([[4, 7, 8, 4], [1, 2, 3, 0]]), 10),
             (np.array([[0, 1, 2]]), 3), (np.array([[5], [0], [2]]), 6)]
    for ids, vocab_size in cases:
        got, failed = _call(exercise, one_hot_batch, ids, vocab_size)
        if got is None:
            return failed
        want = np.eye(vocab_size, dtype="float32")[ids]
        if got.shape == want.shape and np.array_equal(got, want):
            if got.dtype != np.float32:
                return _say(exercise, False, f"the numbers are right, the dtype is {got.dtype}:"
                                             " Keras layers compute in float32, so return "
                                             "float32")
            continue
        batch, timesteps = ids.shape
        if got.shape == (batch * timesteps, vocab_size):
            return _say(exercise, False, f"{got.shape} merges batch and timesteps; keep "
                                         f"both axes: the answer is {want.shape}")
        if got.ndim == 3 and got.shape[-1] != vocab_size and vocab_size in got.shape:
            return _say(exercise, False, f"{got.shape}: the one-hot axis goes last, as the "
                                         "features of each timestep")
        if got.shape == (batch, timesteps, vocab_size - 1) or got.shape[-1] == ids.max():
            return _say(exercise, False, "one column per id from 0 to vocab_size - 1: that is "
                                         "vocab_size columns, not the largest id")
        return _say(exercise, False, f"for ids of shape {ids.shape} and vocab_size "
                                     f"{vocab_size} the answer is {want.shape} with one 1 per "
                                     f"row; got {got.shape}")
    return _say(exercise, True, "(batch, timesteps) ids become (batch, timesteps, "
                                "vocab_size) features, one 1 per timestep")


def check_window_count(answer, truth: tuple) -> Verdict:
    """Exercise 1.3: ``answer = (windows, first_month_of_window_1)`` for a series windowed
    with a stride; ``truth`` the pair ``make_windows`` gave, and ``(length, timesteps,
    stride)`` to explain a wrong count.

    Hints: the count of stride 1; a count of back-to-back windows; the off-by-one of
    forgetting window 0; window 1 starting at 1 instead of at the stride.
    """
    exercise = "1.3"
    (count, start), (length, timesteps, stride) = truth
    if answer is None:
        return not_attempted(exercise, "set answer = (number of windows, index where "
                                       "window 1 starts)")
    try:
        if isinstance(answer, (str, bytes)):
            raise TypeError
        got_count, got_start = (int(a) for a in answer)
    except (TypeError, ValueError):
        return _say(exercise, False, f"give two integers, e.g. (50, 3); got {answer!r}")
    if (got_count, got_start) == (count, start):
        return _say(exercise, True, f"windows start every {stride} steps: "
                                    f"({length} - {timesteps} - 1) // {stride} + 1 = {count}, "
                                    f"window 1 at index {start}")
    if got_start != start:
        return _say(exercise, False, f"window k starts at k * stride: window 1 at {stride}")
    if got_count == length - timesteps:
        return _say(exercise, False, f"{got_count} is the count with stride 1; with stride "
                                     f"{stride} only every {stride}th of those is kept")
    if got_count == length // timesteps or got_count == (length - 1) // timesteps:
        return _say(exercise, False, "windows overlap: a new one starts every stride steps, "
                                     "not every timesteps steps")
    if got_count == count - 1:
        return _say(exercise, False, "one short: count window 0, which starts at index 0")
    return _say(exercise, False, f"{got_count} windows is not it: the last window needs "
                                 "timesteps inputs and one target after them")


def check_batch_first(to_batch_first: Callable) -> Verdict:
    """Exercise 1.4: ``to_batch_first(x)``, a time-first ``(timesteps, batch, features)``
    array (PyTorch's default layout) to Keras's ``(batch, timesteps, features)``, checked
    against ``np.swapaxes(x, 0, 1)``.

    Hints: ``reshape`` (the right shape, the wrong numbers); ``.T`` (all three axes
    reversed); the array returned unchanged.
    """
    exercise = "1.4"
    x = np.arange(3 * 2 * 4, dtype="float32").reshape(3, 2, 4)   # (timesteps, batch, features)
    got, failed = _call(exercise, to_batch_first, x)
    if got is None:
        return failed
    want = np.swapaxes(x, 0, 1)
    if got.shape == want.shape and np.array_equal(got, want):
        return _say(exercise, True, f"{x.shape} -> {want.shape}: row b of the result is "
                                    "sequence b, its timesteps in order")
    if got.shape == want.shape and np.array_equal(got, x.reshape(want.shape)):
        return _say(exercise, False, "reshape gives the right shape but keeps the memory "
                                     "order, so sequences mix; move the axes with "
                                     "np.swapaxes(x, 0, 1) or x.transpose(1, 0, 2)")
    if got.shape == x.T.shape and np.array_equal(got, x.T):
        return _say(exercise, False, ".T reverses all three axes (features first); swap "
                                     "only the first two: x.transpose(1, 0, 2)")
    if got.shape == x.shape and np.array_equal(got, x):
        return _say(exercise, False, "the array came back unchanged: axes 0 (timesteps) and "
                                     "1 (batch) must trade places")
    return _say(exercise, False, f"expected shape {want.shape} with x[t, b] at [b, t]; got "
                                 f"{got.shape}")
