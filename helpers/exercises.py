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

__all__ = ["Verdict", "check_add_alpha_bigram", "check_additive_weight",
           "check_alignment_score", "check_attention_weights", "check_backward_final_h",
           "check_backward_timestep", "check_batch_first", "check_batched_generation",
           "check_best_unit", "check_bias_step_ratio", "check_bidirectional_shapes",
           "check_bidirectional_weights", "check_cosine_neighbours",
           "check_cudnn_configurations", "check_day_one", "check_deeper_step_time",
           "check_embedding_as_product", "check_embedding_break_even",
           "check_ensemble_or_mean", "check_faster_products", "check_forget_block",
           "check_forget_for_memory", "check_from_perplexity", "check_gain_by_distance",
           "check_global_clip", "check_greedy_scores", "check_gru_params",
           "check_gru_state_shapes", "check_gru_step", "check_gru_to_torch",
           "check_input_scale", "check_interval_width", "check_layout_shuffle",
           "check_lstm_output_shapes", "check_mask_keeper", "check_masked_mse",
           "check_matched_units", "check_mean_guess_mse", "check_most_gained_class",
           "check_most_shut_gate", "check_next_char_windows", "check_one_hot_batch",
           "check_overlay_skill", "check_pad_and_mask", "check_padded_output", "check_patches",
           "check_period_or_model", "check_persistence_mae", "check_reset_chunks",
           "check_rows_changed", "check_saturation_fractions", "check_scalar_bptt",
           "check_sequence_share", "check_shuffled_rows", "check_stacked_params",
           "check_state_ranges", "check_stateful_batch_sizes", "check_stateful_copy",
           "check_stream_rows", "check_temperature_limits", "check_text_memorised",
           "check_timedistributed_products", "check_too_good", "check_top1_vocabulary",
           "check_trials_for_top", "check_units_for_share", "check_unmasked_padding",
           "check_unroll_losses", "check_view_position", "check_window_count",
           "check_zero_state_translations", "keep_random_state", "not_attempted"]


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


def _call(exercise: str, fn: Callable, *args, array: bool = True,
          number: tuple[type, str] | None = None):
    """``(fn(*args), None)`` (as an array when ``array``; as ``number[0]``, int or float,
    when ``number`` is given, ``number[1]`` saying what to return otherwise); ``(None,
    verdict)`` with the line printed when ``fn`` is the placeholder, raises, or returns None,
    a single number where an array is due, or something else where a number is."""
    try:
        got = fn(*args)
        if got is None:
            return None, _say(exercise, False, "the function returned None: add a return")
        if number is not None:
            kind, what = number
            try:
                return kind(got), None
            except (TypeError, ValueError):
                return None, _say(exercise, False, f"return {what}; got {got!r}")
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


def _integer(value) -> int:
    """``value`` as an int: an integer, a NumPy integer, a whole float (``6960.0``) or a string
    of digits. Raises ``ValueError`` for a fraction (``7.9``), where ``int()`` would quietly
    truncate and a wrong answer could pass, and ``TypeError`` for what is not a number."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, str):
        return int(value)
    number = float(value)
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _two_numbers(exercise: str, answer, what: str, give: str,
                 kind: Callable = _integer) -> tuple[tuple | None, Verdict | None]:
    """``((first, second), None)`` for a pair of integers (a tuple, a list, NumPy integers),
    or of floats with ``kind=float``; or ``(None, verdict)`` with the line printed for the
    placeholder (``what``) or anything else (``give`` says what to give)."""
    if answer is None:
        return None, not_attempted(exercise, what)
    try:
        if isinstance(answer, (str, bytes)):
            raise TypeError
        first, second = (kind(a) for a in answer)
    except (TypeError, ValueError):
        return None, _say(exercise, False, f"give {give}; got {answer!r}")
    return (first, second), None


def _one_number(exercise: str, answer, what: str, give: str = "one number",
                kind: Callable = float) -> tuple[float | int | None, Verdict | None]:
    """``(kind(answer), None)``, or ``(None, verdict)`` with the line printed when ``answer``
    is the placeholder (``what`` says what to set) or not one number of that kind."""
    if answer is None:
        return None, not_attempted(exercise, what)
    try:
        return kind(answer), None
    except (TypeError, ValueError):
        return None, _say(exercise, False, f"give {give}; got {answer!r}")


def _one_int(exercise: str, answer, what: str) -> tuple[int | None, Verdict | None]:
    """:func:`_one_number` for one integer (a fraction is refused, not truncated)."""
    return _one_number(exercise, answer, what, "one integer", _integer)


def _int_set(exercise: str, answer, what: str, give: str) -> tuple[list | None, Verdict | None]:
    """``(sorted distinct integers of answer, None)`` (one number counts as a list of one),
    or ``(None, verdict)`` with the line printed for the placeholder (``what``) or an answer
    that is not integers (``give`` says what to give)."""
    if answer is None:
        return None, not_attempted(exercise, what)
    try:
        return sorted({_integer(k) for k in ([answer] if np.ndim(answer) == 0 else answer)}), None
    except (TypeError, ValueError):
        return None, _say(exercise, False, f"give {give}; got {answer!r}")


def _one_of(exercise: str, answer, options: dict, truth: str, right: str,
            hints: dict) -> Verdict:
    """A multiple-choice answer among ``options`` (letter -> meaning): the verdict line for
    ``truth``; ``hints`` maps each wrong letter to its hint."""
    quoted = [f'"{k}"' for k in options]
    letters = ", ".join(quoted[:-1]) + " or " + quoted[-1]
    if answer is None:
        return not_attempted(exercise, f"set answer to {letters}")
    if not isinstance(answer, str) or answer not in options:
        return _say(exercise, False, f"answer {letters}; got {answer!r}")
    if answer == truth:
        return _say(exercise, True, right)
    return _say(exercise, False, hints.get(answer, f"not {options[answer]}"))


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
    pair, failed = _two_numbers(exercise, answer, "set answer = (number of windows, index "
                                                  "where window 1 starts)",
                                "two integers, e.g. (50, 3)")
    if failed is not None:
        return failed
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
        got, failed = _call(exercise, gru_params, features, units,
                            number=(int, "one integer, the count"))
        if got is None:
            return failed
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
    pair, failed = _two_numbers(exercise, answer, "set answer = (start, stop), the slice "
                                                  "bias[start:stop] that is 1",
                                f"two integers, e.g. (0, {units})")
    if failed is not None:
        return failed
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
    squash = ("h = o * tanh(c): a number in (0, 1) times one in (-1, 1) cannot go beyond ±1")
    # no recorded number in the verdict line: it would vary by CPU
    return _one_of(exercise, answer, {"h": "h", "c": "c", "both": "both", "neither": "neither"},
                   truth, f"{' and '.join(outside) or 'neither'} went beyond ±1 here: "
                          "h = o * tanh(c) stays within ±1; c = f * c + i * g can add up to 1 "
                          "per step and is never squashed",
                   {"h": squash, "both": squash,
                    "neither": "c is a running sum, f * c + i * g, with no squashing function "
                               "around it"})


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


# ----------------------------------------------------------------------------- notebook 03
def _shape_list(answer) -> list[tuple] | None:
    """``answer`` as a list of shape tuples (``None`` kept for "any batch"), or None."""
    if isinstance(answer, (str, bytes)):
        return None
    try:
        shapes = [tuple(None if n is None else int(n) for n in shape) for shape in answer]
    except (TypeError, ValueError):
        return None
    return shapes or None


def _returned_shapes(exercise: str, answer, truth, *, count_hint: str, width_hint: str,
                     placeholder: str, right: str) -> Verdict:
    """The hints 3.1 and 3.2 share: what a recurrent layer returns, shape by shape."""
    truth = [tuple(int(n) for n in shape) for shape in truth]
    if answer is None:
        return not_attempted(exercise, placeholder)
    got = _shape_list(answer)
    if got is None:
        return _say(exercise, False, f"give a list of shapes, one tuple per returned tensor, "
                                     f"e.g. [(3, 5), (3, 5)]; got {answer!r}")
    if got == truth:
        return _say(exercise, True, right)
    if any(n is None for shape in got for n in shape):
        return _say(exercise, False, f"Keras prints None for 'any batch size'; here the batch "
                                     f"is known: {truth[0][0]}")
    if len(got) != len(truth):
        return _say(exercise, False, f"{len(got)} tensors; {count_hint}")
    output, units = truth[0], truth[-1][-1]
    if [shape[1:] for shape in truth] == got:
        return _say(exercise, False, "the batch axis stays first in every returned tensor, as "
                                     "in the input")
    if len(got[0]) != len(output):
        return _say(exercise, False, "return_sequences=True keeps the timesteps axis, (batch, "
                                     "timesteps, width); without it the output is the last "
                                     "step only, (batch, width)")
    if got[0][-1] != output[-1]:
        return _say(exercise, False, f"the output is {got[0][-1]} wide; {width_hint}")
    if any(shape != (output[0], units) for shape in got[len(got) - len(truth[1:]):]):
        return _say(exercise, False, f"every returned state is (batch, units) = "
                                     f"{(output[0], units)}")
    return _say(exercise, False, f"{got} is not it: the output first, then the states")


def check_gru_state_shapes(answer, truth) -> Verdict:
    """Exercise 3.1: ``answer``, the list of shapes ``GRU(units, return_state=True)`` returns
    for one input; ``truth`` what Keras returned (``helpers.shapes.keras_output_shapes``).

    Hints: three tensors (the LSTM's count); the timesteps axis kept without
    ``return_sequences``; the input's features where the units belong.
    """
    return _returned_shapes(
        "3.1", answer, truth,
        count_hint="a GRU keeps one state, h, so return_state=True appends one tensor to the "
                   "output (an LSTM appends two: h and c)",
        width_hint="the last axis of a recurrent layer's output is its units, whatever the "
                   "input's features",
        placeholder="set answer = [shape, shape, ...], the shapes in Keras's order",
        right="the last h, then the final state h again: a GRU has no c, and without "
              "return_sequences the output is that same h")


def check_bidirectional_shapes(answer, truth) -> Verdict:
    """Exercise 3.2: ``answer``, the shapes ``Bidirectional(LSTM(units, return_sequences=True,
    return_state=True), merge_mode="sum")`` returns; ``truth`` what Keras returned.

    Hints: the output doubled (that is ``"concat"``); two states instead of four; two outputs
    (that is ``merge_mode=None``); states as wide as the output.
    """
    return _returned_shapes(
        "3.2", answer, truth,
        count_hint="the merged output, then each direction's own h and c: forward h, c, "
                   "backward h, c (merge_mode=None would return two outputs)",
        width_hint="merge_mode='sum' adds the forward and backward outputs, so the width "
                   "stays units; only 'concat' doubles it",
        placeholder="set answer = [shape, shape, ...], the shapes in Keras's order",
        right="'sum' keeps the output units wide; the four states are forward h, c and "
              "backward h, c, each (batch, units)")


def check_stacked_params(answer, stack, layer: str = "lstm_2") -> Verdict:
    """Exercise 3.3: ``answer``, the weights of ``layer``, an LSTM in the middle of the
    Keras model ``stack``, which reads the sequence of h of the LSTM below it; the truth is
    the layer's ``count_params()``, and its sizes are read from the model.

    Hints: the stack's input features used where the layer below's units belong; the layer
    below counted instead; one gate block instead of four; the biases left out; the
    recurrent kernel left out.
    """
    exercise = "3.3"
    names = [lay.name for lay in stack.layers]
    below = stack.layers[names.index(layer) - 1]
    units, features = stack.get_layer(layer).units, below.units
    input_features = stack.layers[0].input.shape[-1]
    truth = stack.get_layer(layer).count_params()
    got, failed = _one_int(exercise, answer, f"set answer to the number of weights in {layer}")
    if failed is not None:
        return failed
    if got == truth:
        return _say(exercise, True, f"4 x ({units} x ({features} + {units}) + {units}) = "
                                    f"{truth:,}: {layer}'s features are {below.name}'s "
                                    f"{features} units")
    wrong = {4 * units * (input_features + units + 1):
             f"{layer} reads the sequence of h that {below.name} returns: its features are "
             f"{below.name}'s {features} units, not the input's {input_features}",
             below.count_params(): f"that is {below.name}'s count; {layer} is the "
                                   f"LSTM({units})",
             units * (features + units + 1): "an LSTM has four blocks (i, f, c, o), each with "
                                             "its own weights",
             4 * units * (features + units): "each of the four blocks has units biases too",
             4 * units * (features + 1): "the previous step's h enters every gate too: the "
                                         "recurrent kernel is (units, 4 x units)"}
    return _say(exercise, False, wrong.get(got, f"{got:,} is not it: kernel (features, 4 x "
                                                "units), recurrent kernel (units, 4 x units) "
                                                "and bias (4 x units)"))


def check_backward_final_h(backward_final_h: Callable, output, h_forward, h_backward,
                           units: int) -> Verdict:
    """Exercise 3.4: ``backward_final_h(output, units)``, the backward layer's final h read
    from the concatenated ``(batch, timesteps, 2 * units)`` output of
    ``Bidirectional(LSTM(units, return_sequences=True))``; checked against the states that
    ``return_state=True`` returned (``h_forward``, ``h_backward``).

    Hints: the last timestep (where the forward layer ends); the forward half; both halves.
    """
    exercise = "3.4"
    output = np.asarray(output)
    got, failed = _call(exercise, backward_final_h, output, units)
    if got is None:
        return failed
    if got.shape == np.shape(h_backward) and np.allclose(got, h_backward, atol=1e-6):
        return _say(exercise, True, "output[:, 0, units:]: the backward layer reads from the "
                                    "last timestep to the first, so it finishes at timestep 0, "
                                    "and Bidirectional puts its outputs back in time order")
    if got.shape == output[:, 0].shape:
        return _say(exercise, False, "that is both halves; the backward layer's features are "
                                     "the second half, output[..., units:]")
    if got.shape == np.shape(h_backward) and np.allclose(got, output[:, -1, units:]):
        return _say(exercise, False, "at the last timestep the backward layer has read one "
                                     "step only: it reads from the end, so where does it "
                                     "finish?")
    if got.shape == np.shape(h_forward) and np.allclose(got, h_forward, atol=1e-6):
        return _say(exercise, False, "that is the forward layer's final h: the first units "
                                     "features are the forward layer's")
    if got.shape == np.shape(h_backward) and np.allclose(got, output[:, 0, :units]):
        return _say(exercise, False, "the first units features are the forward layer's; the "
                                     "backward half comes second")
    return _say(exercise, False, f"expected the backward h, shape {np.shape(h_backward)}; got "
                                 f"{got.shape}" if got.shape != np.shape(h_backward) else
                                 "not the backward layer's final h: which timestep and which "
                                 "half of the output hold it?")


def check_zero_state_translations(answer, translations) -> Verdict:
    """Exercise 3.5: ``answer``, how many different strings the date translator writes for
    ``len(translations)`` different dates when its decoder starts from zeros instead of the
    encoder's h and c; ``translations`` what it wrote.

    Hints: one per date (the decoder cannot tell them apart); zero.
    """
    exercise = "3.5"
    distinct, n = len(set(translations)), len(translations)
    got, failed = _one_int(exercise, answer, "set answer to the number of different "
                                             "translations")
    if failed is not None:
        return failed
    if got == distinct:
        return _say(exercise, True, f"{distinct} string{'' if distinct == 1 else 's'} for {n} "
                                    f"different dates: started from zeros, every row "
                                    "of the decoder reads the same start token and the same "
                                    "states; the encoder's h and c are the only way the input "
                                    "reaches it")
    if got > distinct:
        return _say(exercise, False, "what does the decoder receive that differs from one "
                                     "date to the next, once the encoder's states are "
                                     "replaced by zeros?")
    return _say(exercise, False, f"{got} is too few: the decoder still writes a string for "
                                 "every date")


# ----------------------------------------------------------------------------- notebook 04
def check_stateful_copy(stateful_copy: Callable, stateless, samples) -> Verdict:
    """Exercise 4.1: ``stateful_copy(model, batch_size)``, a stateful version of the
    one-LSTM ``model`` for batches of ``batch_size``, with its weights; checked by calling
    the copy twice on the same batch (``samples[:batch_size]``) for batch sizes 2 and 3.
    Layers built by the learner's function do not move later random draws.

    Hints: ``stateful=True`` missing (or looked for in ``fit``); the batch size not fixed on
    the ``Input``; the weights not copied.
    """
    exercise = "4.1"
    for batch_size in (2, 3):
        batch = np.asarray(samples[:batch_size])
        with keep_random_state():
            try:
                copy = stateful_copy(stateless, batch_size)
                if copy is None:
                    return _say(exercise, False, "the function returned None: add a return")
                first, second = np.asarray(copy(batch)), np.asarray(copy(batch))
            except NotImplementedError:
                return not_attempted(exercise, "write stateful_copy")
            except Exception as exc:
                if "batch size must be static" in str(exc):
                    return _say(exercise, False, "a stateful layer needs the batch size when it "
                                                 "is built: keras.Input(shape=..., "
                                                 "batch_size=batch_size)")
                if "Expected batch size" in str(exc):
                    return _say(exercise, False, f"the copy is built for another batch size "
                                                 f"than {batch_size}: use the batch_size "
                                                 "argument")
                return _say(exercise, False, f"it raised {type(exc).__name__}: "
                                             f"{str(exc)[:200]}")
        want = np.asarray(stateless(batch))
        if np.allclose(second, first, atol=1e-6):
            return _say(exercise, False, "a second call gives the first call's numbers: the "
                                         "state is not carried. stateful=True belongs to the "
                                         "LSTM layer; fit() and compile() have no such option")
        if first.shape != want.shape:
            return _say(exercise, False, f"the copy returns {first.shape} where the model "
                                         f"returns {want.shape}: keep the model's layers and "
                                         "options, and add only stateful=True and the batch "
                                         "size")
        if not np.allclose(first, want, atol=1e-5):
            return _say(exercise, False, "the first call should match the stateless model (both "
                                         "start from zeros): copy the weights with "
                                         "set_weights(model.get_weights())")
    return _say(exercise, True, "stateful=True on the layer and the batch size on the Input: "
                                "the first call matches the stateless model, the second starts "
                                "from the states the first left")


def _stream_chunks(sequence, batch_size: int, timesteps: int, stream_length: int,
                   swap: bool = True):
    """The rows of a stateful layout for a given stream length, or (``swap=False``) one
    stream's chunks after the other's: the layout and two mistakes in it."""
    span = stream_length // timesteps * timesteps
    streams = sequence[:batch_size * stream_length].reshape(batch_size, stream_length)
    chunks = streams[:, :span].reshape(batch_size, -1, timesteps)
    return (chunks.swapaxes(0, 1) if swap else chunks).reshape(-1, timesteps)


def check_stream_rows(stream_rows: Callable) -> Verdict:
    """Exercise 4.2: ``stream_rows(sequence, batch_size, timesteps)``, the input rows in which
    row i of batch k+1 continues row i of batch k; checked against
    :func:`helpers.stateful.stateful_layout` (its ``x``) on three sizes.

    Hints: chunks in text order (no streams); the streams' chunks not interleaved (the
    stream and chunk axes not swapped); streams cut from the whole sequence (its last
    element is only a target).
    """
    from helpers.stateful import stateful_layout

    exercise = "4.2"
    for length, batch_size, timesteps in ((100, 3, 8), (48, 4, 4), (33, 2, 4)):
        sequence = np.arange(length)
        want = stateful_layout(sequence, batch_size, timesteps).x
        got, failed = _call(exercise, stream_rows, sequence, batch_size, timesteps)
        if got is None:
            return failed
        if got.shape == want.shape and np.array_equal(got, want):
            continue

        mistakes = [
            (sequence[:want.size].reshape(-1, timesteps),
             "consecutive chunks of the text sit side by side in one batch, so row i of the "
             "next batch is not their continuation: cut the sequence into batch_size streams "
             "first"),
            (_stream_chunks(sequence, batch_size, timesteps, (length - 1) // batch_size,
                            swap=False),
             "these are the streams' chunks one stream after the other; batch k must hold "
             "chunk k of every stream: swap the stream and chunk axes before flattening "
             "(reshape keeps the memory order; swapaxes moves the axes)"),
            (_stream_chunks(sequence, batch_size, timesteps, length // batch_size),
             "the last element of the sequence is only a target: each stream has "
             "(len(sequence) - 1) // batch_size steps")]
        for wrong, hint in mistakes:
            if got.shape == wrong.shape and np.array_equal(got, wrong):
                return _say(exercise, False, hint)
        return _say(exercise, False, f"for {length} steps, batch_size {batch_size} and timesteps"
                                     f" {timesteps} the rows are {want.shape}; got {got.shape}"
                                     if got.shape != want.shape else
                                     f"the shape is right, the rows are not: batch 0 should "
                                     f"start {want[:batch_size, 0].tolist()}")
    return _say(exercise, True, "streams of (len - 1) // batch_size steps, cut into chunks, "
                                "chunk k of every stream in batch k: what stateful_layout "
                                "does")


def check_reset_chunks(answer, agree) -> Verdict:
    """Exercise 4.3: ``answer``, which of three chunks still match the stateless pass over
    the whole sequence when the states are reset before chunk 2; ``agree`` the chunks that
    matched.

    Hints: a reset changes only what comes after it; chunk 2 starts from zeros.
    """
    exercise = "4.3"
    truth = sorted(int(k) for k in agree)
    got, failed = _int_set(exercise, answer, "set answer to the list of chunks that still "
                                             "match, e.g. [0]", "a list of chunk numbers (0, 1, 2)")
    if failed is not None:
        return failed
    if got == truth:
        return _say(exercise, True, f"chunks {truth} match; chunk 2 starts from zeros instead "
                                    "of the state at the end of chunk 1, so it computes "
                                    "something else")
    if 2 in got:
        return _say(exercise, False, "after the reset chunk 2 starts from h = c = 0, while the "
                                     "whole pass reaches it with the state of the 12 steps "
                                     "before")
    return _say(exercise, False, "a reset changes what comes after it, not what was already "
                                 "computed")


def check_layout_shuffle(layout_shuffle: Callable) -> Verdict:
    """Exercise 4.4: ``layout_shuffle(n_sequences, batch_size, chunks, rng)``, a new order of
    the rows of the marker task's layout (``order[j]`` = the row fed at position j) that
    moves the sequences around and keeps the layout: chunk k of a group in its batch k, and
    each sequence in the same row of its group's batches.

    Hints: not a permutation; nothing moved; rows shuffled one by one (``shuffle=True``);
    whole batches shuffled.
    """
    exercise = "4.4"
    for n_sequences, batch_size, chunks in ((12, 4, 3), (96, 32, 3), (10, 2, 4)):
        n_rows = n_sequences * chunks
        row = np.arange(n_rows)
        sequence = row // (chunks * batch_size) * batch_size + row % batch_size
        chunk = row // batch_size % chunks
        got, failed = _call(exercise, layout_shuffle, n_sequences, batch_size, chunks,
                            np.random.default_rng(0))
        if got is None:
            return failed
        if got.shape != (n_rows,) or not np.array_equal(np.sort(got), row):
            return _say(exercise, False, f"return each row index once, a permutation of "
                                         f"range({n_rows}); got shape {got.shape}")
        if np.array_equal(got, row):
            return _say(exercise, False, "nothing moved: the order is 0, 1, 2, ...")
        if not np.array_equal(chunk[got], chunk):
            return _say(exercise, False, "a chunk landed in the wrong batch of its group: "
                                         "batch k of a group must hold chunk k of each of its "
                                         "sequences, so the reset every `chunks` batches still "
                                         "falls between sequences (shuffling single rows or "
                                         "whole batches breaks this, and so does putting a "
                                         "sequence's chunks side by side)")
        follows = sequence[got][batch_size:] == sequence[got][:-batch_size]
        if not follows[chunk[batch_size:] > 0].all():
            return _say(exercise, False, "row i of a batch no longer continues row i of the "
                                         "batch before: move each sequence with all its chunks, "
                                         "to the same row of one group")
    return _say(exercise, True, "the sequences change places and every chunk still follows "
                                "its own previous chunk in the same row: a shuffle the state "
                                "survives")


def check_stateful_batch_sizes(answer, works, n_samples: int) -> Verdict:
    """Exercise 4.5: ``answer``, the batch sizes with which a stateful model can read
    ``n_samples`` samples in full batches; ``works`` the sizes for which Keras did.

    Hints: a size whose last batch is partial; a divisor left out.
    """
    exercise = "4.5"
    truth = sorted(int(s) for s in works)
    got, failed = _int_set(exercise, answer, "set answer to the list of batch sizes that work",
                           "a list of batch sizes")
    if failed is not None:
        return failed
    if got == truth:
        return _say(exercise, True, f"{truth}: the sizes that divide {n_samples}, so that every "
                                    "batch, the last included, fills the state's rows")
    extra = [s for s in got if s not in truth]
    if any(n_samples % s == 0 for s in extra):
        return _say(exercise, False, "choose among the batch sizes the cell tries")
    if extra:
        s = extra[0]
        return _say(exercise, False, f"with batch size {s}, {n_samples} samples leave a last "
                                     f"batch of {n_samples % s}, and the state variables have "
                                     f"{s} rows")
    return _say(exercise, False, f"{[s for s in truth if s not in got]} work too: "
                                 f"{n_samples} samples fill whole batches of that size")


# ----------------------------------------------------------------------------- notebook 05
def check_next_char_windows(next_char_windows: Callable) -> Verdict:
    """Exercise 5.1: ``next_char_windows(ids, timesteps)``, non-overlapping windows of
    ``timesteps + 1`` ids as ``(x, y)`` pairs, the target the input shifted by one; checked
    against :func:`helpers.language_model.windows` on three sizes.

    Hints: the target not shifted; shifted the wrong way; windows of ``timesteps`` ids (the
    last target taken from the next window); a single array instead of the pair.
    """
    from helpers.language_model import windows

    exercise = "5.1"
    for length, timesteps in ((50, 4), (23, 5), (12, 11)):
        ids = np.arange(100, 100 + length)
        want_x, want_y = windows(ids, timesteps)
        got, failed = _call(exercise, next_char_windows, ids, timesteps, array=False)
        if got is None:
            return failed
        try:
            got_x, got_y = (np.asarray(a) for a in got)
        except (TypeError, ValueError):
            return _say(exercise, False, "return two arrays, x and y")
        if got_x.shape == want_x.shape and got_y.shape == want_y.shape and \
                np.array_equal(got_x, want_x) and np.array_equal(got_y, want_y):
            continue
        if got_x.shape == got_y.shape and np.array_equal(got_x, got_y):
            return _say(exercise, False, "y equals x: the target at each position is the next "
                                         "id, so y is x shifted one step to the left")
        if got_y.shape == want_x.shape and np.array_equal(got_y, want_x) and \
                np.array_equal(got_x, want_y):
            return _say(exercise, False, "x and y are swapped: x is the first timesteps ids of a "
                                         "window, y the last timesteps")
        n = len(ids) // timesteps
        back_to_back = ids[:n * timesteps].reshape(n, timesteps)
        if got_x.shape == back_to_back.shape and np.array_equal(got_x, back_to_back):
            return _say(exercise, False, "each window holds timesteps + 1 ids (the inputs and, "
                                         "one further, the last target): cut at multiples of "
                                         "timesteps + 1, not of timesteps")
        if len(got_x) == len(ids) - timesteps:
            return _say(exercise, False, "these windows overlap (a new one at every id); cut "
                                         "non-overlapping windows of timesteps + 1 ids")
        return _say(exercise, False, f"for {length} ids and timesteps {timesteps} expected x and "
                                     f"y of shape {want_x.shape}, the first starting "
                                     f"{want_x[0, :3].tolist()} and {want_y[0, :3].tolist()}; "
                                     f"got {got_x.shape} and {got_y.shape}")
    return _say(exercise, True, "windows of timesteps + 1 ids: x the first timesteps, y the "
                                "last timesteps, so y[t] is the id after x[t]")


def check_from_perplexity(nats_and_bits: Callable) -> Verdict:
    """Exercise 5.2: ``nats_and_bits(perplexity)``, a perplexity as the cross-entropy it
    stands for: ``(ln perplexity, log2 perplexity)`` per character.

    Hints: ``exp`` where the log belongs; ``log10``; the two swapped.
    """
    exercise = "5.2"
    for perplexity in (65.0, 4.74, 1.5):
        got, failed = _call(exercise, nats_and_bits, perplexity, array=False)
        if got is None:
            return failed
        try:
            nats, bits = (float(v) for v in got)
        except (TypeError, ValueError):
            return _say(exercise, False, "return two numbers: (nats, bits)")
        want_nats, want_bits = np.log(perplexity), np.log2(perplexity)
        if np.isclose(nats, want_nats) and np.isclose(bits, want_bits):
            continue
        if np.isclose(nats, want_bits) and np.isclose(bits, want_nats):
            return _say(exercise, False, "the two are swapped: nats first, then bits")
        if np.isclose(nats, np.exp(perplexity)) or np.isclose(bits, 2 ** perplexity):
            return _say(exercise, False, "perplexity = e ** nats, so nats = ln(perplexity): undo "
                                         "the exponential with a log")
        if np.isclose(nats, np.log10(perplexity)) or np.isclose(bits, np.log10(perplexity)):
            return _say(exercise, False, "log10 counts in decimal digits; nats use the natural "
                                         "log, bits log2")
        if np.isclose(nats, want_nats):
            return _say(exercise, False, "the nats are right; bits = nats / ln 2 = "
                                         "log2(perplexity)")
        return _say(exercise, False, f"for perplexity {perplexity} expected ({want_nats:.3f}, "
                                     f"{want_bits:.3f}); got ({nats:.3f}, {bits:.3f})")
    return _say(exercise, True, "nats = ln(perplexity), bits = log2(perplexity): a perplexity of "
                                "65, a uniform guess among 65 characters, is 4.17 nats or 6.02 "
                                "bits")


def check_add_alpha_bigram(bigram_nats: Callable, train_ids, val_ids, vocab_size: int,
                           lesson_bigram: float) -> Verdict:
    """Exercise 5.3: ``bigram_nats(train_ids, val_ids, vocab_size, alpha)``, the validation
    cross-entropy (nats per character) of a bigram model with add-``alpha`` smoothing;
    checked against the lesson's add-one value and a NumPy reference for other ``alpha``.

    Hints: rows and columns swapped (normalised over the previous character); bits instead
    of nats; no smoothing where ``alpha`` was given; a sum instead of a mean.
    """
    exercise = "5.3"
    train_ids, val_ids = np.asarray(train_ids), np.asarray(val_ids)
    pairs = np.zeros((vocab_size, vocab_size))
    np.add.at(pairs, (train_ids[:-1], train_ids[1:]), 1)

    def reference(alpha, transpose=False):
        counts = (pairs.T if transpose else pairs) + alpha
        p = counts / counts.sum(axis=1, keepdims=True)
        return float(-np.log(p[val_ids[:-1], val_ids[1:]]).mean())

    for alpha in (1.0, 0.1, 0.01):
        want = lesson_bigram if alpha == 1.0 else reference(alpha)
        got, failed = _call(exercise, bigram_nats, train_ids, val_ids, vocab_size, alpha,
                            number=(float, "one number, the mean in nats"))
        if got is None:
            return failed
        if np.isclose(got, want, rtol=1e-6):
            continue
        if np.isclose(got, want / np.log(2), rtol=1e-6):
            return _say(exercise, False, "that is bits; use the natural log (np.log) for nats")
        if np.isclose(got, reference(alpha, transpose=True), rtol=1e-6):
            return _say(exercise, False, "each row of probabilities must sum to 1 over the NEXT "
                                         "character: normalise the counts of pairs (previous, "
                                         "next) along axis 1")
        if np.isclose(got, want * (len(val_ids) - 1), rtol=1e-6):
            return _say(exercise, False, "that is the sum over the text; the loss is the mean "
                                         "per character")
        if alpha != 1.0 and np.isclose(got, lesson_bigram, rtol=1e-6):
            return _say(exercise, False, f"alpha = {alpha} gives the add-one value: add alpha to "
                                         "the counts, not 1")
        return _say(exercise, False, f"with alpha = {alpha} expected a different value than "
                                     f"{got:.4f}: count pairs (previous, next) on the training "
                                     "text, add alpha, normalise each row, and average -log p "
                                     "over the validation pairs")
    better = reference(0.01) < lesson_bigram
    return _say(exercise, True, "add-alpha smoothing, normalised over the next character. On "
                                f"this text alpha = 0.01 scores {'better' if better else 'worse'}"
                                " than add-one; alpha = 0 would give the validation pairs never "
                                "seen in training probability 0: an infinite loss")


def check_temperature_limits(answer, entropy_low_t: float, entropy_high_t: float,
                             vocab_size: int) -> Verdict:
    """Exercise 5.4: ``answer = (entropy as T -> 0, entropy as T -> infinity)`` in nats;
    the truths are the entropies the notebook measured at a very low and a very high
    temperature, which approach 0 (greedy) and ``ln(vocab_size)`` (uniform).

    Hints: the two swapped; bits instead of nats; the vocabulary size instead of its log.
    """
    exercise = "5.4"
    pair, failed = _two_numbers(exercise, answer, "set answer = (entropy as T -> 0, entropy "
                                                  "as T -> infinity), in nats",
                                "two numbers, e.g. (1.0, 2.0)", kind=float)
    if failed is not None:
        return failed
    low, high = pair
    near = 0.1          # the measured temperatures are not quite 0 and infinity
    if abs(low - entropy_low_t) < near and abs(high - entropy_high_t) < near:
        return _say(exercise, True, f"T -> 0 puts all the probability on the likeliest "
                                    f"character (entropy 0: greedy decoding); T -> infinity "
                                    f"flattens softmax to uniform, ln {vocab_size} = "
                                    f"{np.log(vocab_size):.2f} nats")
    if abs(high - entropy_low_t) < near and abs(low - entropy_high_t) < near:
        return _say(exercise, False, "the two are swapped: a low temperature sharpens, a high "
                                     "one flattens")
    if abs(high - np.log2(vocab_size)) < near:
        return _say(exercise, False, "that is bits; in nats the uniform entropy is ln(V)")
    if abs(high - vocab_size) < 1:
        return _say(exercise, False, "the entropy of a uniform choice among V is ln(V) nats "
                                     "(V is its perplexity)")
    if abs(low - entropy_low_t) >= near:
        return _say(exercise, False, "divide the logits by a tiny T: the largest one dwarfs the "
                                     "rest, and softmax becomes one-hot")
    return _say(exercise, False, "divide the logits by a huge T: they all become ~0, and "
                                 "softmax of equal logits is uniform over the vocabulary")


# ----------------------------------------------------------------------------- notebook 06
def check_embedding_as_product(embed: Callable, table, looked_up, ids) -> Verdict:
    """Exercise 6.1: ``embed(ids, table)``, the rows of ``table`` (``(V, d)``) for integer
    ``ids`` of any shape, computed as one-hot vectors times the table; compared with the
    Keras ``Embedding`` output ``looked_up`` for ``ids`` (shape ``ids.shape + (d,)``), then
    with NumPy row lookups for a 1-D batch and a 2-D one.

    Hints: one-hot vectors narrower than the table (``ids.max() + 1`` wide), which makes the
    product raise; the batch axes lost.
    """
    exercise = "6.1"
    table, ids = np.asarray(table), np.asarray(ids)
    small = np.array([[0, 1], [2, 1]])
    for batch, want in ((ids, np.asarray(looked_up)), (ids[0, :3], table[ids[0, :3]]),
                        (small, table[small])):
        try:
            got = embed(batch, table)
        except NotImplementedError:
            return not_attempted(exercise, "write embed")
        except Exception as exc:  # a learner's bug: say which, do not stop the notebook
            return _say(exercise, False, f"it raised {type(exc).__name__}: {exc}. Are the "
                                         "one-hot vectors as wide as the table has rows, "
                                         "len(table)? ids.max() + 1 is narrower")
        got, failed = _call(exercise, lambda g=got: g)
        if got is None:
            return failed
        if got.shape == want.shape and np.allclose(got, want, rtol=1e-6, atol=1e-7):
            continue
        if got.size == want.size:
            return _say(exercise, False, f"shape {got.shape}; keep the shape of ids and add d "
                                         f"at the end: {want.shape}")
        return _say(exercise, False, f"for ids of shape {batch.shape} expected shape "
                                     f"{want.shape}, the rows table[ids]; got shape {got.shape}"
                                     ": make one-hot vectors as wide as the table has rows, "
                                     "then multiply them by the table")
    return _say(exercise, True, "one-hot(ids) @ table equals the Embedding's lookup exactly: "
                                "each one-hot row selects one row of the table, and the "
                                "V - 1 zeros add nothing")


def check_embedding_break_even(answer, params_of: Callable, vocab_size: int,
                               units: int) -> Verdict:
    """Exercise 6.2: ``answer``, the largest ``embedding_dim`` for which Embedding → LSTM has
    fewer parameters than one-hot → LSTM; ``params_of(embedding_dim)`` returns the two
    counts as Keras gives them, ``(embedding model, one-hot model)``, and is asked at the
    answer and one above it (layers it builds leave the random state as it was).

    Hints: the answer still fewer one dimension up; the answer already more; 4 · units (the
    table's V · d forgotten); the four gates forgotten (units where 4 · units belongs).
    """
    exercise = "6.2"
    d, failed = _one_int(exercise, answer, "set answer to the largest embedding_dim")
    if failed is not None:
        return failed
    if d < 1:
        return _say(exercise, False, "an Embedding has at least one dimension")
    with keep_random_state():
        (emb, one_hot), (emb_up, _) = params_of(d), params_of(d + 1)
    if emb < one_hot <= emb_up:
        return _say(exercise, True, f"d = {d}: V·d + 4·units·d < 4·units·V exactly when d < "
                                    f"4·units·V / (V + 4·units) = "
                                    f"{4 * units * vocab_size / (vocab_size + 4 * units):.1f}")
    if d == units * vocab_size // (vocab_size + units):
        return _say(exercise, False, f"an LSTM's input kernel has 4·units = {4 * units} "
                                     "columns, one block per gate (i, f, g, o), not units")
    if d == 4 * units:
        return _say(exercise, False, f"at d = 4·units = {d} the (V, d) table alone is as large "
                                     "as the one-hot model's input kernel; add the table's "
                                     "V·d to the LSTM's 4·units·d")
    if emb >= one_hot:
        return _say(exercise, False, f"at d = {d} the Embedding model has {emb:,} parameters, "
                                     f"the one-hot model {one_hot:,}: not fewer")
    return _say(exercise, False, f"at d = {d + 1} the Embedding model still has fewer "
                                 f"({emb_up:,} against {one_hot:,}): go higher")


def check_rows_changed(answer, changed: int, n_tokens: int, vocab_size: int) -> Verdict:
    """Exercise 6.3: ``answer``, how many rows of an Embedding table one SGD step on a
    batch changes; ``changed`` is the count the notebook measured (``n_tokens`` tokens in
    the batch, ``vocab_size`` rows in the table).

    Hints: every token of the batch counted (repeats share a row); [UNK]'s row left out; the
    whole table.
    """
    exercise = "6.3"
    rows, failed = _one_int(exercise, answer, "set answer to the number of rows that change")
    if failed is not None:
        return failed
    if rows == changed:
        return _say(exercise, True, f"{changed} rows, one per distinct id in the batch: a row "
                                    "that no token of the batch looks up gets a zero gradient, "
                                    "and a repeated token adds its gradients into one row")
    if rows == n_tokens:
        return _say(exercise, False, f"{n_tokens} is the number of tokens; a token that occurs "
                                     "twice looks up the same row, so count the distinct ids")
    if rows == changed - 1:
        return _say(exercise, False, "[UNK] is a row too: a word outside the vocabulary looks "
                                     "up row 0, and its gradient changes that row")
    if rows == vocab_size:
        return _say(exercise, False, "a row that no token of the batch looks up took no part "
                                     "in the loss: its gradient is zero and SGD leaves it")
    return _say(exercise, False, "the gradient reaches exactly the rows the batch looked up: "
                                 "count the distinct ids printed in section 1")


def check_top1_vocabulary(answer, distinct: int, vocab_size: int) -> Verdict:
    """Exercise 6.4: ``answer``, ``"a"`` (fewer than 200), ``"b"`` (200 to 600) or ``"c"``
    (more than 600): how many distinct words the softmax model names as its top-1
    prediction over the validation windows; ``distinct`` is the measured count (13 to 19
    over seeds at quick sizes, 110 at full size: a band, so that the answer holds at both).

    Hints: argmax of an uncertain distribution; the answer is not the vocabulary's size.
    """
    exercise = "6.4"
    bands = {"a": (0, 199), "b": (200, 600), "c": (601, vocab_size)}
    said = {"a": "fewer than 200", "b": "200 to 600", "c": "more than 600"}
    truth = next(band for band, (low, high) in bands.items() if low <= distinct <= high)
    fewer = ("fewer: the top-1 is the argmax of a distribution over many plausible words, and "
             "the argmax of an unsure model falls on the same few frequent words again and "
             "again")
    more = "more than that here: look at the table of picks below"
    return _one_of(exercise, answer, said, truth,
                   f"{said[truth]} of the {vocab_size:,}: the top-1 is the single likeliest "
                   "word, and when the model is unsure the likeliest is nearly always a "
                   "frequent one, such as [UNK] or a comma",
                   {band: fewer if band > truth else more for band in said})


def check_cosine_neighbours(cosine_neighbours: Callable, table) -> Verdict:
    """Exercise 6.5: ``cosine_neighbours(query, table, k)``, the ids of the ``k`` rows of
    ``table`` most similar to the vector ``query`` by cosine, most similar first; checked
    against :func:`helpers.words.nearest_neighbours` for three rows of ``table`` and a mix.

    Hints: dot products without dividing by the lengths; the least similar first; cosine
    distance sorted the wrong way.
    """
    from helpers.words import nearest_neighbours

    exercise = "6.5"
    table = np.asarray(table, dtype=np.float32)
    queries = [table[1], table[10], table[100], table[5] - table[7] + table[9]]
    for query in queries:
        want, _ = nearest_neighbours(query, table, k=5)
        got, failed = _call(exercise, cosine_neighbours, query, table, 5)
        if got is None:
            return failed
        got = got.ravel()
        unit = table / np.linalg.norm(table, axis=1, keepdims=True)
        cosines = unit.astype(np.float64) @ (query / np.linalg.norm(query))
        in_range = got.dtype.kind in "iu" and len(got) == len(want) and \
            0 <= got.min() and got.max() < len(table)
        if np.array_equal(got, want) or (      # or round-off swapped two near ties
                in_range and np.allclose(cosines[got], cosines[want], atol=1e-6)):
            continue
        if np.array_equal(got, np.argsort(-(table @ query))[:5]):
            return _say(exercise, False, "those are the largest dot products, which favour long "
                                         "vectors (frequent words): divide each row by its length "
                                         "(np.linalg.norm(table, axis=1)) first")
        if np.array_equal(got, want[::-1]) or len(set(got) & set(want)) == 0:
            return _say(exercise, False, "the most similar row has the LARGEST cosine: sort "
                                         "descending (np.argsort(-cosines)), or the ascending "
                                         "order of cosine distances")
        return _say(exercise, False, f"expected ids {want.tolist()}, got {got.tolist()}: "
                                     "cosines = (table / row lengths) @ (query / its length), "
                                     "then the k largest, best first")
    return _say(exercise, True, "cosine similarity is the dot product of unit vectors: it "
                                "compares directions, so a frequent word's long vector wins "
                                "nothing by its length")


# ----------------------------------------------------------------------------- notebook 07
def check_scalar_bptt(scalar_bptt: Callable, cases) -> Verdict:
    """Exercise 7.1: ``scalar_bptt(w, h)``, the derivative ``dh_T/dh_0`` of a one-unit RNN
    ``h_t = tanh(w h_{t-1} + x_t)`` from its weight ``w`` and its states ``h = (h_1, ...,
    h_T)``: the product over k of ``w (1 - h_k**2)``. ``cases`` holds ``(w, h, truth)``
    triples, the truth from TensorFlow's automatic differentiation.

    Hints: tanh's derivative forgotten (``w**T``); tanh applied to ``h`` again; the previous
    step's slope; ``1 - h`` for ``1 - h**2``; one factor too few; the log of the product.
    """
    exercise = "7.1"
    for w, h, truth in cases:
        h = np.asarray(h, dtype=np.float64)
        got, failed = _call(exercise, scalar_bptt, w, h,
                            number=(float, "one number, dh_T/dh_0"))
        if got is None:
            return failed
        if np.isclose(got, truth, rtol=1e-6, atol=0):
            continue
        factors = w * (1 - h ** 2)      # one per step k = 1 ... T
        if np.isclose(got, w ** len(h), rtol=1e-6, atol=0):
            return _say(exercise, False, f"that is w**T = {w}**{len(h)}: each step also "
                                         "multiplies by tanh's slope at that step, 1 - h_k**2")
        if np.isclose(got, np.prod(w * (1 - np.tanh(h) ** 2)), rtol=1e-6, atol=0):
            return _say(exercise, False, "h_k is already tanh(a_k), so tanh'(a_k) = 1 - h_k**2: "
                                         "do not apply tanh to h again")
        if np.isclose(got, w * np.prod(factors[:-1]), rtol=1e-6, atol=0):
            return _say(exercise, False, "dh_k/dh_{k-1} = w * tanh'(a_k) uses the slope at step "
                                         "k itself, 1 - h_k**2, not 1 - h_{k-1}**2")
        if np.isclose(got, np.prod(w * (1 - h)), rtol=1e-6, atol=0):
            return _say(exercise, False, "tanh'(a) = 1 - tanh(a)**2 = 1 - h**2, not 1 - h")
        if np.isclose(got, np.prod(factors[1:]), rtol=1e-6, atol=0) or \
                np.isclose(got, np.prod(factors[:-1]), rtol=1e-6, atol=0):
            return _say(exercise, False, "one factor per step from h_0 to h_T: T factors, "
                                         "k = 1 ... T (h has T entries)")
        if np.isclose(got, np.log(np.abs(factors)).sum(), rtol=1e-6, atol=0):
            return _say(exercise, False, "that is the log of the product; return the product "
                                         "itself (np.prod)")
        return _say(exercise, False, f"for w = {w} expected {truth:.3e}, got {got:.3e}: "
                                     "multiply w * (1 - h_k**2) over every step k")
    return _say(exercise, True, "dh_T/dh_0 = product of w * tanh'(a_k): T factors, each at "
                                "most |w|, so |w| < 1 makes it vanish at least like |w|**T")


def check_input_scale(answer, far_at_1: float, far_at_4: float) -> Verdict:
    """Exercise 7.2: ``answer``, ``"grow"``, ``"shrink"`` or ``"same"``: what happens to the
    norm of ``dh_T/dh_t`` far back for the gain-1.5 recurrent kernel when the inputs are four
    times larger; ``far_at_1`` and ``far_at_4`` are the measured norms (``"same"`` means
    within a factor of 10).

    Hints: "grow" (larger inputs read as larger gradients); "same" (the kernel alone read as
    deciding).
    """
    exercise = "7.2"
    ratio = far_at_4 / far_at_1
    truth = "shrink" if ratio < 0.1 else "grow" if ratio > 10 else "same"
    return _one_of(exercise, answer, {"grow": "grow", "shrink": "shrink", "same": "same"}, truth,
                   "larger inputs push h into tanh's flat tails, where the slope 1 - h**2 is "
                   "small, and every factor diag(1 - h**2) U^T shrinks: the same kernel that "
                   "explodes on small inputs can vanish on large ones",
                   {"grow": "the inputs do not enter the factors J_k = diag(1 - h_k**2) U^T "
                            "directly; they move h, and a larger |h| means a smaller slope "
                            "1 - h**2",
                    "same": "the kernel is not the only factor: each J_k also holds tanh's "
                            "slope at step k, and the inputs decide where on tanh h sits",
                    "shrink": "not here: compare the two norms above"})


def check_forget_for_memory(answer, steps: int = 50, keep: float = 0.1) -> Verdict:
    """Exercise 7.3: ``answer = (f, b)``: the forget gate ``f`` that keeps the share ``keep``
    of the cell path after ``steps`` steps (``f ** steps = keep``), and the forget-gate bias
    ``b`` that gives it at zero input (``sigmoid(b) = f``).

    Hints: ``keep / steps`` (a sum, not a product); the bias equal to ``f``; ``ln f``
    instead of the sigmoid's inverse.
    """
    exercise = "7.3"
    pair, failed = _two_numbers(exercise, answer, "set answer = (f, b), the forget gate and "
                                                  "its bias", "two numbers, e.g. (0.5, 0.0)",
                                kind=float)
    if failed is not None:
        return failed
    f, b = pair
    want_f = keep ** (1 / steps)
    want_b = float(np.log(want_f / (1 - want_f)))
    if abs(f - want_f) > 0.002:
        if abs(f - keep / steps) < 1e-3:
            return _say(exercise, False, f"the path multiplies by f at every step: f**{steps} = "
                                         f"{keep}, so f = {keep} ** (1 / {steps})")
        return _say(exercise, False, f"solve f**{steps} = {keep}: f = {keep} ** (1 / {steps}); "
                                     f"got f = {f}")
    if abs(b - want_b) <= 0.05:
        return _say(exercise, True, f"f = {keep}**(1/{steps}) = {want_f:.3f} and b = "
                                    f"ln(f / (1 - f)) = {want_b:.2f}: three times Keras's "
                                    "initial bias of 1 (f = 0.73). Training moved the best "
                                    "units' gates into this range (section 5)")
    if abs(b - f) < 1e-6:
        return _say(exercise, False, "f is the gate's value, sigmoid(b); the bias is the "
                                     "sigmoid's inverse of it, ln(f / (1 - f))")
    if abs(b - np.log(f)) < 0.05:
        return _say(exercise, False, "that is ln f; sigmoid(b) = f gives b = ln(f / (1 - f))")
    return _say(exercise, False, f"f is right; for b invert the sigmoid: b = ln(f / (1 - f)); "
                                 f"got b = {b}")


def check_mean_guess_mse(answer, mse: float) -> Verdict:
    """Exercise 7.4: ``answer``, the MSE of always answering 1 on the adding problem, whose
    target is the sum of two independent uniform numbers on [0, 1]; ``mse`` is the exact
    value, 1/6.

    Hints: one uniform's variance (1/12); the mean absolute error; the standard deviation.
    """
    exercise = "7.4"
    value, failed = _one_number(exercise, answer, "set answer to a number, the MSE")
    if failed is not None:
        return failed
    if abs(value - mse) < 0.005:
        return _say(exercise, True, "1/6: the mean is 1, so the MSE of answering 1 is the "
                                    "target's variance, twice a uniform's 1/12")
    if abs(value - 1 / 12) < 0.005:
        return _say(exercise, False, "1/12 is the variance of ONE uniform number; the target "
                                     "adds two independent ones, and variances add")
    if abs(value - 1 / 3) < 0.005:
        return _say(exercise, False, "1/3 is E[U**2] for one uniform U (and also the mean "
                                     "absolute error here); the MSE of answering the mean is "
                                     "the variance of the sum")
    if abs(value - np.sqrt(mse)) < 0.005:
        return _say(exercise, False, "that is the standard deviation; the MSE is its square")
    return _say(exercise, False, "the MSE of always answering the mean is the target's "
                                 "variance; a uniform number on [0, 1] has variance 1/12")


def check_global_clip(global_clip: Callable) -> Verdict:
    """Exercise 7.5: ``global_clip(gradients, max_norm)``, the list of arrays scaled by one
    common factor so that their global norm (the square root of every entry's square,
    summed over all of them) is at most ``max_norm``; gradients already within it come
    back unchanged. Checked against a NumPy reference of ``tf.clip_by_global_norm``.

    Hints: each entry clipped (``clipvalue``); each tensor clipped on its own (``clipnorm``);
    a small gradient scaled up; the norm without the square root.
    """
    exercise = "7.5"
    rng = np.random.default_rng(7)
    for scale, max_norm in ((10.0, 1.0), (0.01, 1.0), (3.0, 2.5)):
        grads = [rng.normal(size=(3, 4)) * scale, rng.normal(size=4) * scale]
        norm = np.sqrt(sum(float((g ** 2).sum()) for g in grads))
        factor = min(1.0, max_norm / norm)
        want = [g * factor for g in grads]
        got, failed = _call(exercise, global_clip, [g.copy() for g in grads], max_norm,
                            array=False)
        if got is None:
            return failed
        try:
            got = [np.asarray(g, dtype=np.float64) for g in got]
        except (TypeError, ValueError):
            return _say(exercise, False, "return a list of arrays, one per gradient")
        if len(got) == len(want) and all(g.shape == w.shape and np.allclose(g, w, rtol=1e-6)
                                         for g, w in zip(got, want, strict=True)):
            continue
        if len(got) != len(want) or any(g.shape != w.shape for g, w in zip(got, want,
                                                                           strict=True)):
            return _say(exercise, False, "return one array per gradient, each of its shape")
        if all(np.allclose(g, np.clip(w, -max_norm, max_norm))
               for g, w in zip(got, grads, strict=True)):
            return _say(exercise, False, "that clips each entry on its own (clipvalue), which "
                                         "changes the step's direction; scale all of them by "
                                         "one factor instead")
        each = [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads]
        if all(np.allclose(g, e) for g, e in zip(got, each, strict=True)):
            return _say(exercise, False, "each tensor was clipped on its own: that is clipnorm. "
                                         "global_clipnorm scales ALL of them by one factor, from "
                                         "the norm of all entries together")
        if norm < max_norm and all(np.allclose(g, w * max_norm / norm)
                                   for g, w in zip(got, grads, strict=True)):
            return _say(exercise, False, "a gradient already within max_norm stays as it is: "
                                         "the factor is min(1, max_norm / norm)")
        squared = sum(float((g ** 2).sum()) for g in grads)
        if all(np.allclose(g, w * min(1.0, max_norm / squared))
               for g, w in zip(got, grads, strict=True)):
            return _say(exercise, False, "the global norm is the SQUARE ROOT of the sum of "
                                         "squares")
        return _say(exercise, False, f"for a global norm of {norm:.2f} and max_norm "
                                     f"{max_norm} every entry should be multiplied by "
                                     f"{factor:.3f}")
    return _say(exercise, True, "one factor, min(1, max_norm / global norm), for every tensor: "
                                "the step keeps its direction and only its length is capped")


def check_ensemble_or_mean(answer, ensemble_mse: float, mean_mse: float) -> Verdict:
    """Exercise 7.6: ``answer``, ``"a"`` (the MSE of the averaged predictions is lower),
    ``"b"`` (the average of the models' MSEs is lower) or ``"c"`` (it depends on the seed).
    The truth is a theorem (the squared error is convex, so by Jensen's inequality the
    averaged predictions score no worse than the average score); the measured pair is
    checked against it too.

    Hints: "b" (an average of models read as an average model); "c" (a theorem, not a draw).
    """
    exercise = "7.6"
    if ensemble_mse > mean_mse * (1 + 1e-9):
        raise ValueError(f"ensemble_mse {ensemble_mse} exceeds mean_mse {mean_mse}: pass the "
                         "MSE of the averaged predictions first, the mean of the MSEs second")
    return _one_of(exercise, answer, {"a": "the averaged predictions", "b": "the average MSE",
                                      "c": "it depends on the seed"}, "a",
                   "always, on every seed: the squared error is convex, so the error of the "
                   "mean prediction is at most the mean of the errors (Jensen's inequality); "
                   "averaging runs can only help",
                   {"b": "where the models disagree their errors partly cancel in the average "
                         "prediction; write the mean prediction's squared error against the "
                         "mean of the squared errors",
                    "c": "it does not depend on the draw: for a convex loss such as the "
                         "squared error, (mean of predictions - y)**2 <= mean of "
                         "(prediction - y)**2, always"})


# ----------------------------------------------------------------------------- notebook 08
def check_pad_and_mask(pad_and_mask: Callable) -> Verdict:
    """Exercise 8.1: ``pad_and_mask(sequences)``, a list of ``(frames, features)`` arrays of
    different lengths, as ``(batch, mask)``: ``batch`` the float32 ``(n, longest, features)``
    array padded with zeros at the end (``pad_sequences(..., padding="post")``), ``mask`` the
    boolean ``(n, longest)`` array, True at real frames. Checked against
    ``keras.utils.pad_sequences`` on two batches.

    Hints: int32 (``pad_sequences``'s default dtype); padded at the front; the mask inverted;
    a mask with a features axis; the padding length not the longest sequence's.
    """
    import keras

    exercise = "8.1"
    rng = np.random.default_rng(8)
    for lengths in ((3, 5, 2), (4, 1, 4, 6)):
        sequences = [rng.normal(size=(n, 3)).astype("float32") for n in lengths]
        want_batch = keras.utils.pad_sequences(sequences, padding="post", dtype="float32")
        want_mask = np.arange(max(lengths)) < np.array(lengths)[:, np.newaxis]
        got, failed = _call(exercise, pad_and_mask, sequences, array=False)
        if got is None:
            return failed
        try:
            batch, mask = (np.asarray(a) for a in got)
        except (TypeError, ValueError):
            return _say(exercise, False, "return two arrays: the padded batch and the mask")
        if batch.shape != want_batch.shape:
            return _say(exercise, False, f"for lengths {list(lengths)} and 3 features the batch "
                                         f"is {want_batch.shape}: pad every sequence to the "
                                         f"longest; got {batch.shape}")
        if np.array_equal(batch, keras.utils.pad_sequences(sequences, padding="post")):
            return _say(exercise, False, "pad_sequences returns int32 unless told otherwise, and "
                                         "the frames are floats: pass dtype=\"float32\"")
        pre = keras.utils.pad_sequences(sequences, padding="pre", dtype="float32")
        if np.allclose(batch, pre) and not np.allclose(batch, want_batch):
            return _say(exercise, False, "that is padding at the front ('pre'); pad at the end, "
                                         "where Keras's cuDNN kernel needs the padding")
        if not np.allclose(batch, want_batch):
            return _say(exercise, False, "each sequence's frames come first, then rows of zeros")
        if mask.shape != want_mask.shape:
            return _say(exercise, False, f"the mask has one entry per timestep, shape "
                                         f"{want_mask.shape} (no features axis); got "
                                         f"{mask.shape}")
        if np.array_equal(mask.astype(bool), ~want_mask):
            return _say(exercise, False, "the mask is inverted: True marks a REAL frame, the "
                                         "steps the layer must read")
        if not np.array_equal(mask.astype(bool), want_mask):
            return _say(exercise, False, "mask[i, t] is True exactly when t < the length of "
                                         "sequence i")
    return _say(exercise, True, "zeros after each sequence, and a mask that is True for its "
                                "first `length` steps: what Masking(0.0).compute_mask gives")


def check_unmasked_padding(answer, changed: dict) -> Verdict:
    """Exercise 8.2: ``answer``, which paddings change an untrained LSTM's output when no
    mask is given: ``"post"``, ``"pre"``, ``"both"`` or ``"neither"``; ``changed`` maps
    ``"post"`` and ``"pre"`` to whether the notebook measured a change.

    Hints: "pre" (zeros at the front read as harmless only after training); "both" (an
    untrained layer's zero biases keep leading zeros invisible); "neither".
    """
    exercise = "8.2"
    which = [p for p in ("post", "pre") if changed[p]]
    truth = {(): "neither", ("post",): "post", ("pre",): "pre", ("post", "pre"): "both"}[
        tuple(which)]
    leading = ("read from h = c = 0, a zero input gives z = 0 + b; in an untrained Keras LSTM "
               "b is 0 except the forget gate's, so g = tanh(0) = 0 and c stays 0: leading "
               "zeros change nothing")
    every = ("the layer reads every timestep it is given: zeros after the data are more steps, "
             "and each one rewrites h and c")
    return _one_of(exercise, answer, {"post": "post", "pre": "pre", "both": "both",
                                      "neither": "neither"}, truth,
                   "trailing zeros are read after the data and move the state; leading zeros, "
                   "read first from h = c = 0 by a layer whose biases are 0 (all but the forget "
                   "gate's), leave it at 0",
                   {wrong: leading if truth == "post" and wrong in ("pre", "both") else every
                    for wrong in ("post", "pre", "both", "neither")})


def check_masked_mse(masked_mse: Callable, predictions, targets, mask,
                     keras_loss: float) -> Verdict:
    """Exercise 8.3: ``masked_mse(predictions, targets, mask)``, the mean squared error over
    the real timesteps only (``mask`` True), for ``(batch, timesteps)`` arrays; compared with
    the loss Keras computed for the same masked model (``keras_loss``).

    Hints: every timestep averaged (the padding counted); the padding zeroed but still
    counted in the divisor; a sum, not a mean; the mask inverted.
    """
    exercise = "8.3"
    predictions, targets = np.asarray(predictions), np.asarray(targets)
    mask = np.asarray(mask, dtype=bool)
    got, failed = _call(exercise, masked_mse, predictions, targets, mask,
                        number=(float, "one number, the mean over real timesteps"))
    if got is None:
        return failed
    squared = (predictions - targets) ** 2
    if np.isclose(got, keras_loss, rtol=1e-4):
        return _say(exercise, True, "Keras averages the loss over the real timesteps only: the "
                                    "padded steps carry no weight at all")
    if np.isclose(got, squared.mean(), rtol=1e-4):
        return _say(exercise, False, "that averages every timestep, the padding too (its target "
                                     "is 100 here): keep only squared[mask]")
    if np.isclose(got, (squared * mask).mean(), rtol=1e-4):
        return _say(exercise, False, "the padded steps are zeroed, but the mean still divides by "
                                     "every timestep: divide by the number of real ones")
    if np.isclose(got, squared[mask].sum(), rtol=1e-4):
        return _say(exercise, False, "that is the sum; the loss is the mean over real timesteps")
    if np.isclose(got, squared[~mask].mean(), rtol=1e-4):
        return _say(exercise, False, "the mask is True at REAL frames: average squared[mask]")
    return _say(exercise, False, f"expected {keras_loss:.4f}, Keras's loss; got {got:.4f}")


def check_cudnn_configurations(answer, runs_cudnn: list) -> Verdict:
    """Exercise 8.4: ``answer``, the numbers (1-based) of the configurations that keep
    Keras's cuDNN kernel; ``runs_cudnn`` holds, in the same order, whether each one does
    (from :func:`helpers.cudnn.cudnn_conditions`). The notebook lists them: 1 ``LSTM(64)``,
    2 ``dropout``, 3 ``recurrent_dropout``, 4 ``activation="relu"``, 5
    ``recurrent_activation="hard_sigmoid"``, 6 ``unroll=True``, 7 ``use_bias=False``, 8
    ``use_cudnn=False``, 9 ``GRU(64)``, 10 ``GRU(64, reset_after=False)``.

    Hints: recurrent dropout kept; input dropout dropped; the GRU's reset_after.
    """
    exercise = "8.4"
    numbers, failed = _int_set(exercise, answer, "set answer to the numbers that keep cuDNN, "
                                                 "e.g. [1, 4]", "a list of numbers from 1 to "
                                                 f"{len(runs_cudnn)}")
    if failed is not None:
        return failed
    truth = [k for k, ok in enumerate(runs_cudnn, 1) if ok]
    if numbers == truth:
        return _say(exercise, True, f"{truth}: the defaults and input dropout; any other "
                                    "activation, recurrent dropout, unroll, no bias, or a GRU "
                                    "without reset_after falls back to the generic loop")
    extra, missing = sorted(set(numbers) - set(truth)), sorted(set(truth) - set(numbers))
    if 3 in extra:
        return _say(exercise, False, "recurrent_dropout drops entries of h_{t-1} inside the "
                                     "loop, which cuDNN's fused loop has no place for")
    if 2 in missing:
        return _say(exercise, False, "dropout on the inputs happens before the loop: cuDNN "
                                     "still runs")
    if 10 in extra:
        return _say(exercise, False, "cuDNN's GRU applies the reset gate after the recurrent "
                                     "product: Keras needs reset_after=True (the default)")
    return _say(exercise, False, f"not quite: {len(extra)} too many, {len(missing)} missing; "
                                 "check each against the conditions listed above")


def check_bidirectional_weights(answer, build: Callable, features: int, units: int,
                                classes: int) -> Verdict:
    """Exercise 8.5: ``answer``, the weights of ``Bidirectional(LSTM(units))`` on
    ``features`` inputs followed by ``Dense(classes)``; ``build()`` makes that model, and
    its ``count_params()`` is the truth (built inside :func:`keep_random_state`, so the
    notebook's later random numbers do not move).

    Hints: one direction only; the Dense layer fed ``units`` (not ``2 * units``); the LSTM
    without its bias.
    """
    exercise = "8.5"
    got, failed = _one_int(exercise, answer, "set answer to the number of weights")
    if failed is not None:
        return failed
    with keep_random_state():
        truth = build().count_params()
    lstm = 4 * units * (features + units + 1)
    if got == truth:
        return _say(exercise, True, f"2 x {lstm:,} for the two LSTMs (4 gates x {units} units x "
                                    f"({features} + {units} + 1)) + {2 * units * classes + classes}"
                                    f" for Dense({classes}) on the {2 * units} joined features")
    if got == lstm + units * classes + classes:
        return _say(exercise, False, "Bidirectional holds two LSTMs, one per direction, each "
                                     "with its own weights")
    if got == 2 * lstm + units * classes + classes:
        return _say(exercise, False, "the two directions are joined (concatenated): the Dense "
                                     f"layer reads 2 x {units} features")
    if got == 2 * 4 * units * (features + units) + 2 * units * classes + classes:
        return _say(exercise, False, "each gate also has a bias: 4 x units x (features + units "
                                     "+ 1) per LSTM")
    return _say(exercise, False, "per direction 4 x units x (features + units + 1); then Dense "
                                 "on the concatenated 2 x units features, plus its biases")


def check_text_memorised(answer, train_accuracy: float, test_accuracy: float) -> Verdict:
    """Exercise 8.6: ``answer``, ``"a"`` (training and test accuracy about equal, within 10
    points), ``"b"`` (training far above test) or ``"c"`` (test far above training), for the
    text LSTM; the truth is the measured pair.

    Hints: "a" (a model that generalises read into one trained on 539 speeches); "c".
    """
    exercise = "8.6"
    gap = train_accuracy - test_accuracy
    truth = "b" if gap > 0.1 else "c" if gap < -0.1 else "a"
    other = ("a model scores higher on what it was trained on, unless something such as "
             "dropout is active only in training")
    return _one_of(exercise, answer, {"a": "about equal", "b": "training far above test",
                                      "c": "test far above training"}, truth,
                   "far above: an LSTM with tens of thousands of weights memorises 539 "
                   "speeches, and what it memorised does not carry over to later scenes"
                   if truth == "b" else "the two are close here",
                   {"a": "539 speeches are few for a model with tens of thousands of weights: "
                         "it can learn each training speech by heart", "b": other, "c": other})


# ----------------------------------------------------------------------------- notebook 09
def check_persistence_mae(persistence_mae: Callable, values, days) -> Verdict:
    """Exercise 9.1: ``persistence_mae(values, days)``, the mean absolute error of the
    forecast "tomorrow = today" on the given days, checked against
    :func:`helpers.forecasting.persistence` on those days and on every seventh of them.

    Hints: the day itself instead of the day before (MAE 0); two days back; the sign kept
    (no absolute value); a squared error; a sum instead of a mean.
    """
    from helpers.forecasting import persistence

    exercise = "9.1"
    values, days = np.asarray(values, dtype=np.float64), np.asarray(days)
    for chosen in (days, days[::7]):
        want = float(np.mean(np.abs(persistence(values, chosen) - values[chosen])))
        got, failed = _call(exercise, persistence_mae, values, chosen,
                            number=(float, "one number, the MAE in the series' units"))
        if got is None:
            return failed
        if np.isclose(got, want, rtol=1e-9):
            continue
        errors = values[chosen - 1] - values[chosen]
        if np.isclose(got, 0):
            return _say(exercise, False, "that compares each day with itself; the forecast for "
                                         "day d is the value of day d - 1")
        if np.isclose(got, np.mean(np.abs(values[chosen - 2] - values[chosen])), rtol=1e-9):
            return _say(exercise, False, "that is two days back; persistence repeats the last "
                                         "value seen, the day before")
        if np.isclose(abs(got), abs(np.mean(errors)), rtol=1e-9):
            return _say(exercise, False, "errors of both signs cancel in a plain mean: take the "
                                         "absolute value of each error first")
        if np.isclose(got, np.mean(errors ** 2), rtol=1e-9):
            return _say(exercise, False, "that is the mean SQUARED error; the MAE averages "
                                         "absolute errors")
        if np.isclose(got, np.sum(np.abs(errors)), rtol=1e-9):
            return _say(exercise, False, "that is the sum; the MAE is the mean")
        return _say(exercise, False, f"expected {want:.3f}: mean(|values[d - 1] - values[d]|) "
                                     f"over the days; got {got:.3f}")
    return _say(exercise, True, "the mean size of a day-to-day change: the error any model "
                                "that only repeats the last value makes, and the bar to clear")


def check_overlay_skill(answer, skill: float) -> Verdict:
    """Exercise 9.2: ``answer``, the band of the LSTM's skill score against persistence
    (1 - MAE / MAE of persistence): ``"a"`` above 0.2, ``"b"`` from 0 to 0.2, ``"c"`` below
    0; ``skill`` is the measured score (of the LSTM's mean MAE over its initializations).

    Hints: "a" (the overlay read as skill); "c" (an LSTM that beats the baseline read as
    one that does not).
    """
    exercise = "9.2"
    truth = "a" if skill > 0.2 else "b" if skill >= 0 else "c"
    return _one_of(exercise, answer, {"a": "above 0.2", "b": "0 to 0.2", "c": "below 0"}, truth,
                   "a few per cent better than repeating yesterday: the overlay looked good "
                   "because yesterday's value already is a good forecast",
                   {"a": "the overlay is close because tomorrow is close to today: persistence "
                         "overlays the truth just as well, and the skill measures only the gap "
                         "between the two",
                    "b": "look at the MAE table: how far is the LSTM from persistence?",
                    "c": "the table put the LSTM's MAE below persistence's: its skill is "
                         "positive"})


def check_too_good(answer, drops: dict) -> Verdict:
    """Exercise 9.3: ``answer``, which mistake (``"average"``, ``"shuffle"`` or
    ``"scaler"``) lowers the test MAE by more than half a degree; ``drops`` maps each to the
    measured drop in °C (honest MAE minus leaky MAE).

    Hints: the shuffled split (daily weather has no trend to leak); the scaler (four years'
    statistics hardly differ from three).
    """
    exercise = "9.3"
    big = [k for k, d in drops.items() if d > 0.5]
    truth = big[0] if len(big) == 1 else None
    return _one_of(exercise, answer, {"average": "the centered average", "shuffle":
                                      "shuffled windows", "scaler": "the scaler"}, truth,
                   "the centered 3-day average puts a third of tomorrow's value into today's "
                   "row: the model reads the answer",
                   {"shuffle": "shuffling lets the model see days next to the test days, but "
                               "daily weather has no trend to leak: the number barely moves",
                    "scaler": "the mean and spread of four years of weather hardly differ from "
                              "those of three: the number barely moves",
                    "average": "look at which input holds information from after the forecast "
                               "is made"})


def check_period_or_model(answer, spreads: list, means: dict) -> Verdict:
    """Exercise 9.4: ``answer``, ``"period"`` or ``"model"``: which moves the test MAE more,
    the 90-day period tested (``spreads``, each model's max - min over the periods) or the
    choice of model (the spread of ``means``, each model's mean MAE).

    Hints: "model" (the table of one test year read as the whole story).
    """
    exercise = "9.4"
    by_period = min(spreads)
    by_model = max(means.values()) - min(means.values())
    truth = "period" if by_period > by_model else "model"
    return _one_of(exercise, answer, {"period": "the period", "model": "the model"}, truth,
                   "the period: every model's error moves more from one period to the next "
                   "than the models' averages differ, so one test period can crown any of them",
                   {"model": "the models differ by tenths of a degree on one year; weather from "
                             "one season to the next moves every model's error by more",
                    "period": "here the models differ more than the periods"})


def check_interval_width(answer, half_width: float, mae: float) -> Verdict:
    """Exercise 9.6: ``answer``, ``"a"`` (about ±1.5 °C), ``"b"`` (about ±4.5 °C) or ``"c"``
    (about ±9 °C): the half-width of a 90 % interval taken from the validation residuals'
    5 % and 95 % quantiles, for a model whose test MAE is ``mae``; ``half_width`` is the
    measured one (``"b"``: 3 to 6.5 °C).

    Hints: "a" (the MAE read as the interval); "c".
    """
    exercise = "9.6"
    truth = "a" if half_width < 3 else "b" if half_width <= 6.5 else "c"
    return _one_of(exercise, answer, {"a": "about ±1.5 °C", "b": "about ±4.5 °C",
                                      "c": "about ±9 °C"}, truth,
                   "about twice the MAE: for roughly normal errors the standard deviation is "
                   "about 1.25 x the MAE, and 90 % of them lie within 1.64 standard deviations",
                   {"a": f"the MAE ({mae:.1f} °C) is a typical error; an interval that holds 90 % "
                         "of the errors must reach well past the typical one",
                    "c": "for roughly normal errors, 90 % lie within 1.64 standard deviations, "
                         "and the standard deviation is about 1.25 x the MAE"})


def check_day_one(answer, direct_mae: float, autoregressive_mae: float) -> Verdict:
    """Exercise 9.5: ``answer``, ``"direct"`` or ``"autoregressive"``: which seven-day LSTM has
    the lower test MAE one day ahead; the truths are the measured MAEs.

    Hints: "direct" (a model trained for seven targets read as better at each).
    """
    exercise = "9.5"
    truth = "autoregressive" if autoregressive_mae < direct_mae else "direct"
    return _one_of(exercise, answer, {"direct": "the direct model", "autoregressive":
                                      "the autoregressive model"}, truth,
                   "the autoregressive model: its first day is exactly the one-step forecast "
                   "it was trained for, while the direct model shares its 32 units among "
                   "seven targets",
                   {"direct": "the autoregressive model's day 1 is a one-step forecast, the only "
                              "thing it was trained to do; its errors compound only from day 2",
                    "autoregressive": "here the direct model was ahead on day 1"})


# ----------------------------------------------------------------------------- notebook 10
def check_view_position(answer, batch_major, time_major_view, step: int, row: int) -> Verdict:
    """Exercise 10.2: ``answer = (sequence, timestep)``: which sequence and timestep of the
    batch-major array ``batch_major`` (batch, timesteps, features) the element
    ``time_major_view[step, row]`` of its ``view(timesteps, batch, features)`` really is;
    found by comparing the feature vectors (the notebook's inputs are random normals, so no
    two are equal).

    Hints: (row, step), which is where ``transpose`` would take it from; any other pair.
    """
    exercise = "10.2"
    pair, failed = _two_numbers(exercise, answer, "set answer to (sequence, timestep)",
                                "two whole numbers, (sequence, timestep)")
    if failed is not None:
        return failed
    batch_major, wanted = np.asarray(batch_major), np.asarray(time_major_view)[step, row]
    found = [(s, t) for s in range(batch_major.shape[0]) for t in range(batch_major.shape[1])
             if np.array_equal(batch_major[s, t], wanted)]
    truth = found[0]
    if tuple(pair) == truth:
        return _say(exercise, True, f"sequence {truth[0]}, timestep {truth[1]}: view re-reads "
                                    "memory in order, so its vector step * batch + row is the "
                                    "batch-major vector sequence * timesteps + timestep")
    if tuple(pair) == (row, step):
        return _say(exercise, False, "that is where transpose would take it from; view keeps "
                                     "the order in memory and only changes how it is cut")
    return _say(exercise, False, f"count in memory: the view's [{step}, {row}] is feature "
                                 f"vector number {step} * batch + {row}; in batch-major memory, "
                                 "vector k is sequence k // timesteps, timestep k % timesteps")


def check_backward_timestep(answer, output, h_n_backward, units: int) -> Verdict:
    """Exercise 10.1: ``answer``, the timestep ``t`` at which the backward half of a
    bidirectional torch LSTM's top-layer ``output``, ``output[:, t, units:]``, equals
    ``h_n_backward`` (``h_n[-1]``, that direction's final state); found in the arrays.
    A negative index naming the same timestep counts.

    Hints: the last timestep (the forward direction's answer).
    """
    exercise = "10.1"
    t, failed = _one_int(exercise, answer, "set answer to the timestep")
    if failed is not None:
        return failed
    output, final = np.asarray(output), np.asarray(h_n_backward)
    timesteps = output.shape[1]
    truth = next(k for k in range(timesteps)
                 if np.array_equal(output[:, k, units:], final))
    if not -timesteps <= t < timesteps:
        return _say(exercise, False, f"a timestep of this output is 0 to {timesteps - 1}; "
                                     f"got {t}")
    if t % timesteps == truth:
        return _say(exercise, True, f"timestep {truth}: the backward direction reads from the "
                                    "last timestep to the first, so its final state is its "
                                    "output at the first timestep")
    if t % timesteps == timesteps - 1:
        return _say(exercise, False, "that is where the forward direction ends; the backward "
                                     "one reads the sequence from its end")
    return _say(exercise, False, "which timestep does the backward direction read last? Its "
                                 "final state is its output there")


def check_gru_to_torch(gru_to_torch: Callable, keras_weights, run_torch_gru: Callable,
                       keras_output) -> Verdict:
    """Exercise 10.3: ``gru_to_torch(kernel, recurrent_kernel, bias)``, a Keras GRU's weights
    (``(features, 3·units)``, ``(units, 3·units)``, ``(2, 3·units)``; gates z, r, h) as
    torch's ``(weight_ih, weight_hh, bias_ih, bias_hh)`` (``(3·units, features)``,
    ``(3·units, units)``, ``(3·units,)`` twice; gates r, z, n). ``run_torch_gru`` loads four
    such arrays into a ``torch.nn.GRU`` and returns its output on the notebook's batch, which
    must match ``keras_output``, the Keras layer's output (within 1e-5).

    Hints: not transposed; the gates left in Keras's order (in the matrices, or in the
    biases only); the two bias rows swapped.
    """
    from helpers.torch_port import _swap_gru_gates  # z, r, h <-> r, z, n; imports no torch

    exercise = "10.3"
    kernel, recurrent, bias = (np.asarray(w) for w in keras_weights)
    got, failed = _call(exercise, gru_to_torch, kernel, recurrent, bias, array=False)
    if failed is not None:
        return failed
    try:
        arrays = [np.asarray(a, dtype=np.float32) for a in got]
    except (TypeError, ValueError):
        arrays = []
    if len(arrays) != 4:
        return _say(exercise, False, "return four arrays: weight_ih, weight_hh, bias_ih, "
                                     "bias_hh")

    want = [_swap_gru_gates(kernel.T, 0), _swap_gru_gates(recurrent.T, 0),
            _swap_gru_gates(bias[0], 0), _swap_gru_gates(bias[1], 0)]
    shapes = [a.shape for a in arrays]
    if shapes != [w.shape for w in want]:
        if shapes[:2] == [kernel.shape, recurrent.shape]:
            return _say(exercise, False, "torch stores (outputs, inputs): transpose the two "
                                         "matrices")
        return _say(exercise, False, f"expected shapes {[w.shape for w in want]}; got {shapes}")
    try:
        output = np.asarray(run_torch_gru(*arrays))
    except Exception as exc:  # e.g. a size torch refuses
        return _say(exercise, False, f"torch refused the arrays: {type(exc).__name__}: {exc}")
    if np.abs(output - np.asarray(keras_output)).max() < 1e-5:
        return _say(exercise, True, "transpose both matrices, reorder every block z, r, h -> "
                                    "r, z, n, and split Keras's (2, 3*units) bias into torch's "
                                    "input and recurrent biases")
    close = [np.allclose(a, w, atol=1e-6) for a, w in zip(arrays, want, strict=True)]
    if np.allclose(arrays[0], kernel.T) or np.allclose(arrays[1], recurrent.T):
        return _say(exercise, False, "torch orders the gates r, z, n and Keras z, r, h: swap "
                                     "the first two blocks of rows")
    if all(close[:2]) and (np.allclose(arrays[2], want[3]) or np.allclose(arrays[3], want[2])):
        return _say(exercise, False, "bias[0] is Keras's input bias (torch's bias_ih), bias[1] "
                                     "its recurrent bias (bias_hh)")
    if all(close[:2]):
        return _say(exercise, False, "the biases need the same gate reorder as the matrices")
    return _say(exercise, False, "the outputs differ from Keras's; compare each array with "
                                 "the layouts in the prose above")


def check_padded_output(answer, keras_outputs, lengths, row: int, step: int) -> Verdict:
    """Exercise 10.4: ``answer``, what a masked Keras LSTM outputs at a padded timestep:
    ``"zeros"``, ``"repeat"`` (its last real output again) or ``"new"`` (a new output, from
    reading the zeros); the truth is read off ``keras_outputs[row, step]`` with
    ``lengths[row] <= step``.

    Hints: "zeros" (torch's padded outputs); "new" (a mask read as something that only
    hides the loss).
    """
    exercise = "10.4"
    outputs = np.asarray(keras_outputs)
    value, last = outputs[row, step], outputs[row, lengths[row] - 1]
    truth = ("zeros" if not value.any() else "repeat" if np.array_equal(value, last)
             else "new")
    return _one_of(exercise, answer, {"zeros": "zeros", "repeat": "the last real output",
                                      "new": "a new output"}, truth,
                   "the last real output, repeated: a masked timestep is skipped, and Keras "
                   "carries the state and the output forward unchanged",
                   {"zeros": "zeros are what torch's pad_packed_sequence writes; Keras's "
                             "masked LSTM carries its output forward",
                    "new": "a masked timestep is not read at all: the layer skips it"})


def check_bias_step_ratio(answer, ratio: float) -> Verdict:
    """Exercise 10.5: ``answer``, how many times as far torch's effective LSTM bias
    (``bias_ih + bias_hh``) moves as Keras's one ``bias`` in one SGD step from the same
    weights on the same batch; ``ratio`` is the measured one (2, up to round-off). Right
    within 5 %.

    Hints: 1 (the two biases read as one); 0.5 (the gradient read as split between them).
    """
    exercise = "10.5"
    value, failed = _one_number(exercise, answer, "set answer to a number, the ratio",
                                "one number, the ratio")
    if failed is not None:
        return failed
    if abs(value - ratio) <= 0.05 * abs(ratio):
        return _say(exercise, True, "twice: bias_ih and bias_hh each receive the whole "
                                    "gradient and each take the step, and the gates see their "
                                    "sum")
    if value < ratio:
        return _say(exercise, False, "each bias receives the whole gradient (z = x W + h U + "
                                     "b_ih + b_hh, so dz/db_ih = dz/db_hh = 1), and each takes "
                                     "its own step")
    return _say(exercise, False, "SGD moves each of the two biases by lr times the same "
                                 "gradient, no more; the gates see the sum of the two moves")


# ----------------------------------------------------------------------------- notebook 11
def check_best_unit(best_unit: Callable, values, feature) -> Verdict:
    """Exercise 11.1: ``best_unit(values, feature)``, the unit (column of ``values``,
    ``(characters, units)``) whose Pearson correlation with ``feature`` (``(characters,)``)
    is largest in absolute value, returned as ``(unit, r)`` with r's sign; checked against
    Pearson's r computed here for every unit.

    Hints: |r| returned without its sign; the largest r rather than the largest |r|; the
    covariance instead of the correlation.
    """
    from helpers.interpret import unit_correlations

    exercise = "11.1"
    r = unit_correlations({"values": values}, {"feature": feature})["feature"]["values"]
    unit = int(np.argmax(np.abs(r)))
    got, failed = _call(exercise, best_unit, values, feature, array=False)
    if failed is not None:
        return failed
    try:
        got_unit, got_r = int(got[0]), float(got[1])
    except (TypeError, ValueError, IndexError):
        return _say(exercise, False, f"return two numbers, (unit, r); got {got!r}")
    if got_unit == unit and np.isclose(got_r, r[unit], atol=1e-4):
        return _say(exercise, True, "the unit with the largest |r|, with r's sign: a unit that "
                                    "is low whenever the feature is high tracks it just as well")
    if got_unit == unit and np.isclose(got_r, -r[unit], atol=1e-4):
        return _say(exercise, False, "the right unit; keep r's sign, which says which way the "
                                     "unit points")
    if got_unit == unit:
        return _say(exercise, False, f"the right unit, but r is {r[unit]:+.4f}: Pearson's r, "
                                     "the covariance divided by both standard deviations")
    if got_unit == int(np.argmax(r)) != unit:
        return _say(exercise, False, "compare |r|: a strongly negative r tracks the feature as "
                                     "well as a strongly positive one")
    centred = np.asarray(values, np.float64) - np.asarray(values, np.float64).mean(0)
    covariance = (centred * (np.asarray(feature) - np.mean(feature))[:, None]).mean(0)
    if got_unit == int(np.argmax(np.abs(covariance))) != unit:
        return _say(exercise, False, "that is the largest covariance; divide by both standard "
                                     "deviations to get Pearson's r")
    return _say(exercise, False, f"another unit has a larger |r| than unit {got_unit}; "
                                 "compute r for every unit, then take the largest |r|")


def check_most_shut_gate(answer, saturation: dict) -> Verdict:
    """Exercise 11.2: ``answer``, ``"forget"``, ``"input"`` or ``"output"``: the gate whose
    units spend the largest median fraction of steps below 0.1; ``saturation`` is
    :func:`helpers.interpret.gate_saturation`'s result, keyed ``"forget f"``, ``"input
    i"``, ``"output o"``.

    Hints: "forget" (a shut forget gate erases the memory); "input".
    """
    exercise = "11.2"
    medians = {name.split()[0]: float(np.median(below))
               for name, (below, _) in saturation.items()}
    truth = max(medians, key=medians.get)
    return _one_of(exercise, answer, {"forget": "the forget gate", "input": "the input gate",
                                      "output": "the output gate"}, truth,
                   "the output gate: it decides how much of tanh(c) h shows at each step, and "
                   "showing nothing for a while costs the memory nothing, since c never passes "
                   "through it" if truth == "output" else f"the {truth} gate, in this model",
                   {"forget": "a forget gate shut most of the time would erase the cell's "
                              "memory step after step: the trained ones are mostly open",
                    "input": "a shut input gate only stops writing; in this model the input "
                             "gates are the most open of the three",
                    "output": "not in this model: compare the medians below"})


def check_saturation_fractions(saturation_fractions: Callable, gate) -> Verdict:
    """Exercise 11.3: ``saturation_fractions(gate, low, high)``, for a gate's values
    ``(steps, units)``, each unit's share of steps below ``low`` and above ``high``, as two
    ``(units,)`` arrays; checked against :func:`helpers.interpret.gate_saturation` at
    (0.1, 0.9) and (0.3, 0.6).

    Hints: the fraction taken over the units instead of the steps; counts instead of
    fractions; the two arrays swapped.
    """
    from helpers.interpret import gate_saturation

    exercise = "11.3"
    gate = np.asarray(gate)
    for low, high in ((0.1, 0.9), (0.3, 0.6)):
        below, above = gate_saturation({"gate": gate}, low, high)["gate"]
        got, failed = _call(exercise, saturation_fractions, gate, low, high, array=False)
        if failed is not None:
            return failed
        try:
            got_below, got_above = (np.asarray(a, np.float64) for a in got)
        except (TypeError, ValueError):
            return _say(exercise, False, "return two arrays: the shares below low, then above "
                                         "high")
        if got_below.shape != below.shape or got_above.shape != above.shape:
            if got_below.shape == (gate.shape[0],):
                return _say(exercise, False, "one share per unit: average over the steps "
                                             "(axis 0), not over the units")
            return _say(exercise, False, f"expected two arrays of shape {below.shape}; got "
                                         f"{got_below.shape} and {got_above.shape}")
        if np.allclose(got_below, below) and np.allclose(got_above, above):
            continue
        if np.allclose(got_below, above) and np.allclose(got_above, below):
            return _say(exercise, False, "the two are swapped: below low first, then above "
                                         "high")
        if np.allclose(got_below, below * gate.shape[0]):
            return _say(exercise, False, "those are counts; divide by the number of steps")
        if (low, high) != (0.1, 0.9):
            return _say(exercise, False, "right at 0.1 and 0.9 only: use the arguments low and "
                                         "high, not fixed thresholds")
        return _say(exercise, False, "compare each unit's share of steps with gate < low and "
                                     "with gate > high")
    return _say(exercise, True, "(gate < low).mean(axis=0) and (gate > high).mean(axis=0): a "
                                "mean of True/False is a share")


def check_most_gained_class(answer, by_class) -> Verdict:
    """Exercise 11.4: ``answer``, the class of character on which the LSTM's loss is the
    furthest below the 5-gram's; ``by_class`` holds ``class`` and ``LSTM - n-gram`` per
    class (a DataFrame or a dict of lists).

    Hints: a letter or a space (what the 5-gram predicts well from 4 characters); any other
    class.
    """
    exercise = "11.4"
    classes = list(by_class["class"])
    gains = list(by_class["LSTM - n-gram"])
    truth = classes[int(np.argmin(gains))]
    local = ("the 5-gram predicts letters and spaces well from the 4 characters before "
             "them; look for a character that depends on something further back")
    best = min(gains)
    further = ("another class gains more: which character must remember something from "
               "further back?")
    return _one_of(exercise, answer, {name: name for name in classes}, truth,
                   f"{truth}: whether a bracket is open, and which one, can be decided "
                   "many characters back, beyond the 5-gram's view",
                   {name: local if name in ("letter", "space") else
                    "close, but " + further if gain - best < 0.4 else further
                    for name, gain in zip(classes, gains, strict=True)})


def check_gain_by_distance(answer, near: float, far) -> Verdict:
    """Exercise 11.5: ``answer``, how the LSTM's gain over the 5-gram on closing brackets
    changes with the distance back to the opening bracket: ``"a"`` about the same at every
    distance, ``"b"`` small within 4 characters and large beyond, ``"c"`` largest within 4
    characters. ``near`` is the mean gain (LSTM - n-gram, nats) at distances 1-4, ``far``
    the means of the farther bins.

    Hints: "a" (the n-gram's window forgotten); "c".
    """
    exercise = "11.5"
    far = np.asarray(far, np.float64)
    truth = ("b" if near > -0.5 and (far < -1.0).all() else
             "c" if near < far.min() else "a")
    return _one_of(exercise, answer, {"a": "the same at every distance",
                                      "b": "small near, large beyond",
                                      "c": "largest near"}, truth,
                   "small while the opening bracket is inside the 5-gram's 4 characters of "
                   "context, large as soon as it is out of view",
                   {"a": "the 5-gram sees the 4 characters before: within that window it "
                         "knows the bracket is open as well as the LSTM does",
                    "c": "within 4 characters the 5-gram sees the opening bracket itself",
                    "b": "not here: look at the table"})


# ----------------------------------------------------------------------------- notebook 12
def check_units_for_share(answer, embedding_dim: int, vocab_size: int,
                          share: float = 0.9) -> Verdict:
    """Exercise 12.1: ``answer``, the smallest number of units at which the recurrent
    product ``h·U`` is at least ``share`` of a character's forward FLOPs in the command's
    model (Embedding ``embedding_dim`` -> LSTM -> Dense over ``vocab_size``); the FLOPs come
    from :func:`helpers.speed.flops_per_char`.

    Hints: the logits left out; one unit short (not rounded up); too many; too few.
    """
    from types import SimpleNamespace

    from helpers.speed import flops_per_char

    exercise = "12.1"
    units, failed = _one_int(exercise, answer, "set answer to a number of units")
    if failed is not None:
        return failed

    def recurrent_share(u):
        model = SimpleNamespace(units=u, embedding_dim=embedding_dim, layers=1)  # the command's
        return 8 * u * u / flops_per_char(model, vocab_size)
    if units < 1:
        return _say(exercise, False, f"a number of units is at least 1; got {units}")
    if recurrent_share(units) >= share and (units == 1 or recurrent_share(units - 1) < share):
        return _say(exercise, True, f"{units}: the share is 8u / (8·{embedding_dim} + 8u + "
                                    f"2·{vocab_size}) = 8u / "
                                    f"({8 * embedding_dim + 2 * vocab_size} + 8u), at least "
                                    f"{share:.0%} from u = {units} on")
    without_logits = next(u for u in range(1, 10**6) if 8 * u / (8 * embedding_dim + 8 * u)
                          >= share)
    if units == without_logits:
        return _say(exercise, False, "that leaves out the logits, 2·units·vocabulary FLOPs per "
                                     "character")
    if recurrent_share(units) < share:
        close = recurrent_share(units + 1) >= share
        return _say(exercise, False, f"at {units} units the share is "
                                     f"{recurrent_share(units):.3%}: "
                                     + ("round up" if close else "more units"))
    return _say(exercise, False, f"at {units} units the share is {recurrent_share(units):.1%}, "
                                 "above the mark: the smallest number that reaches it is lower")


def check_faster_products(answer, dependent_rate: float, one_rate: float) -> Verdict:
    """Exercise 12.3: ``answer``, ``"dependent"`` or ``"one"``: which way of doing the same
    multiply-adds runs at more GFLOP/s, 64 dependent small products or one large product;
    the rates are measured.

    Hints: "dependent" (the same FLOPs read as the same time).
    """
    exercise = "12.3"
    truth = "one" if one_rate > dependent_rate else "dependent"
    return _one_of(exercise, answer, {"dependent": "the dependent products",
                                      "one": "the one large product"}, truth,
                   "the one large product: it keeps the cores busy on big blocks, while each "
                   "small product must wait for the one before and pays a call's overhead"
                   if truth == "one" else "the dependent products, on this machine",
                   {"dependent": "the FLOPs are the same, the work is not: each small product "
                                 "waits for the previous one and is too small to fill the "
                                 "cores",
                    "one": "not on this machine: compare the rates below"})


def check_timedistributed_products(answer, distributed: int, single: int,
                                   timesteps: int) -> Verdict:
    """Exercise 12.2: ``answer = (with TimeDistributed, with one Dense)``, the matrix
    products (``MatMul`` ops) in the traced forward pass of the logits layer on a
    ``(batch, timesteps, units)`` tensor; ``distributed`` and ``single`` are counted in the
    traced graphs.

    Hints: (1, 1); (timesteps, timesteps); one product per character.
    """
    exercise = "12.2"
    pair, failed = _two_numbers(exercise, answer, "set answer to (with TimeDistributed, "
                                                  "with one Dense)", "two whole numbers")
    if failed is not None:
        return failed
    if tuple(pair) == (distributed, single):
        return _say(exercise, True, f"({distributed}, {single}): with a fixed number of "
                                    "timesteps, TimeDistributed calls its layer once per "
                                    "timestep; Dense multiplies the last axis of the whole 3-D "
                                    "tensor in one product")
    if pair[0] < distributed:
        return _say(exercise, False, "TimeDistributed with a fixed number of timesteps calls "
                                     "its layer once per timestep, each call a product")
    if pair[1] > single:
        return _say(exercise, False, "Dense on a 3-D tensor multiplies the last axis for every "
                                     "(batch, timestep) position at once: one product")
    return _say(exercise, False, f"one call per timestep ({timesteps}), not per character")


def check_unroll_losses(answer, losses) -> Verdict:
    """Exercise 12.4: ``answer``, ``"same"`` or ``"different"``: whether an LSTM with
    ``unroll=True`` gets the same first-epoch loss as with ``unroll=False`` from the same
    weights and batches (``losses``, the two measured; "same" means within 1e-3).

    Hints: "different" (unrolling read as a change of model).
    """
    exercise = "12.4"
    losses = np.asarray(losses, np.float64)
    truth = "same" if losses.max() - losses.min() < 1e-3 else "different"
    return _one_of(exercise, answer, {"same": "the same", "different": "different"}, truth,
                   "the same: unroll writes the loop out as copies of the cell, the same "
                   "arithmetic in another order of execution" if truth == "same" else
                   "different, here", {"different": "unroll changes how the loop is executed "
                                                    "(copies of the cell instead of a while "
                                                    "loop), not what each step computes",
                                       "same": "not here: compare the losses"})


def check_batched_generation(answer, speedup: float) -> Verdict:
    """Exercise 12.5: ``answer``, ``"a"`` (less than 5 times) or ``"b"`` (5 times or more):
    how many times the characters per second of drawing 32 texts at once in one batch are
    those of drawing one; ``speedup`` is the measured ratio.

    Hints: "a" (the cost of a step read as proportional to its rows).
    """
    exercise = "12.5"
    truth = "b" if speedup >= 5 else "a"
    return _one_of(exercise, answer, {"a": "less than 5 times", "b": "5 times or more"}, truth,
                   "5 times or more: a batch-1 step is almost all overhead, and 32 rows cost "
                   "barely more than one" if truth == "b" else "less than 5 times, here",
                   {"a": "a batch-1 step is almost all overhead (Python, the framework's call); "
                         "adding rows adds little to it",
                    "b": "not here: compare the rates below"})


# ----------------------------------------------------------------------------- notebook 13
def check_patches(to_patches: Callable) -> Verdict:
    """Exercise 13.1: ``to_patches(images, size)``, images ``(n, height, width)`` to
    sequences of square patches ``(n, patches, size * size)``: patches in reading order (left
    to right, then down), each patch's pixels row by row. Checked on numbered pixels, a
    non-square image and two patch sizes.

    Hints: ``reshape`` alone (strips of rows, not squares); patches read down first; each
    patch's pixels column by column; a wrong shape.
    """
    exercise = "13.1"
    cases = [(np.arange(2 * 8 * 12, dtype="float32").reshape(2, 8, 12), 4),
             (np.arange(6 * 4, dtype="float32").reshape(1, 6, 4), 2)]
    for images, size in cases:
        got, failed = _call(exercise, to_patches, images, size)
        if got is None:
            return failed
        n, height, width = images.shape
        blocks = images.reshape(n, height // size, size, width // size, size)
        # axes: image, patch row, row in patch, patch column, column in patch
        read = {order: blocks.transpose(0, *order).reshape(n, -1, size * size)
                for order in [(1, 3, 2, 4), (3, 1, 2, 4), (1, 3, 4, 2)]}
        want = read[1, 3, 2, 4]
        if got.shape == want.shape and np.array_equal(got, want):
            continue
        if got.shape != want.shape:
            return _say(exercise, False, f"for {images.shape} images and size {size}, expected "
                                         f"shape {want.shape}; got {got.shape}")
        if np.array_equal(got, images.reshape(want.shape)):
            return _say(exercise, False, "reshape alone cuts each row into runs of pixels, not "
                                         "squares: split both axes into (blocks, size), move "
                                         "the two block axes next to each other (transpose), "
                                         "then reshape")
        if np.array_equal(got, read[3, 1, 2, 4]):
            return _say(exercise, False, "the patches go down first: read them left to right, "
                                         "then down (patch row before patch column)")
        if np.array_equal(got, read[1, 3, 4, 2]):
            return _say(exercise, False, "each patch's pixels come column by column: keep the "
                                         "row within the patch before the column")
        return _say(exercise, False, f"the right shape {want.shape}, other numbers: the first "
                                     "patch should be the top-left square, its first row first")
    return _say(exercise, True, "(n, height, width) -> (n, blocks, size, blocks, size), the "
                                "block axes brought together, then one row per patch: a "
                                "28 x 28 image in 7 x 7 patches is 16 timesteps of 49 features")


def check_shuffled_rows(answer, in_order: float, shuffled: float) -> Verdict:
    """Exercise 13.2: ``answer``, ``"a"`` (less than 5 points lower), ``"b"`` (5 to 50
    points lower) or ``"c"`` (more than 50 points lower): the LSTM's mean test accuracy with
    every image's rows shuffled against the rows in order (both measured, as fractions).

    Hints: "a" (order read as unused); "c" (the pixels read as lost with their order).
    """
    exercise = "13.2"
    drop = in_order - shuffled
    truth = "a" if drop < 0.05 else "b" if drop <= 0.5 else "c"
    return _one_of(exercise, answer, {"a": "less than 5 points lower",
                                      "b": "5 to 50 points lower",
                                      "c": "more than 50 points lower"}, truth,
                   "5 to 50 points lower: the LSTM uses the order of the rows, and the rows "
                   "themselves, in any order, still tell many digits apart",
                   {"a": "the LSTM's h after the last row depends on the order the rows came "
                         "in, and it was trained on that order: see the drop below",
                    "b": "not here: compare the two accuracies below",
                    "c": "every pixel is still there: a bag of rows (a 1's narrow rows, a 0's "
                         "ring) still tells many digits apart"})


def check_matched_units(answer, weights_of: Callable, units: int, layers: int = 2) -> Verdict:
    """Exercise 13.3: ``answer``, the units per layer of ``layers`` stacked LSTMs whose
    classifier's weights come closest to one LSTM of ``units``; ``weights_of(units, layers)``
    is the notebook's closed form (asserted against ``count_params``).

    Hints: ``units / layers`` (half the units, a quarter of the weights per layer); ``units /
    sqrt(layers)`` (the layers above read ``units`` features, not the input's); one off.
    """
    exercise = "13.3"
    guess, failed = _one_int(exercise, answer, "set answer to a number of units")
    if failed is not None:
        return failed
    target = weights_of(units, 1)
    truth = min(range(1, units + 1), key=lambda u: abs(weights_of(u, layers) - target))
    if guess == truth:
        return _say(exercise, True, f"{truth}: {layers} layers of {truth} hold "
                                    f"{weights_of(truth, layers):,} weights against {target:,}; "
                                    f"about units / sqrt({2 * layers - 1}), since each layer "
                                    "above the first reads units features")
    if guess < 1:
        return _say(exercise, False, f"a number of units is at least 1; got {guess}")
    if guess == units // layers:
        return _say(exercise, False, "half the units gives each layer about a quarter of the "
                                     "weights, so two such layers hold about half")
    if guess == round(units / np.sqrt(layers)):
        return _say(exercise, False, "the layer above reads the first one's units as its "
                                     "features: its input kernel is as big as its recurrent "
                                     "kernel, so it costs more than the first layer")
    if abs(guess - truth) == 1:
        return _say(exercise, False, "one off: compare the weights at your answer and at its "
                                     "neighbours; the closer count wins")
    return _say(exercise, False, f"{layers} layers of {guess} hold "
                                 f"{weights_of(guess, layers):,} weights against {target:,}")


def check_deeper_step_time(answer, one_layer_ms, two_layers_ms) -> Verdict:
    """Exercise 13.4: ``answer``, ``"one"`` or ``"two"``: which takes longer per training
    step, one LSTM layer or two stacked layers of about the same weights; the step times
    (milliseconds, one per seed) are measured, and the fastest of each compared.

    Hints: "one" (time read as following the weight count).
    """
    exercise = "13.4"
    truth = "two" if min(two_layers_ms) > min(one_layer_ms) else "one"
    return _one_of(exercise, answer, {"one": "one layer", "two": "two layers"}, truth,
                   "two layers: each layer is a loop over the timesteps, and the second "
                   "needs the first's output, so the same weights take two loops"
                   if truth == "two" else "one layer, on this machine",
                   {"one": "the weights are about equal, the steps of work are not: two layers "
                           "run two loops over the timesteps, the second after the first",
                    "two": "not on this machine: see the times below"})


def check_trials_for_top(answer, share: float, chance: float) -> Verdict:
    """Exercise 13.5: ``answer``, the fewest independent random-search trials that give at
    least ``chance`` of one landing in the best ``share`` of the space:
    ``1 - (1 - share) ** trials >= chance``. Source: Bergstra & Bengio (2012), "Random search
    for hyper-parameter optimization", JMLR 13 (their 60 trials for 5 % at 95 %).

    Hints: ``1 / share`` (chances added instead of multiplied); one short; more than needed.
    """
    exercise = "13.5"
    trials, failed = _one_int(exercise, answer, "set answer to a number of trials")
    if failed is not None:
        return failed

    def hit(n):
        return 1 - (1 - share) ** n
    truth = int(np.ceil(np.log(1 - chance) / np.log(1 - share) - 1e-9))
    if trials == truth:
        return _say(exercise, True, f"{truth}: 1 - {1 - share:g}^{truth} = {hit(truth):.1%}, "
                                    "in any space much larger than the trials (Bergstra "
                                    "and Bengio round it to 60)")
    if trials < 1:
        return _say(exercise, False, f"a number of trials is at least 1; got {trials}")
    if trials in (round(1 / share), round(chance / share)):
        return _say(exercise, False, f"{trials} trials give 1 - {1 - share:g}^{trials} = "
                                     f"{hit(trials):.0%}: chances of missing multiply, they do "
                                     "not add")
    if trials < truth:
        return _say(exercise, False, f"{trials} trials give {hit(trials):.1%}, short of "
                                     f"{chance:.0%}")
    return _say(exercise, False, f"{trials} trials give {hit(trials):.1%}; fewer are enough")


# ----------------------------------------------------------------------------- notebook 14
def check_sequence_share(answer, per_digit: float, length: int) -> Verdict:
    """Exercise 14.1: ``answer``, the share of ``length``-digit sequences reproduced exactly
    by a model right on each digit with probability ``per_digit``, independently:
    ``per_digit ** length``.

    Hints: one digit's probability; error chances added (``1 - length * (1 - per_digit)``);
    a percentage where a share is asked; the chance that every digit is wrong.
    """
    exercise = "14.1"
    share, failed = _one_number(exercise, answer, "set answer to a share from 0 to 1")
    if failed is not None:
        return failed
    truth = per_digit ** length
    if abs(share - truth) < 0.005:
        return _say(exercise, True, f"{per_digit:g}^{length} = {truth:.3f}: every digit must be "
                                    "right, so the chances multiply, and a long sequence is "
                                    "exact far less often than each digit is right")
    if 1 < share <= 100 and abs(share / 100 - truth) < 0.005:
        return _say(exercise, False, "a share from 0 to 1, not a percentage")
    if not 0 <= share <= 1:
        return _say(exercise, False, f"a share lies from 0 to 1; got {share:g}")
    if abs(share - per_digit) < 0.005:
        return _say(exercise, False, f"that is one digit; all {length} must be right at once")
    if abs(share - (1 - length * (1 - per_digit))) < 0.005:
        return _say(exercise, False, "the chances of an error do not add up: multiply the "
                                     f"chances of being right, {per_digit:g} for each digit")
    if share < 0.001:
        return _say(exercise, False, "that is about the chance that every digit is wrong; "
                                     "ask for every digit right")
    return _say(exercise, False, f"{share:g} is not the chance that all {length} digits are "
                                 f"right, each with probability {per_digit:g}")


def check_additive_weight(answer) -> Verdict:
    """Exercise 14.2: ``answer``, the attention weight that additive scores give key ``k1 =
    (0, 2)`` against ``k2 = (1, 0)`` for query ``q = (1, -1)`` with ``scale = (2, 1)``, no
    mask: the softmax of ``sum(scale * tanh(q + k))`` over the two keys, as
    ``keras.layers.AdditiveAttention`` computes it (checked against the layer in notebook 14
    §2). About 0.754.

    Hints: k1's score instead of its weight; the share of the scores instead of a softmax;
    k2's weight; the dot product's weight; scale left out.
    """
    exercise = "14.2"
    weight, failed = _one_number(exercise, answer, "set answer to the weight of k1")
    if failed is not None:
        return failed
    q, keys, scale = np.array([1.0, -1.0]), np.array([[0.0, 2.0], [1.0, 0.0]]), np.array([2.0, 1.0])

    def softmax(scores):
        return np.exp(scores) / np.exp(scores).sum()
    scores = np.sum(scale * np.tanh(q + keys), axis=-1)
    truth = float(softmax(scores)[0])
    if abs(weight - truth) < 0.005:
        return _say(exercise, True, f"{truth:.3f}: scores {scores[0]:.3f} and {scores[1]:.3f} "
                                    "(sum of scale * tanh(q + k)), then a softmax over the two "
                                    "keys; the weights sum to 1")
    hints = [(float(scores[0]), "that is k1's score; its weight is the softmax of the two "
                                "scores: exp(s1) / (exp(s1) + exp(s2))"),
             (float(scores[0] / scores.sum()), "weights come from a softmax of the scores, "
                                               "not from their share of the sum"),
             (float(softmax(scores)[1]), "that is k2's weight; k1 is (0, 2)"),
             (float(softmax(keys @ q)[0]), "that is the dot product's weight; the additive "
                                           "score adds q and k, then tanh, then the "
                                           "scale-weighted sum"),
             (float(softmax(np.sum(np.tanh(q + keys), axis=-1))[0]),
              "scale weights each tanh: (2, 1), not (1, 1)")]
    for value, hint in hints:
        if abs(weight - value) < 0.005:
            return _say(exercise, False, hint)
    if not 0 <= weight <= 1:
        return _say(exercise, False, "an attention weight lies between 0 and 1")
    return _say(exercise, False, f"{weight:g} is not k1's weight: score both keys with "
                                 "sum(scale * tanh(q + k)), then take a softmax")


def check_attention_weights(answer, added: int, units: int) -> Verdict:
    """Exercise 14.3: ``answer``, the weights that notebook 14's attention adds to an
    encoder-decoder of ``units`` units; ``added`` is Keras's count (the model with attention
    minus the one without): a query ``Dense(units, use_bias=False)`` (``units**2``) and a
    combine ``Dense(units)`` reading ``2 * units`` features (``2 * units**2 + units``).

    Hints: a bias counted on the query; the combine layer's bias missing; the query layer
    forgotten, or combine read as ``units`` features (the same count); the additive variant's
    key layer counted; weights counted in ``Attention``.
    """
    exercise = "14.3"
    guess, failed = _one_int(exercise, answer, "set answer to a number of weights")
    if failed is not None:
        return failed
    if guess == added:
        return _say(exercise, True, f"{added:,}: the query's {units} x {units} kernel and the "
                                    f"combine layer's {2 * units} x {units} kernel and "
                                    f"{units} biases; Attention itself holds none")
    if guess == added + units:
        return _say(exercise, False, "the query layer is built with use_bias=False, as "
                                     "Luong's W has no bias")
    if guess == added - units:
        return _say(exercise, False, "the combine layer has a bias as well")
    if guess in (added - units * units, added - units * units - units):
        return _say(exercise, False, f"count both new Dense layers: the query's {units} x "
                                     f"{units} kernel, and combine's kernel, which reads the "
                                     f"context and h_t side by side ({2 * units} features)")
    if guess == added + units * units:
        return _say(exercise, False, "the key layer belongs to the additive variant; the "
                                     "dot-product model has query and combine only")
    if guess == added + 1:
        return _say(exercise, False, "Attention with its defaults (use_scale=False) holds no "
                                     "scale weight: count the query and combine layers only")
    if guess > added:
        return _say(exercise, False, f"{guess:,} is more than the two new layers hold: count "
                                     "only the query and combine Dense layers")
    return _say(exercise, False, f"{guess:,} is short: count the query's {units} x {units} "
                                 "kernel and the combine layer's kernel and bias")


def check_alignment_score(alignment_score: Callable) -> Verdict:
    """Exercise 14.4: ``alignment_score(weights, lengths)``: the share of real output steps
    (``t < length``) whose largest weight falls on source position ``length - 1 - t``, for
    weights ``(n, output steps, source positions)`` and lengths ``(n,)``. Checked on weights
    built with a known share right, padding rows that would change it if counted, and one
    sequence of a single step.

    Hints: padding steps counted; the diagonal (``t``) instead of the anti-diagonal; the mean
    over sequences of each one's share (short sequences weigh as much as long ones); the
    argmax over the wrong axis.
    """
    exercise = "14.4"
    rng = np.random.default_rng(14)
    n, steps = 6, 8
    lengths = np.array([8, 2, 5, 1, 7, 6])
    positions = np.arange(steps)
    expected = lengths[:, None] - 1 - positions
    real = positions < lengths[:, None]
    peak = np.where(real, expected, 0)
    wrong = rng.random((n, steps)) < 0.3
    peak = np.where(wrong & real, (peak + 1) % steps, peak)
    peak = np.where(real, peak, lengths[:, None] - 1)     # padding rows: wrong if counted
    weights = rng.random((n, steps, steps)) * 0.1
    np.put_along_axis(weights, peak[..., None], 1.0, axis=-1)
    weights /= weights.sum(-1, keepdims=True)
    hit = peak == expected
    want = float(hit[real].mean())
    got, failed = _call(exercise, alignment_score, weights.copy(), lengths.copy(),
                        number=(float, "a number"))
    if got is None:
        return failed
    if abs(got - want) < 1e-6:
        return _say(exercise, True, f"{want:.3f} on the check's made-up weights: argmax over "
                                    "the source axis, compared with length - 1 - t, averaged "
                                    "over the real output steps only")
    diagonal = peak == positions
    if abs(got - float((hit | ~real).mean())) < 1e-6 or abs(got - float(hit.mean())) < 1e-6:
        return _say(exercise, False, "padding steps were counted: keep only t < length of each "
                                     "sequence")
    if abs(got - float(diagonal[real].mean())) < 1e-6:
        return _say(exercise, False, "output t of a reversal copies source position "
                                     "length - 1 - t, not t")
    per_sequence = float(np.mean([hit[i, :lengths[i]].mean() for i in range(n)]))
    if abs(got - per_sequence) < 1e-6:
        return _say(exercise, False, "that is the mean of each sequence's share: count every "
                                     "real output step once, over all sequences together")
    wrong_axis = weights.argmax(1) == expected
    if abs(got - float(wrong_axis[real].mean())) < 1e-6:
        return _say(exercise, False, "the argmax runs over the output steps: take it over the "
                                     "last axis, the source positions")
    return _say(exercise, False, f"expected {want:.3f} on the check's weights; got {got:.3f}")


def check_mask_keeper(answer, add_keeps: bool, plus_keeps: bool) -> Verdict:
    """Exercise 14.5: ``answer``, which of ``keras.layers.Add()([e, e])`` (``"a"``) and
    ``e + e`` (``"b"``) keep the Keras mask of a masked tensor ``e``: both ``"c"``, neither
    ``"d"``. The truth is measured in the notebook (an LSTM after each, fed a padded and an
    unpadded input).

    Hints: where the measurement found Add keeping the mask and + dropping it, a nudge for
    each wrong letter (which of the two is a layer); otherwise what was measured.
    """
    exercise = "14.5"
    truth = {(True, False): "a", (False, True): "b", (True, True): "c",
             (False, False): "d"}[bool(add_keeps), bool(plus_keeps)]
    options = {"a": "only Add", "b": "only +", "c": "both", "d": "neither"}
    right = {"a": "a mask travels from layer to layer; Add merges its inputs' masks, while + "
                  "is an operation, not a layer, and returns a tensor without one (no warning)",
             "b": "on this Keras, only + keeps it", "c": "on this Keras, both keep it",
             "d": "on this Keras, neither keeps it"}[truth]
    hints = {letter: f"not {meaning}: on this Keras, Add "
                     f"{'keeps' if add_keeps else 'drops'} the mask and + "
                     f"{'keeps' if plus_keeps else 'drops'} it (the table below shows it)"
             for letter, meaning in options.items()}
    if truth == "a":
        hints = {"b": "a mask is carried from layer to layer: which of the two is a Keras layer?",
                 "c": "only one of the two is a layer; an operation on tensors does not look "
                      "for a mask",
                 "d": "Add is a merge layer, and merge layers combine their inputs' masks"}
    return _one_of(exercise, answer, options, truth, right, hints)


def check_greedy_scores(answer, length: int) -> Verdict:
    """Exercise 14.6: ``answer``, the pair (attention scores computed by notebook 14's
    ``greedy``, by its ``greedy_steps``) for one sequence of ``length`` digits, no padding.
    ``greedy`` runs the whole model ``length`` times (``length - 1`` in its loop and once
    more), each run scoring ``length`` source positions at each of ``length`` output steps:
    ``length ** 3``; ``greedy_steps`` runs ``length`` steps of ``length`` scores:
    ``length ** 2``.

    Hints: one run of the whole model taken for all of ``greedy``; the loop's runs without the
    last; a step of ``greedy_steps`` scoring one position; the pair swapped.
    """
    exercise = "14.6"
    pair, failed = _two_numbers(exercise, answer, "set answer to a pair of integers",
                                "two integers, (greedy, greedy_steps)")
    if failed is not None:
        return failed
    rerun, stepped = pair
    cube, square = length ** 3, length ** 2
    if pair == (cube, square):
        return _say(exercise, True, f"({cube:,}, {square:,}): re-running the whole model costs "
                                    f"{length} times more. A step model carries h, c and the "
                                    "stored encoder outputs instead")
    if pair == (square, cube):
        return _say(exercise, False, "swapped: greedy is the one that re-runs everything")
    if stepped != square:
        return _say(exercise, False, f"each of greedy_steps' {length} steps scores all "
                                     f"{length} source positions")
    if rerun == square:
        return _say(exercise, False, f"that is one run of the whole model; greedy runs it "
                                     f"{length} times")
    if rerun == (length - 1) * square:
        return _say(exercise, False, f"greedy runs the model {length - 1} times in its loop and "
                                     "once more at the end")
    return _say(exercise, False, f"greedy: runs x output steps x source positions, each "
                                 f"{length}")
