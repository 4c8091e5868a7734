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

__all__ = ["Verdict", "check_batch_first", "check_forget_block", "check_gru_params",
           "check_gru_step", "check_lstm_output_shapes", "check_one_hot_batch",
           "check_state_ranges", "check_window_count", "keep_random_state", "not_attempted"]


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


def _call(exercise: str, fn: Callable, *args, array: bool = True):
    """``(fn(*args), None)`` (as an array when ``array``); ``(None, verdict)`` with the line
    printed when ``fn`` is the placeholder, raises, or returns None or a single number where an
    array is due."""
    try:
        got = fn(*args)
        if got is None:
            return None, _say(exercise, False, "the function returned None: add a return")
        if not array:
            return got, None
        got = np.asarray(got)
        if got.ndim == 0:
            return None, _say(exercise, False, f"it returned one number ({got!r}), not an array")
        return got, None
    except NotImplementedError:
        return None, not_attempted(exercise, f"write {getattr(fn, '__name__', 'the function')}")
    except Exception as exc:  # a learner's bug: say which, do not stop the notebook
        return None, _say(exercise, False, f"it raised {type(exc).__name__}: {exc}")


def _two_ints(answer) -> tuple[int, int] | None:
    """``answer`` as a pair of integers (a tuple, a list, NumPy integers), or None."""
    if isinstance(answer, (str, bytes)):
        return None
    try:
        first, second = (int(a) for a in answer)
    except (TypeError, ValueError):
        return None
    return first, second


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
        if any(n is None for shape in answer for n in shape):
            return _say(exercise, False, "Keras prints None for 'any batch size'; here the "
                                         f"batch is known: {truth[0][0]}")
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
        if got.shape == want.shape:
            return _say(exercise, False, "the shape is right, the values are not: the row of "
                                         "timestep t must hold a single 1, at column ids[t]")
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
    pair = _two_ints(answer)
    if pair is None:
        return _say(exercise, False, f"give two integers, e.g. (50, 3); got {answer!r}")
    got_count, got_start = pair
    if (got_count, got_start) == ((length - timesteps - 1) // 12 + 1, 12) and stride != 12:
        return _say(exercise, False, f"that is the answer for stride 12: set STRIDE to {stride} "
                                     "first")
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


# ----------------------------------------------------------------------------- notebook 02
def check_gru_params(gru_params: Callable, keras_counts: dict) -> Verdict:
    """Exercise 2.3: ``gru_params(features, units)``, the weights of a Keras ``GRU(units)``
    on ``features`` inputs; ``keras_counts`` maps ``(features, units)`` to
    ``count_params()`` of a built layer.

    Hints: four gate blocks (the LSTM's) instead of three; one bias per gate where Keras's
    default ``reset_after=True`` keeps two; the biases left out.
    """
    exercise = "2.3"
    for (features, units), want in keras_counts.items():
        got, failed = _call(exercise, gru_params, features, units, array=False)
        if got is None:
            return failed
        try:
            got = int(got)
        except (TypeError, ValueError):
            return _say(exercise, False, f"return one integer, the count; got {got!r}")
        if got == want:
            continue
        products = units * (features + units)
        if got == 4 * (products + units) or got == 4 * (products + 2 * units):
            return _say(exercise, False, "a GRU has three gate blocks (update z, reset r, "
                                         "candidate), not the LSTM's four")
        if got == 3 * (products + units):
            return _say(exercise, False, "one bias per gate is the textbook GRU; Keras's "
                                         "default (reset_after=True) adds the recurrent "
                                         "product its own bias: 2 x 3 x units biases")
        if got == 3 * products:
            return _say(exercise, False, "the biases are missing: each gate has units of them "
                                         "(two sets in Keras's GRU)")
        return _say(exercise, False, f"GRU({units}) on {features} features has {want:,} "
                                     f"weights in Keras; got {got:,}")
    return _say(exercise, True, "3 x (units x (features + units) + 2 x units): three blocks, "
                                "each with an input and a recurrent bias")


def check_forget_block(answer, bias, units: int) -> Verdict:
    """Exercise 2.1: ``answer = (start, stop)``, the slice ``bias[start:stop]`` of a fresh
    ``LSTM(units)``'s bias that ``unit_forget_bias=True`` sets to 1; ``bias`` that layer's
    bias, ``(4 * units,)``, in Keras's block order i, f, c, o.

    Hints: another block's slice, named (i, c: the candidate, o); a slice of the wrong
    length; something that is not two integers.
    """
    exercise = "2.1"
    bias = np.asarray(bias)
    ones = np.flatnonzero(bias == 1)
    truth = (int(ones[0]), int(ones[-1]) + 1) if ones.size else None
    if answer is None:
        return not_attempted(exercise, "set answer = (start, stop), the slice bias[start:stop]"
                                       " that is 1")
    pair = _two_ints(answer)
    if pair is None:
        return _say(exercise, False, f"give two integers, e.g. (0, {units}); got {answer!r}")
    start, stop = pair
    if (start, stop) == truth:
        return _say(exercise, True, f"bias[{start}:{stop}] is block {start // units + 1} of 4: in "
                                    "Keras's order i, f, c, o that is the forget gate, which "
                                    "starts near sigmoid(1) = 0.73 and keeps most of c at first "
                                    "(Jozefowicz et al., 2015)")
    if stop - start != units:
        return _say(exercise, False, f"a block holds units = {units} values: stop is start + "
                                     f"{units}")
    names = {0: "i, the input gate", 2: "Keras's 'c', the candidate g",
             3: "o, the output gate"}
    if start % units == 0 and start // units in names:
        return _say(exercise, False, f"bias[{start}:{stop}] is block {start // units + 1}, "
                                     f"{names[start // units]}; look again at which values "
                                     "printed 1")
    return _say(exercise, False, f"the blocks are bias[0:{units}], bias[{units}:{2 * units}], "
                                 "...: which one printed 1?")


def check_state_ranges(answer, states: dict) -> Verdict:
    """Exercise 2.4: ``answer``, which of ``"h"``, ``"c"``, ``"both"``, ``"neither"`` can go
    beyond ±1; ``states`` maps ``"h"`` and ``"c"`` to the recorded values of a trained LSTM,
    which decide. (In float32, tanh of a large ``c`` rounds to exactly 1, so ``|h|`` may reach
    1 but never exceeds it.)

    Hints: h, which is o * tanh(c); both or neither.
    """
    exercise = "2.4"
    outside = [name for name in ("h", "c") if np.abs(np.asarray(states[name])).max() > 1]
    truth = {(): "neither", ("h",): "h", ("c",): "c", ("h", "c"): "both"}[tuple(outside)]
    if answer is None:
        return not_attempted(exercise, 'set answer to "h", "c", "both" or "neither"')
    if answer == truth:       # no recorded number in the line: it would vary by CPU
        return _say(exercise, True, f"{' and '.join(outside) or 'neither'} went beyond ±1 here: "
                                    "h = o * tanh(c) stays within ±1; c = f * c + i * g can "
                                    "add up to 1 per step and is never squashed")
    if answer in ("h", "both"):
        return _say(exercise, False, "h = o * tanh(c): a number in (0, 1) times one in (-1, 1) "
                                     "cannot go beyond ±1")
    if answer == "neither":
        return _say(exercise, False, "c is a running sum, f * c + i * g, with no squashing "
                                     "function around it")
    return _say(exercise, False, 'answer "h", "c", "both" or "neither"')


def check_gru_step(gru_step: Callable) -> Verdict:
    """Exercise 2.2: ``gru_step(x_t, h, kernel, recurrent_kernel, bias)``, one step of
    Keras's GRU (``reset_after=True``; ``bias`` ``(2, 3*units)``: input row, recurrent row),
    checked against :func:`helpers.numpy_rnn.gru_forward` over one step from a non-zero
    state.

    Hints: z and 1 - z swapped; the update and reset blocks swapped; the reset gate applied
    before the recurrent product (the ``reset_after=False`` GRU).
    """
    from helpers.numpy_rnn import gru_forward, sigmoid

    exercise = "2.2"
    rng = np.random.default_rng(0)
    x_t, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 4)) * 0.5
    W, U, b = rng.normal(size=(3, 12)), rng.normal(size=(4, 12)), rng.normal(size=(2, 12))
    want = gru_forward(x_t[:, None], W, U, b, initial_state=h).h
    got, failed = _call(exercise, gru_step, x_t, h, W, U, b)
    if got is None:
        return failed
    if got.shape == want.shape and np.allclose(got, want, atol=1e-9):
        return _say(exercise, True, "z = sigmoid(.), r = sigmoid(.), n = tanh(x Wn + b_n + r * "
                                    "(h Un + b'_n)), h_new = z * h + (1 - z) * n, as Keras "
                                    "computes it")

    def variant(order="zrh", swap_update=False, reset_before=False, rows=(0, 1)):
        xs = dict(zip(order, np.split(x_t @ W + b[rows[0]], 3, axis=-1), strict=True))
        hs = dict(zip(order, np.split(h @ U + b[rows[1]], 3, axis=-1), strict=True))
        z, r = sigmoid(xs["z"] + hs["z"]), sigmoid(xs["r"] + hs["r"])
        if reset_before:
            Uh = dict(zip(order, np.split(U, 3, axis=-1), strict=True))["h"]
            bh = dict(zip(order, np.split(b[1], 3), strict=True))["h"]
            n = np.tanh(xs["h"] + (r * h) @ Uh + bh)
        else:
            n = np.tanh(xs["h"] + r * hs["h"])
        return (1 - z) * h + z * n if swap_update else z * h + (1 - z) * n

    hints = [(variant(swap_update=True), "z and 1 - z are swapped: Keras keeps the old state "
                                         "with z, h = z * h + (1 - z) * n"),
             (variant(order="rzh"), "the blocks are stored z, r, n: update first, then reset, "
                                    "then the candidate"),
             (variant(rows=(1, 0)), "bias[0] goes with the input product, bias[1] with the "
                                    "recurrent one (inside r * (...))"),
             (variant(reset_before=True), "Keras applies r after the recurrent product, "
                                          "r * (h Un + b'_n), not to h before it "
                                          "(reset_after=True)")]
    for wrong, hint in hints:
        if got.shape == want.shape and np.allclose(got, wrong, atol=1e-9):
            return _say(exercise, False, hint)
    return _say(exercise, False, f"expected shape {want.shape}, the new h; got {got.shape}"
                                 if got.shape != want.shape else
                                 "the new h differs from Keras's GRU; compare each line with "
                                 "the equations above")
