"""helpers.exercises: each check says right for the solution, "not attempted" for the
placeholder, and names the likely mistake for the wrong answers its hints are written for;
and the notebooks' exercise cells are tagged, followed by a hidden, checked solution."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import exercises

REPO = Path(__file__).resolve().parents[1]
SHAPES = ((32, 16), (32, 20, 16))           # LSTM(16) on (32, 20, 6)
WINDOWS = ((82, 6), (526, 36, 6))           # 526 steps, timesteps 36, stride 6


def said(capsys) -> str:
    return capsys.readouterr().out.strip()


def placeholder(*args):
    raise NotImplementedError


@pytest.mark.parametrize("answer, hint", [
    (((32, 20, 16), (32, 16)), "the two are swapped"),
    (((16,), (20, 16)), "the batch axis stays first"),
    (((32, 6), (32, 20, 6)), "the last axis of an LSTM's output is its units (16)"),
    ((32, 16), "give two shapes as tuples of integers"),
    (((32, 16),), "give two shapes, without and with return_sequences=True; got 1"),
    (((32, 8), (32, 20, 8)), "the last axis of an LSTM's output is its units (16)"),
    (((20, 16), (32, 20, 16)), "is not it"),
    (((None, 16), (None, 20, 16)), "the batch is known: 32"),
])
def test_lstm_output_shapes_hints(capsys, answer, hint):
    assert not exercises.check_lstm_output_shapes(answer, SHAPES)
    out = said(capsys)
    assert out.startswith("✗ 1.1 not yet: ") and hint in out


@pytest.mark.parametrize("fn, hint", [
    (lambda ids, v: np.eye(v, dtype="float32")[ids.reshape(-1)], "merges batch and timesteps"),
    (lambda ids, v: np.moveaxis(np.eye(v, dtype="float32")[ids], -1, 1),
     "the one-hot axis goes last"),
    (lambda ids, v: np.eye(v - 1, dtype="float32")[np.minimum(ids, v - 2)],
     "vocab_size columns, not the largest id"),
    (lambda ids, v: np.eye(v, dtype="int64")[ids], "the dtype is int64"),
    (lambda ids, v: 1 / 0, "it raised ZeroDivisionError"),
    (lambda ids, v: None, "returned None: add a return"),
    (lambda ids, v: np.eye(v, dtype="float32")[(ids + 1) % v], "the shape is right, the values"),
])
def test_one_hot_batch_hints(capsys, fn, hint):
    assert not exercises.check_one_hot_batch(fn)
    out = said(capsys)
    assert out.startswith("✗ 1.2 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    ((490, 6), "the count with stride 1"),
    ((14, 6), "windows overlap"),
    ((81, 6), "one short"),
    ((82, 1), "window k starts at k * stride: window 1 at 6"),
    ((83, 6), "is not it"),
    ((41, 12), "that is the answer for stride 12: set STRIDE to 6 first"),
    ("82", "give two integers"),
])
def test_window_count_hints(capsys, answer, hint):
    assert not exercises.check_window_count(answer, WINDOWS)
    out = said(capsys)
    assert out.startswith("✗ 1.3 not yet: ") and hint in out


@pytest.mark.parametrize("fn, hint", [
    (lambda x: x.reshape(x.shape[1], x.shape[0], x.shape[2]), "reshape gives the right shape"),
    (lambda x: x.T, ".T reverses all three axes"),
    (lambda x: x, "came back unchanged"),
    (lambda x: x[:1], "expected shape (2, 3, 4)"),
])
def test_batch_first_hints(capsys, fn, hint):
    assert not exercises.check_batch_first(fn)
    out = said(capsys)
    assert out.startswith("✗ 1.4 not yet: ") and hint in out


def test_the_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_lstm_output_shapes(SHAPES, SHAPES),
             exercises.check_one_hot_batch(lambda ids, v: np.eye(v, dtype="float32")[ids]),
             exercises.check_window_count((82, 6), WINDOWS),
             exercises.check_batch_first(lambda x: np.swapaxes(x, 0, 1))]
    assert [bool(v) for v in right] == [True] * 4
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 1.{k} right" for k in
                                                                range(1, 5)]
    placeholders = [exercises.check_lstm_output_shapes(None, SHAPES),
                    exercises.check_one_hot_batch(placeholder),
                    exercises.check_window_count(None, WINDOWS),
                    exercises.check_batch_first(placeholder)]
    assert [bool(v) for v in placeholders] == [False] * 4
    assert all(line.startswith(f"· 1.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebooks
#: Notebooks that follow the exercise pattern (CONTRIBUTING, "Exercises"), and how many each
#: has at least.
WITH_EXERCISES = {"01_input_shapes.ipynb": 4, "02_lstm_cell_from_scratch.ipynb": 4,
                  "03_return_sequences_and_state.ipynb": 5,
                  "04_stateful_vs_stateless.ipynb": 5,
                  "05_language_model.ipynb": 4, "06_embedding_vs_one_hot.ipynb": 5,
                  "07_vanishing_gradients.ipynb": 6,
                  "08_sequence_classification.ipynb": 6,
                  "09_forecasting.ipynb": 6, "10_keras_and_pytorch.ipynb": 5,
                  "11_inside_the_lstm.ipynb": 5, "12_performance.ipynb": 5,
                  "13_sizing_an_lstm.ipynb": 5, "14_encoder_decoder_attention.ipynb": 6}


def cells(name: str) -> list[dict]:
    return json.loads((REPO / "notebooks" / name).read_text())["cells"]


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("name", sorted(WITH_EXERCISES))
def test_each_exercise_is_followed_by_a_hidden_solution_that_asserts_the_same_check(name):
    notebook = cells(name)
    exercise_code = [k for k, c in enumerate(notebook)       # the cells that check an answer
                     if "exercise" in tags(c) and c["cell_type"] == "code"
                     and "check_" in "".join(c["source"])]
    assert len(exercise_code) >= WITH_EXERCISES[name]
    for k in exercise_code:
        source = "".join(notebook[k]["source"])
        check = re.findall(r"\b(check_\w+)\(", source)[-1]
        solution = notebook[k + 1]
        assert "solution" in tags(solution) and solution["cell_type"] == "code", k
        assert solution["metadata"].get("jupyter", {}).get("source_hidden") is True   # Jupyter
        assert solution["metadata"].get("cellView") == "form"                         # Colab
        body = "".join(solution["source"])
        assert body.startswith("#@title Solution") and f"assert {check}(" in body, k
        outputs = "".join("".join(o.get("text", "")) for o in solution["outputs"])
        assert outputs.startswith(f"✓ {int(name[:2])}."), outputs    # CI ran it: right
        stored = "".join("".join(o.get("text", "")) for o in notebook[k]["outputs"])
        assert "not attempted yet" in stored, k         # the notebook ships unanswered


def test_keep_random_state_leaves_later_draws_as_they_were():
    """The legacy global NumPy generator is the one keras.utils.set_random_seed seeds."""
    import random

    def draws():
        return random.random(), np.random.random()  # noqa: NPY002

    random.seed(1)
    np.random.seed(1)  # noqa: NPY002
    expected = draws()
    random.seed(1)
    np.random.seed(1)  # noqa: NPY002
    with exercises.keep_random_state():
        draws()
    assert draws() == expected


# ----------------------------------------------------------------------------- notebook 02
GRU_COUNTS = {(5, 4): 3 * (4 * 9 + 8), (16, 64): 3 * (64 * 80 + 128)}   # Keras, reset_after
BIAS = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype="float32")   # LSTM(3), i f c o
STATES = {"h": np.array([-0.9, 1.0]), "c": np.array([-26.0, 3.0])}   # float32 tanh rounds to 1


def gru_step_solution(x_t, h, kernel, recurrent_kernel, bias):
    from helpers.numpy_rnn import sigmoid

    xz, xr, xh = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    hz, hr, hh = np.split(h @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(xz + hz), sigmoid(xr + hr)
    return z * h + (1 - z) * np.tanh(xh + r * hh)


@pytest.mark.parametrize("fn, hint", [
    (lambda f, u: 4 * (u * (f + u) + u), "three gate blocks"),
    (lambda f, u: 3 * (u * (f + u) + u), "adds the recurrent product its own bias"),
    (lambda f, u: 3 * u * (f + u), "the biases are missing"),
    (lambda f, u: 7, "weights in Keras; got 7"),
    (lambda f, u: None, "returned None: add a return"),
    (lambda f, u: [(f, 3 * u), (u, 3 * u), (2, 3 * u)], "return one integer"),
])
def test_gru_params_hints(capsys, fn, hint):
    assert not exercises.check_gru_params(fn, GRU_COUNTS)
    out = said(capsys)
    assert out.startswith("✗ 2.3 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    ((6, 9), "block 3, Keras's 'c', the candidate g"), ((0, 3), "block 1, i, the input gate"),
    ((3, 5), "stop is start + 3"), ("f", "give two integers"), ((1, 4), "which one printed 1")])
def test_forget_block_hints(capsys, answer, hint):
    assert not exercises.check_forget_block(answer, BIAS, 3)
    out = said(capsys)
    assert out.startswith("✗ 2.1 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    ("h", "cannot go beyond ±1"), ("both", "cannot go beyond ±1"),
    ("neither", "a running sum"), ("H", 'answer "h", "c", "both" or "neither"')])
def test_state_ranges_hints(capsys, answer, hint):
    assert not exercises.check_state_ranges(answer, STATES)
    out = said(capsys)
    assert out.startswith("✗ 2.4 not yet: ") and hint in out


def _swapped_update(x_t, h, W, U, b):
    n_minus = gru_step_solution(x_t, h, W, U, b)          # z*h + (1-z)*n
    from helpers.numpy_rnn import sigmoid

    z = sigmoid(np.split(x_t @ W + b[0], 3, axis=-1)[0] + np.split(h @ U + b[1], 3, axis=-1)[0])
    n = (n_minus - z * h) / (1 - z)
    return (1 - z) * h + z * n


def _wrong_gru(blocks="zrn", reset_before=False):
    """A GRU step with one of the mistakes the hints name."""
    from helpers.numpy_rnn import sigmoid

    def step(x_t, h, W, U, b):
        xs = dict(zip(blocks, np.split(x_t @ W + b[0], 3, axis=-1), strict=True))
        hs = dict(zip(blocks, np.split(h @ U + b[1], 3, axis=-1), strict=True))
        z, r = sigmoid(xs["z"] + hs["z"]), sigmoid(xs["r"] + hs["r"])
        if reset_before:
            un = dict(zip(blocks, np.split(U, 3, axis=-1), strict=True))["n"]
            bn = dict(zip(blocks, np.split(b[1], 3), strict=True))["n"]
            return z * h + (1 - z) * np.tanh(xs["n"] + (r * h) @ un + bn)
        return z * h + (1 - z) * np.tanh(xs["n"] + r * hs["n"])

    return step


_reset_before, _blocks_r_z = _wrong_gru(reset_before=True), _wrong_gru(blocks="rzn")


@pytest.mark.parametrize("fn, hint", [
    (_swapped_update, "z and 1 - z are swapped"), (_blocks_r_z, "stored z, r, n"),
    (lambda x_t, h, W, U, b: gru_step_solution(x_t, h, W, U, b[::-1]), "bias[0] goes with"),
    (_reset_before, "applies r after the recurrent product"),
    (lambda x_t, h, W, U, b: h, "differs from Keras's GRU"),
    (lambda x_t, h, W, U, b: h[0], "expected shape (2, 4)"),
])
def test_gru_step_hints(capsys, fn, hint):
    assert not exercises.check_gru_step(fn)
    out = said(capsys)
    assert out.startswith("✗ 2.2 not yet: ") and hint in out


def test_the_notebook_02_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_forget_block((3, 6), BIAS, 3),
             exercises.check_gru_step(gru_step_solution),
             exercises.check_gru_params(lambda f, u: 3 * (u * (f + u) + 2 * u), GRU_COUNTS),
             exercises.check_state_ranges("c", STATES)]
    assert [bool(v) for v in right] == [True] * 4
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 2.{k} right" for k in
                                                                 range(1, 5)]
    placeholders = [exercises.check_forget_block(None, BIAS, 3),
                    exercises.check_gru_step(placeholder),
                    exercises.check_gru_params(placeholder, GRU_COUNTS),
                    exercises.check_state_ranges(None, STATES)]
    assert [bool(v) for v in placeholders] == [False] * 4
    assert all(line.startswith(f"· 2.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


@pytest.mark.parametrize("page, prefix", [("README.md", "notebooks/"),
                                          ("docs/maintainers.md", "../notebooks/")])
def test_the_notebook_tables_say_how_many_exercises_each_notebook_has(page, prefix):
    readme = (REPO / page).read_text(encoding="utf-8")
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        row = next(line for line in readme.splitlines() if f"({prefix}{path.name})" in line
                   and line.startswith(f"| {path.name[:2]} |"))
        counted = sum(1 for c in cells(path.name) if "exercise" in tags(c)
                      and c["cell_type"] == "code" and "check_" in "".join(c["source"]))
        assert row.split(" | ")[-2] == (str(counted) if counted else "—"), path.name


# ----------------------------------------------------------------------------- notebook 03
GRU_SHAPES = [(3, 5), (3, 5)]                               # GRU(5, return_state) on (3, 7, 2)
BI_SHAPES = [(4, 12, 6)] + [(4, 6)] * 4                     # Bidirectional(LSTM(6), "sum")


@pytest.mark.parametrize("answer, hint", [
    ([(3, 5), (3, 5), (3, 5)], "a GRU keeps one state"),
    ([(3, 7, 5), (3, 5)], "return_sequences=True keeps the timesteps axis"),
    ([(3, 2), (3, 2)], "is its units"),
    ([(None, 5), (None, 5)], "the batch is known: 3"),
    ([(3, 5), (3, 4)], "every returned state is (batch, units) = (3, 5)"),
    ("(3, 5)", "give a list of shapes"),
])
def test_gru_state_shapes_hints(capsys, answer, hint):
    assert not exercises.check_gru_state_shapes(answer, GRU_SHAPES)
    out = said(capsys)
    assert out.startswith("✗ 3.1 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    ([(4, 12, 12)] + [(4, 6)] * 4, "only 'concat' doubles it"),
    ([(4, 12, 6), (4, 6), (4, 6)], "forward h, c, backward h, c"),
    ([(4, 12, 6)] * 2 + [(4, 6)] * 4, "merge_mode=None would return two outputs"),
    ([(4, 12, 6)] + [(4, 12)] * 4, "(batch, units) = (4, 6)"),
    ([(12, 6)] + [(6,)] * 4, "the batch axis stays first"),
    ([(4, 6)] * 5, "keeps the timesteps axis"),
])
def test_bidirectional_shapes_hints(capsys, answer, hint):
    assert not exercises.check_bidirectional_shapes(answer, BI_SHAPES)
    out = said(capsys)
    assert out.startswith("✗ 3.2 not yet: ") and hint in out


@pytest.fixture(scope="module")
def stack():
    """The stack of notebook 03 §3: LSTM(16) -> LSTM(8) -> LSTM(4) on 3 features."""
    import keras

    return keras.Sequential([keras.Input(shape=(5, 3)),
                             keras.layers.LSTM(16, return_sequences=True, name="lstm_1"),
                             keras.layers.LSTM(8, return_sequences=True, name="lstm_2"),
                             keras.layers.LSTM(4, name="lstm_3")])


@pytest.mark.parametrize("answer, hint", [
    (4 * 8 * (3 + 8 + 1), "not the input's 3"), (8 * (16 + 8 + 1), "four blocks"),
    (4 * 8 * (16 + 8), "units biases too"), (4 * 8 * (16 + 1), "recurrent kernel"),
    (4 * 16 * (3 + 16 + 1), "that is lstm_1's count"),
    (801, "is not it"), ("many", "give one integer")])
def test_stacked_params_hints(capsys, stack, answer, hint):
    assert not exercises.check_stacked_params(answer, stack)
    out = said(capsys)
    assert out.startswith("✗ 3.3 not yet: ") and hint in out


_BI_RNG = np.random.default_rng(3)
BI_OUTPUT = _BI_RNG.normal(size=(2, 5, 8))                  # (batch, timesteps, 2 * units)
H_FORWARD, H_BACKWARD = BI_OUTPUT[:, -1, :4], BI_OUTPUT[:, 0, 4:]


@pytest.mark.parametrize("fn, hint", [
    (lambda out, u: out[:, -1, u:], "it reads from the end"),
    (lambda out, u: out[:, -1, :u], "that is the forward layer's final h"),
    (lambda out, u: out[:, 0, :u], "the backward half comes second"),
    (lambda out, u: out[:, 0], "that is both halves"),
    (lambda out, u: out[:, 1, u:], "which timestep and which half"),
    (lambda out, u: out[0, 0], "expected the backward h, shape (2, 4)"),
])
def test_backward_final_h_hints(capsys, fn, hint):
    assert not exercises.check_backward_final_h(fn, BI_OUTPUT, H_FORWARD, H_BACKWARD, 4)
    out = said(capsys)
    assert out.startswith("✗ 3.4 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [(50, "differs from one date to the next"),
                                          (0, "too few"), ("one", "give one integer")])
def test_zero_state_translations_hints(capsys, answer, hint):
    assert not exercises.check_zero_state_translations(answer, ["1970-01-01"] * 50)
    out = said(capsys)
    assert out.startswith("✗ 3.5 not yet: ") and hint in out


def test_the_notebook_03_solutions_are_right_and_the_placeholders_not_attempted(capsys, stack):
    right = [exercises.check_gru_state_shapes(GRU_SHAPES, GRU_SHAPES),
             exercises.check_bidirectional_shapes(BI_SHAPES, BI_SHAPES),
             exercises.check_stacked_params(800, stack),
             exercises.check_backward_final_h(lambda out, u: out[:, 0, u:], BI_OUTPUT,
                                              H_FORWARD, H_BACKWARD, 4),
             exercises.check_zero_state_translations(1, ["1970-01-01"] * 50)]
    assert [bool(v) for v in right] == [True] * 5
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 3.{k} right" for k in
                                                                range(1, 6)]
    placeholders = [exercises.check_gru_state_shapes(None, GRU_SHAPES),
                    exercises.check_bidirectional_shapes(None, BI_SHAPES),
                    exercises.check_stacked_params(None, stack),
                    exercises.check_backward_final_h(placeholder, BI_OUTPUT, H_FORWARD,
                                                     H_BACKWARD, 4),
                    exercises.check_zero_state_translations(None, ["1970-01-01"] * 50)]
    assert [bool(v) for v in placeholders] == [False] * 5
    assert all(line.startswith(f"· 3.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 04
def stream_rows_solution(sequence, batch_size, timesteps):
    stream_length = (len(sequence) - 1) // batch_size
    chunks = stream_length // timesteps
    streams = np.asarray(sequence)[:batch_size * stream_length].reshape(batch_size, -1)
    return (streams[:, :chunks * timesteps].reshape(batch_size, chunks, timesteps)
            .swapaxes(0, 1).reshape(-1, timesteps))


def layout_shuffle_solution(n_sequences, batch_size, chunks, rng):
    sequence = rng.permutation(n_sequences).reshape(-1, 1, batch_size)   # (group, 1, row)
    chunk = np.arange(chunks).reshape(1, -1, 1)                          # (1, chunk, 1)
    return (sequence // batch_size * chunks * batch_size + chunk * batch_size
            + sequence % batch_size).reshape(-1)


@pytest.mark.parametrize("fn, hint", [
    (lambda s, b, t: np.asarray(s)[:(len(s) - 1) // b // t * t * b].reshape(-1, t),
     "cut the sequence into batch_size streams first"),
    (lambda s, b, t: stream_rows_solution(s, b, t).reshape(-1, b, t).swapaxes(0, 1)
     .reshape(-1, t), "swap the stream and chunk axes"),
    (lambda s, b, t: stream_rows_solution(np.append(s, 0), b, t),
     "the last element of the sequence is only a target"),
    (lambda s, b, t: stream_rows_solution(s, b, t)[:, ::-1], "the rows are not"),
    (lambda s, b, t: stream_rows_solution(s, b, t)[:-1], "the rows are"),
])
def test_stream_rows_hints(capsys, fn, hint):
    assert not exercises.check_stream_rows(fn)
    out = said(capsys)
    assert out.startswith("✗ 4.2 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [([0, 1, 2], "starts from h = c = 0"),
                                          ([0], "not what was already computed"),
                                          ("first", "give a list of chunk numbers")])
def test_reset_chunks_hints(capsys, answer, hint):
    assert not exercises.check_reset_chunks(answer, [0, 1])
    out = said(capsys)
    assert out.startswith("✗ 4.3 not yet: ") and hint in out


def _whole_batches_shuffled(n, b, chunks, rng):
    return (rng.permutation(n * chunks // b)[:, None] * b + np.arange(b)).reshape(-1)


def _rows_within_batches_shuffled(n, b, chunks, rng):   # each batch's rows its own way
    return np.concatenate([k * b + rng.permutation(b) for k in range(n * chunks // b)])


@pytest.mark.parametrize("fn, hint", [
    (lambda n, b, c, rng: rng.permutation(n * c), "a chunk landed in the wrong batch"),
    (_whole_batches_shuffled, "a chunk landed in the wrong batch"),
    (_rows_within_batches_shuffled, "row i of a batch no longer continues row i"),
    (lambda n, b, c, rng: np.arange(n * c), "nothing moved"),
    (lambda n, b, c, rng: np.zeros(n * c, int), "a permutation of range("),
])
def test_layout_shuffle_hints(capsys, fn, hint):
    assert not exercises.check_layout_shuffle(fn)
    out = said(capsys)
    assert out.startswith("✗ 4.4 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [([5, 6, 8, 10], "a last batch of 6"),
                                          ([5, 6], "[10] work too"), ("5", "[6, 10] work too"),
                                          ([3, 5, 6, 10], "choose among the batch sizes"),
                                          ("all", "give a list of batch sizes")])
def test_stateful_batch_sizes_hints(capsys, answer, hint):
    assert not exercises.check_stateful_batch_sizes(answer, {5, 6, 10}, 30)
    out = said(capsys)
    assert out.startswith("✗ 4.5 not yet: ") and hint in out


def test_stateful_copy_hints_and_solution(capsys):
    """Exercise 4.1 runs the learner's model: a small Keras check, each hint's mistake built."""
    import keras

    keras.utils.set_random_seed(0)
    stateless = keras.Sequential([keras.Input(shape=(6, 2)), keras.layers.LSTM(3)])
    samples = np.random.default_rng(0).normal(size=(4, 6, 2)).astype("float32")

    def copy(stateful=True, batch=True, weights=True):
        def stateful_copy(model, batch_size):
            shape = dict(batch_size=batch_size) if batch else {}
            new = keras.Sequential([keras.Input(shape=(6, 2), **shape),
                                    keras.layers.LSTM(3, stateful=stateful)])
            if weights:
                new.set_weights(model.get_weights())
            return new
        return stateful_copy

    def with_sequences(model, batch_size):
        new = keras.Sequential([keras.Input(shape=(6, 2), batch_size=batch_size),
                                keras.layers.LSTM(3, stateful=True, return_sequences=True)])
        new.set_weights(model.get_weights())
        return new

    cases = [(copy(stateful=False), "stateful=True belongs to the LSTM layer"),
             (with_sequences, "add only stateful=True and the batch size"),
             (copy(batch=False), "keras.Input(shape=..., batch_size=batch_size)"),
             (copy(weights=False), "copy the weights"),
             (lambda model, batch_size: copy()(model, 4), "built for another batch size"),
             (lambda model, batch_size: None, "returned None")]
    for fn, hint in cases:
        assert not exercises.check_stateful_copy(fn, stateless, samples)
        out = said(capsys)
        assert out.startswith("✗ 4.1 not yet: ") and hint in out, out
    assert exercises.check_stateful_copy(copy(), stateless, samples)
    assert not exercises.check_stateful_copy(placeholder, stateless, samples)
    assert said(capsys).splitlines()[1].startswith("· 4.1 not attempted yet: ")


def test_the_notebook_04_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_stream_rows(stream_rows_solution),
             exercises.check_reset_chunks([0, 1], [0, 1]),
             exercises.check_layout_shuffle(layout_shuffle_solution),
             exercises.check_stateful_batch_sizes([10, 5, 6], {5, 6, 10}, 30)]
    assert [bool(v) for v in right] == [True] * 4
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 4.{k} right" for k in
                                                                range(2, 6)]
    placeholders = [exercises.check_stream_rows(placeholder),
                    exercises.check_reset_chunks(None, [0, 1]),
                    exercises.check_layout_shuffle(placeholder),
                    exercises.check_stateful_batch_sizes(None, {5, 6, 10}, 30)]
    assert [bool(v) for v in placeholders] == [False] * 4
    assert all(line.startswith(f"· 4.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 2))


# ----------------------------------------------------------------------------- notebook 05
def next_char_windows_solution(ids, timesteps):
    n = len(ids) // (timesteps + 1)
    w = np.asarray(ids)[:n * (timesteps + 1)].reshape(n, timesteps + 1)
    return w[:, :-1], w[:, 1:]


@pytest.mark.parametrize("fn, hint", [
    (lambda ids, t: (next_char_windows_solution(ids, t)[0],) * 2, "y equals x"),
    (lambda ids, t: next_char_windows_solution(ids, t)[::-1], "x and y are swapped"),
    (lambda ids, t: (np.asarray(ids)[:len(ids) // t * t].reshape(-1, t),
                     np.asarray(ids)[1:len(ids) // t * t + 1].reshape(-1, t)),
     "cut at multiples of timesteps + 1"),
    (lambda ids, t: (np.lib.stride_tricks.sliding_window_view(ids, t)[:-1],
                     np.lib.stride_tricks.sliding_window_view(ids, t)[1:]),
     "these windows overlap"),
    (lambda ids, t: next_char_windows_solution(ids, t)[0], "return two arrays"),
    (lambda ids, t: (np.zeros((1, t)), np.ones((1, t))), "expected x and y of shape"),
])
def test_next_char_windows_hints(capsys, fn, hint):
    assert not exercises.check_next_char_windows(fn)
    out = said(capsys)
    assert out.startswith("✗ 5.1 not yet: ") and hint in out


@pytest.mark.parametrize("fn, hint", [
    (lambda p: (np.log2(p), np.log(p)), "the two are swapped"),
    (lambda p: (np.exp(p), 2 ** p), "undo the exponential with a log"),
    (lambda p: (np.log10(p), np.log2(p)), "log10 counts in decimal digits"),
    (lambda p: (np.log(p), np.log(p) * np.log(2)), "the nats are right"),
    (lambda p: np.log(p), "return two numbers"),
    (lambda p: (1.0, 2.0), "expected ("),
])
def test_from_perplexity_hints(capsys, fn, hint):
    assert not exercises.check_from_perplexity(fn)
    out = said(capsys)
    assert out.startswith("✗ 5.2 not yet: ") and hint in out


_TEXT_RNG = np.random.default_rng(5)
TRAIN_IDS, VAL_IDS = _TEXT_RNG.integers(0, 6, 400), _TEXT_RNG.integers(0, 6, 100)


def bigram_solution(train_ids, val_ids, vocab_size, alpha, transpose=False, log=np.log):
    pairs = np.zeros((vocab_size, vocab_size))
    np.add.at(pairs, (train_ids[:-1], train_ids[1:]), 1)
    counts = (pairs.T if transpose else pairs) + alpha
    p = counts / counts.sum(axis=1, keepdims=True)
    return -log(p[val_ids[:-1], val_ids[1:]]).mean()


LESSON_BIGRAM = bigram_solution(TRAIN_IDS, VAL_IDS, 6, 1.0)


@pytest.mark.parametrize("fn, hint", [
    (lambda t, v, n, a: bigram_solution(t, v, n, a, log=np.log2), "that is bits"),
    (lambda t, v, n, a: bigram_solution(t, v, n, a, transpose=True), "along axis 1"),
    (lambda t, v, n, a: bigram_solution(t, v, n, a) * (len(v) - 1), "that is the sum"),
    (lambda t, v, n, a: bigram_solution(t, v, n, 1.0), "add alpha to the counts, not 1"),
    (lambda t, v, n, a: bigram_solution(t, v, n, a) + 0.1, "expected a different value"),
    (lambda t, v, n, a: [1, 2], "return one number"),
])
def test_add_alpha_bigram_hints(capsys, fn, hint):
    assert not exercises.check_add_alpha_bigram(fn, TRAIN_IDS, VAL_IDS, 6, LESSON_BIGRAM)
    out = said(capsys)
    assert out.startswith("✗ 5.3 not yet: ") and hint in out


LOW_T, HIGH_T = 0.02, np.log(65) - 0.001          # entropies measured at T = 0.01 and T = 1e4


@pytest.mark.parametrize("answer, hint", [
    ((np.log(65), 0.0), "the two are swapped"), ((0.0, np.log2(65)), "that is bits"),
    ((0.0, 65), "ln(V) nats"), ((1.0, np.log(65)), "softmax becomes one-hot"),
    ((0.0, 2.0), "softmax of equal logits is uniform"), ("low", "give two numbers")])
def test_temperature_limits_hints(capsys, answer, hint):
    assert not exercises.check_temperature_limits(answer, LOW_T, HIGH_T, 65)
    out = said(capsys)
    assert out.startswith("✗ 5.4 not yet: ") and hint in out


def test_the_notebook_05_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_next_char_windows(next_char_windows_solution),
             exercises.check_from_perplexity(lambda p: (np.log(p), np.log2(p))),
             exercises.check_add_alpha_bigram(bigram_solution, TRAIN_IDS, VAL_IDS, 6,
                                              LESSON_BIGRAM),
             exercises.check_temperature_limits((0, np.log(65)), LOW_T, HIGH_T, 65)]
    assert [bool(v) for v in right] == [True] * 4
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 5.{k} right" for k in
                                                                range(1, 5)]
    placeholders = [exercises.check_next_char_windows(placeholder),
                    exercises.check_from_perplexity(placeholder),
                    exercises.check_add_alpha_bigram(placeholder, TRAIN_IDS, VAL_IDS, 6,
                                                     LESSON_BIGRAM),
                    exercises.check_temperature_limits(None, LOW_T, HIGH_T, 65)]
    assert [bool(v) for v in placeholders] == [False] * 4
    assert all(line.startswith(f"· 5.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 06
_EMB_RNG = np.random.default_rng(6)
TABLE = _EMB_RNG.normal(size=(30, 4)).astype("float32")
PHRASE = np.array([[6, 24, 1, 5, 18, 6, 24, 2, 13, 17, 4, 0, 3]])


def embed_solution(ids, table):
    return np.eye(len(table), dtype="float32")[ids] @ table


@pytest.mark.parametrize("fn, hint", [
    (lambda ids, t: np.eye(np.max(ids) + 1)[ids] @ t, "ids.max() + 1 is narrower"),
    (lambda ids, t: embed_solution(ids, t).reshape(-1, t.shape[1]), "keep the shape of ids"),
    (lambda ids, t: embed_solution(ids, t)[..., :2], "expected shape"),
    (lambda ids, t: 1.0, "one number"),
])
def test_embedding_as_product_hints(capsys, fn, hint):
    assert not exercises.check_embedding_as_product(fn, TABLE, TABLE[PHRASE], PHRASE)
    out = said(capsys)
    assert out.startswith("✗ 6.1 not yet: ") and hint in out


def params_of(d, vocab_size=1001, units=64):     # what Keras counts (the notebook asks Keras)
    lstm_rest = 4 * units * (units + 1)
    return vocab_size * d + 4 * units * d + lstm_rest, 4 * units * vocab_size + lstm_rest


@pytest.mark.parametrize("answer, hint", [(256, "add the table's"), (204, "not fewer"),
                                          (60, "one block per gate"),
                                          (150, "go higher"), (0, "at least one"),
                                          ("many", "give one integer")])
def test_embedding_break_even_hints(capsys, answer, hint):
    assert not exercises.check_embedding_break_even(answer, params_of, 1001, 64)
    out = said(capsys)
    assert out.startswith("✗ 6.2 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [(13, "count the distinct ids"), (10, "looks up row 0"),
                                          (1001, "SGD leaves it"), (3, "the rows the batch")])
def test_rows_changed_hints(capsys, answer, hint):
    assert not exercises.check_rows_changed(answer, 11, 13, 1001)
    out = said(capsys)
    assert out.startswith("✗ 6.3 not yet: ") and hint in out


@pytest.mark.parametrize("answer, truth, hint", [("b", 13, "fewer"), ("c", 13, "fewer"),
                                                 ("a", 300, "more than that"),
                                                 (13, 13, 'answer "a", "b" or "c"')])
def test_top1_vocabulary_hints(capsys, answer, truth, hint):
    assert not exercises.check_top1_vocabulary(answer, truth, 1001)
    out = said(capsys)
    assert out.startswith("✗ 6.4 not yet: ") and hint in out


def cosine_neighbours_solution(query, table, k):
    unit = table / np.linalg.norm(table, axis=1, keepdims=True)
    return np.argsort(-(unit @ (query / np.linalg.norm(query))))[:k]


WORDS = _EMB_RNG.normal(size=(200, 8)) * _EMB_RNG.uniform(0.1, 10, (200, 1))   # lengths vary


@pytest.mark.parametrize("fn, hint", [
    (lambda q, t, k: np.argsort(-(t @ q))[:k], "largest dot products"),
    (lambda q, t, k: cosine_neighbours_solution(q, t, k)[::-1], "LARGEST cosine"),
    (lambda q, t, k: cosine_neighbours_solution(q, t, k + 1)[1:], "expected ids"),
])
def test_cosine_neighbours_hints(capsys, fn, hint):
    assert not exercises.check_cosine_neighbours(fn, WORDS)
    out = said(capsys)
    assert out.startswith("✗ 6.5 not yet: ") and hint in out


def test_the_notebook_06_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_embedding_as_product(embed_solution, TABLE, TABLE[PHRASE], PHRASE),
             exercises.check_embedding_break_even(203, params_of, 1001, 64),
             exercises.check_rows_changed(11, 11, 13, 1001),
             exercises.check_top1_vocabulary("a", 13, 1001),
             exercises.check_cosine_neighbours(cosine_neighbours_solution, WORDS)]
    assert [bool(v) for v in right] == [True] * 5
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 6.{k} right" for k in
                                                                range(1, 6)]
    placeholders = [exercises.check_embedding_as_product(placeholder, TABLE, TABLE[PHRASE],
                                                         PHRASE),
                    exercises.check_embedding_break_even(None, params_of, 1001, 64),
                    exercises.check_rows_changed(None, 11, 13, 1001),
                    exercises.check_top1_vocabulary(None, 13, 1001),
                    exercises.check_cosine_neighbours(placeholder, WORDS)]
    assert [bool(v) for v in placeholders] == [False] * 5
    assert all(line.startswith(f"· 6.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 07
def one_unit(w, x):
    h, states = 0.0, []
    for x_t in x:
        h = np.tanh(w * h + x_t)
        states.append(h)
    return np.array(states)


_X07 = np.random.default_rng(7).uniform(-1, 1, 20)
SCALAR_CASES = [(w, one_unit(w, _X07), float(np.prod(w * (1 - one_unit(w, _X07) ** 2))))
                for w in (0.5, 0.9, 1.5)]


def previous_slope(w, h):
    return np.prod(w * (1 - np.concatenate([[0.0], h[:-1]]) ** 2))


@pytest.mark.parametrize("fn, hint", [
    (lambda w, h: w ** len(h), "each step also multiplies by tanh's slope"),
    (lambda w, h: np.prod(w * (1 - np.tanh(h) ** 2)), "do not apply tanh to h again"),
    (previous_slope, "not 1 - h_{k-1}**2"),
    (lambda w, h: np.prod(w * (1 - h)), "not 1 - h"),
    (lambda w, h: np.prod(w * (1 - h[1:] ** 2)), "T factors"),
    (lambda w, h: np.log(np.abs(w * (1 - h ** 2))).sum(), "the log of the product"),
    (lambda w, h: 2.0, "multiply w * (1 - h_k**2)"),
    (lambda w, h: "big", "return one number"),
])
def test_scalar_bptt_hints(capsys, fn, hint):
    assert not exercises.check_scalar_bptt(fn, SCALAR_CASES)
    out = said(capsys)
    assert out.startswith("✗ 7.1 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [("grow", "a larger |h| means a smaller slope"),
                                          ("same", "the kernel is not the only factor"),
                                          ("bigger", 'answer "grow", "shrink" or "same"')])
def test_input_scale_hints(capsys, answer, hint):
    assert not exercises.check_input_scale(answer, 5e6, 3e3)
    out = said(capsys)
    assert out.startswith("✗ 7.2 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [((0.002, 0.0), "so f = 0.1 ** (1 / 50)"),
                                          ((0.9, 2.2), "solve f**50 = 0.1"),
                                          ((0.955, 0.955), "the sigmoid's inverse of it"),
                                          ((0.955, np.log(0.955)), "that is ln f"),
                                          ((0.955, 1.0), "f is right"),
                                          ("keep", "give two numbers")])
def test_forget_for_memory_hints(capsys, answer, hint):
    assert not exercises.check_forget_for_memory(answer)
    out = said(capsys)
    assert out.startswith("✗ 7.3 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [(1 / 12, "ONE uniform"), (1 / 3, "E[U**2]"),
                                          (np.sqrt(1 / 6), "standard deviation"),
                                          (0.5, "the target's variance"), ("x", "one number")])
def test_mean_guess_mse_hints(capsys, answer, hint):
    assert not exercises.check_mean_guess_mse(answer, 1 / 6)
    out = said(capsys)
    assert out.startswith("✗ 7.4 not yet: ") and hint in out


def global_clip_solution(gradients, max_norm):
    norm = np.sqrt(sum(np.sum(g ** 2) for g in gradients))
    return [g * min(1.0, max_norm / norm) for g in gradients]


@pytest.mark.parametrize("fn, hint", [
    (lambda gs, m: [np.clip(g, -m, m) for g in gs], "clipvalue"),
    (lambda gs, m: [g * min(1.0, m / np.linalg.norm(g)) for g in gs], "that is clipnorm"),
    (lambda gs, m: [g * m / np.sqrt(sum(np.sum(x ** 2) for x in gs)) for g in gs],
     "stays as it is"),
    (lambda gs, m: [g * min(1.0, m / sum(np.sum(x ** 2) for x in gs)) for g in gs],
     "SQUARE ROOT"),
    (lambda gs, m: gs[:1], "one array per gradient"),
    (lambda gs, m: [g * 0.5 for g in gs], "should be multiplied by"),
])
def test_global_clip_hints(capsys, fn, hint):
    assert not exercises.check_global_clip(fn)
    out = said(capsys)
    assert out.startswith("✗ 7.5 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [("b", "partly cancel"), ("c", "does not depend"),
                                          ("ensemble", 'answer "a", "b" or "c"')])
def test_ensemble_or_mean_hints(capsys, answer, hint):
    assert not exercises.check_ensemble_or_mean(answer, 0.02, 0.03)
    out = said(capsys)
    assert out.startswith("✗ 7.6 not yet: ") and hint in out


def test_ensemble_or_mean_refuses_the_two_numbers_swapped():
    with pytest.raises(ValueError, match="averaged predictions first"):
        exercises.check_ensemble_or_mean("a", 0.03, 0.02)


def test_the_notebook_07_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_scalar_bptt(lambda w, h: np.prod(w * (1 - h ** 2)), SCALAR_CASES),
             exercises.check_input_scale("shrink", 5e6, 3e3),
             exercises.check_forget_for_memory((0.1 ** (1 / 50), 3.05)),
             exercises.check_mean_guess_mse(1 / 6, 1 / 6),
             exercises.check_global_clip(global_clip_solution),
             exercises.check_ensemble_or_mean("a", 0.02, 0.03)]
    assert [bool(v) for v in right] == [True] * 6
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 7.{k} right" for k in
                                                                range(1, 7)]
    placeholders = [exercises.check_scalar_bptt(placeholder, SCALAR_CASES),
                    exercises.check_input_scale(None, 5e6, 3e3),
                    exercises.check_forget_for_memory(None),
                    exercises.check_mean_guess_mse(None, 1 / 6),
                    exercises.check_global_clip(placeholder),
                    exercises.check_ensemble_or_mean(None, 0.02, 0.03)]
    assert [bool(v) for v in placeholders] == [False] * 6
    assert all(line.startswith(f"· 7.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 08
def pad_and_mask_solution(sequences):
    lengths = np.array([len(s) for s in sequences])
    batch = np.zeros((len(sequences), lengths.max(), sequences[0].shape[1]), "float32")
    for row, s in zip(batch, sequences, strict=True):
        row[:len(s)] = s
    return batch, np.arange(lengths.max()) < lengths[:, np.newaxis]


def pre_padded(sequences):
    batch, mask = pad_and_mask_solution([s[::-1] for s in sequences])
    return batch[:, ::-1], mask[:, ::-1]


def int_padded(sequences):
    import keras

    return keras.utils.pad_sequences(sequences, padding="post"), pad_and_mask_solution(
        sequences)[1]


@pytest.mark.parametrize("fn, hint", [
    (int_padded, 'dtype="float32"'),
    (pre_padded, "padding at the front"),
    (lambda s: (pad_and_mask_solution(s)[0], ~pad_and_mask_solution(s)[1]), "inverted"),
    (lambda s: (pad_and_mask_solution(s)[0], pad_and_mask_solution(s)[1][..., None]),
     "no features axis"),
    (lambda s: (np.zeros((len(s), 10, 3)), None), "pad every sequence to the longest"),
    (lambda s: pad_and_mask_solution(s)[0], "return two arrays"),
])
def test_pad_and_mask_hints(capsys, fn, hint):
    assert not exercises.check_pad_and_mask(fn)
    out = said(capsys)
    assert out.startswith("✗ 8.1 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [("pre", "leading zeros change nothing"),
                                          ("both", "leading zeros change nothing"),
                                          ("neither", "each one rewrites h and c"),
                                          ("front", 'answer "post", "pre"')])
def test_unmasked_padding_hints(capsys, answer, hint):
    assert not exercises.check_unmasked_padding(answer, {"post": True, "pre": False})
    out = said(capsys)
    assert out.startswith("✗ 8.2 not yet: ") and hint in out


_P08 = np.random.default_rng(8).normal(size=(3, 5))
_T08 = np.where(np.arange(5) < np.array([[5], [3], [2]]), 0.0, 100.0)
_M08 = np.arange(5) < np.array([[5], [3], [2]])
KERAS_LOSS = float(np.mean(((_P08 - _T08) ** 2)[_M08]))


@pytest.mark.parametrize("fn, hint", [
    (lambda p, t, m: np.mean((p - t) ** 2), "the padding too"),
    (lambda p, t, m: np.mean((p - t) ** 2 * m), "divides by every timestep"),
    (lambda p, t, m: np.sum(((p - t) ** 2)[m]), "that is the sum"),
    (lambda p, t, m: np.mean(((p - t) ** 2)[~m]), "True at REAL frames"),
    (lambda p, t, m: 0.5, "expected"),
])
def test_masked_mse_hints(capsys, fn, hint):
    assert not exercises.check_masked_mse(fn, _P08, _T08, _M08, KERAS_LOSS)
    out = said(capsys)
    assert out.startswith("✗ 8.3 not yet: ") and hint in out


CUDNN = [True, True, False, False, False, False, False, False, True, False]


@pytest.mark.parametrize("answer, hint", [([1, 2, 3, 9], "recurrent_dropout drops entries"),
                                          ([1, 9], "dropout on the inputs"),
                                          ([1, 2, 9, 10], "reset_after=True"),
                                          ([1, 2], "1 missing"), ("all", "a list of numbers")])
def test_cudnn_configurations_hints(capsys, answer, hint):
    assert not exercises.check_cudnn_configurations(answer, CUDNN)
    out = said(capsys)
    assert out.startswith("✗ 8.4 not yet: ") and hint in out


TWO_WAY = 2 * 4 * 44 * (12 + 44 + 1) + 88 * 9 + 9


class Counted:                        # stands in for the Keras model the notebook builds
    def count_params(self):
        return TWO_WAY


@pytest.mark.parametrize("answer, hint", [(4 * 44 * 57 + 44 * 9 + 9, "one per direction"),
                                          (2 * 4 * 44 * 57 + 44 * 9 + 9, "concatenated"),
                                          (2 * 4 * 44 * 56 + 88 * 9 + 9, "also has a bias"),
                                          (1000, "per direction"), ("many", "one integer")])
def test_bidirectional_weights_hints(capsys, answer, hint):
    assert not exercises.check_bidirectional_weights(answer, Counted, 12, 44, 9)
    out = said(capsys)
    assert out.startswith("✗ 8.5 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [("a", "learn each training speech by heart"),
                                          ("c", "scores higher on what it was trained on"),
                                          ("memorised", 'answer "a", "b" or "c"')])
def test_text_memorised_hints(capsys, answer, hint):
    assert not exercises.check_text_memorised(answer, 0.965, 0.396)
    out = said(capsys)
    assert out.startswith("✗ 8.6 not yet: ") and hint in out


def test_the_notebook_08_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_pad_and_mask(pad_and_mask_solution),
             exercises.check_unmasked_padding("post", {"post": True, "pre": False}),
             exercises.check_masked_mse(lambda p, t, m: np.mean(((p - t) ** 2)[m]), _P08, _T08,
                                        _M08, KERAS_LOSS),
             exercises.check_cudnn_configurations([1, 2, 9], CUDNN),
             exercises.check_bidirectional_weights(TWO_WAY, Counted, 12, 44, 9),
             exercises.check_text_memorised("b", 0.965, 0.396)]
    assert [bool(v) for v in right] == [True] * 6
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 8.{k} right" for k in
                                                                range(1, 7)]
    placeholders = [exercises.check_pad_and_mask(placeholder),
                    exercises.check_unmasked_padding(None, {"post": True, "pre": False}),
                    exercises.check_masked_mse(placeholder, _P08, _T08, _M08, KERAS_LOSS),
                    exercises.check_cudnn_configurations(None, CUDNN),
                    exercises.check_bidirectional_weights(None, Counted, 12, 44, 9),
                    exercises.check_text_memorised(None, 0.965, 0.396)]
    assert [bool(v) for v in placeholders] == [False] * 6
    assert all(line.startswith(f"· 8.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 09
_SERIES = np.cumsum(np.random.default_rng(9).normal(size=60)) + 10
_DAYS = np.arange(20, 50)


@pytest.mark.parametrize("fn, hint", [
    (lambda v, d: np.mean(np.abs(v[d] - v[d])), "compares each day with itself"),
    (lambda v, d: np.mean(np.abs(v[d - 2] - v[d])), "two days back"),
    (lambda v, d: np.mean(v[d - 1] - v[d]), "take the absolute value"),
    (lambda v, d: np.mean((v[d - 1] - v[d]) ** 2), "mean SQUARED error"),
    (lambda v, d: np.sum(np.abs(v[d - 1] - v[d])), "that is the sum"),
    (lambda v, d: 1.0, "expected"),
    (lambda v, d: [1, 2], "return one number"),
])
def test_persistence_mae_hints(capsys, fn, hint):
    assert not exercises.check_persistence_mae(fn, _SERIES, _DAYS)
    out = said(capsys)
    assert out.startswith("✗ 9.1 not yet: ") and hint in out


@pytest.mark.parametrize("check, args, answer, exercise, hint", [
    (exercises.check_overlay_skill, (0.07,), "a", "9.2", "persistence overlays the truth"),
    (exercises.check_overlay_skill, (0.07,), "c", "9.2", "its skill is positive"),
    (exercises.check_overlay_skill, (0.07,), "d", "9.2", 'answer "a", "b" or "c"'),
    (exercises.check_too_good, ({"average": 0.7, "shuffle": 0.05, "scaler": 0.0},), "shuffle",
     "9.3", "no trend to leak"),
    (exercises.check_too_good, ({"average": 0.7, "shuffle": 0.05, "scaler": 0.0},), "scaler",
     "9.3", "four years of weather"),
    (exercises.check_period_or_model, ([0.86, 0.87, 0.71], {"p": 2.26, "r": 2.21, "l": 2.11}),
     "model", "9.4", "one season to the next"),
    (exercises.check_interval_width, (4.45, 2.1), "a", "9.6", "well past the typical one"),
    (exercises.check_interval_width, (4.45, 2.1), "c", "9.6", "1.64 standard deviations"),
    (exercises.check_day_one, (2.49, 2.23), "direct", "9.5", "only thing it was trained"),
    (exercises.check_day_one, (2.49, 2.23), "both", "9.5", 'answer "direct"'),
])
def test_notebook_09_choice_hints(capsys, check, args, answer, exercise, hint):
    assert not check(answer, *args)
    out = said(capsys)
    assert out.startswith(f"✗ {exercise} not yet: ") and hint in out


def test_the_notebook_09_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    drops = {"average": 0.7, "shuffle": 0.05, "scaler": 0.0}
    spreads, means = [0.86, 0.87, 0.71], {"p": 2.26, "r": 2.21, "l": 2.11}
    right = [exercises.check_persistence_mae(
                 lambda v, d: np.mean(np.abs(v[d - 1] - v[d])), _SERIES, _DAYS),
             exercises.check_overlay_skill("b", 0.07),
             exercises.check_too_good("average", drops),
             exercises.check_period_or_model("period", spreads, means),
             exercises.check_day_one("autoregressive", 2.49, 2.23),
             exercises.check_interval_width("b", 4.45, 2.1)]
    assert [bool(v) for v in right] == [True] * 6
    assert [line[:11] for line in said(capsys).splitlines()] == [f"✓ 9.{k} right" for k in
                                                                range(1, 7)]
    placeholders = [exercises.check_persistence_mae(placeholder, _SERIES, _DAYS),
                    exercises.check_overlay_skill(None, 0.07),
                    exercises.check_too_good(None, drops),
                    exercises.check_period_or_model(None, spreads, means),
                    exercises.check_day_one(None, 2.49, 2.23),
                    exercises.check_interval_width(None, 4.45, 2.1)]
    assert [bool(v) for v in placeholders] == [False] * 6
    assert all(line.startswith(f"· 9.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


def test_a_multiple_choice_answer_that_is_not_a_string_gets_the_choices_not_a_traceback(capsys):
    assert not exercises.check_overlay_skill(["a"], 0.07)
    assert said(capsys) == "✗ 9.2 not yet: answer \"a\", \"b\" or \"c\"; got ['a']"


# ----------------------------------------------------------------------------- notebook 10
_BATCH = np.random.default_rng(3).normal(size=(4, 10, 5)).astype("float32")
_VIEW = _BATCH.reshape(10, 4, 5)                 # what torch's view(10, 4, 5) reads


@pytest.mark.parametrize("answer, hint", [
    ((3, 2), "where transpose would take it from"),
    ((2, 3), "vector k is sequence k // timesteps"),
    ("one", "two whole numbers"),
])
def test_notebook_10_view_hints(capsys, answer, hint):
    assert not exercises.check_view_position(answer, _BATCH, _VIEW, step=2, row=3)
    out = said(capsys)
    assert out.startswith("✗ 10.2 not yet: ") and hint in out


def _bidirectional_output():
    """An output whose backward half at timestep 0 is the backward final state."""
    output = np.random.default_rng(4).normal(size=(4, 10, 6))
    return output, output[:, 0, 3:].copy()


@pytest.mark.parametrize("answer, hint", [
    (9, "where the forward direction ends"), (-1, "where the forward direction ends"),
    (5, "which timestep does the backward direction read last"), (12, "0 to 9"),
])
def test_notebook_10_backward_timestep_hints(capsys, answer, hint):
    output, final = _bidirectional_output()
    assert not exercises.check_backward_timestep(answer, output, final, 3)
    out = said(capsys)
    assert out.startswith("✗ 10.1 not yet: ") and hint in out


def test_notebook_10_backward_timestep_accepts_the_negative_index_of_the_same_step():
    output, final = _bidirectional_output()
    assert exercises.check_backward_timestep(-10, output, final, 3)


def _gru_case():
    """A Keras GRU's weights, torch's GRU running given arrays, and the Keras output."""
    keras = pytest.importorskip("keras")
    torch = pytest.importorskip("torch")
    with exercises.keep_random_state():
        layer = keras.layers.GRU(3, return_sequences=True, bias_initializer="random_normal")
        keras_output = np.asarray(layer(_BATCH))
    module = torch.nn.GRU(5, 3, batch_first=True)

    def run(*arrays):
        with torch.no_grad():
            for parameter, array in zip(module.parameters(), arrays, strict=True):
                parameter.copy_(torch.from_numpy(np.asarray(array, dtype="float32")))
            return module(torch.from_numpy(_BATCH))[0]
    return layer.get_weights(), run, keras_output


def _reorder(array, axis=0):
    z, r, n = np.split(array, 3, axis=axis)
    return np.concatenate([r, z, n], axis=axis)


@pytest.mark.parametrize("port, hint", [
    (lambda k, u, b: (k, u, b[0], b[1]), "transpose the two matrices"),
    (lambda k, u, b: (k.T, u.T, b[0], b[1]), "torch orders the gates r, z, n"),
    (lambda k, u, b: (_reorder(k.T), _reorder(u.T), _reorder(b[1]), _reorder(b[0])),
     "bias[0] is Keras's input bias"),
    (lambda k, u, b: (_reorder(k.T), _reorder(u.T), b[0], b[1]), "the same gate reorder"),
    (lambda k, u, b: (k.T,), "return four arrays"),
])
def test_notebook_10_gru_port_hints(capsys, port, hint):
    weights, run, keras_output = _gru_case()
    assert not exercises.check_gru_to_torch(port, weights, run, keras_output)
    out = said(capsys)
    assert out.startswith("✗ 10.3 not yet: ") and hint in out


def _masked_outputs():
    """Outputs of a masked layer: row 1 has 6 real timesteps, then its last one repeated."""
    outputs = np.random.default_rng(5).normal(size=(3, 10, 3))
    outputs[1, 6:] = outputs[1, 5]
    return outputs


@pytest.mark.parametrize("answer, hint", [
    ("zeros", "pad_packed_sequence"), ("new", "not read at all"), ("last", 'answer "zeros"'),
])
def test_notebook_10_padded_output_hints(capsys, answer, hint):
    assert not exercises.check_padded_output(answer, _masked_outputs(), [10, 6, 3], row=1, step=8)
    out = said(capsys)
    assert out.startswith("✗ 10.4 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    (1, "each bias receives the whole gradient"), (0.5, "each bias receives the whole"),
    (4, "no more"), ("twice", "give one number"),
])
def test_notebook_10_bias_step_hints(capsys, answer, hint):
    assert not exercises.check_bias_step_ratio(answer, 2.0)
    out = said(capsys)
    assert out.startswith("✗ 10.5 not yet: ") and hint in out


def test_the_notebook_10_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    output, final = _bidirectional_output()
    weights, run, keras_output = _gru_case()

    def port(k, u, b):
        return _reorder(k.T), _reorder(u.T), _reorder(b[0]), _reorder(b[1])
    capsys.readouterr()
    right = [exercises.check_backward_timestep(0, output, final, 3),
             exercises.check_view_position((1, 1), _BATCH, _VIEW, step=2, row=3),
             exercises.check_gru_to_torch(port, weights, run, keras_output),
             exercises.check_padded_output("repeat", _masked_outputs(), [10, 6, 3], 1, 8),
             exercises.check_bias_step_ratio(2, 2.0)]
    assert [bool(v) for v in right] == [True] * 5
    assert [line[:12] for line in said(capsys).splitlines()] == [f"✓ 10.{k} right" for k in
                                                                 range(1, 6)]
    placeholders = [exercises.check_backward_timestep(None, output, final, 3),
                    exercises.check_view_position(None, _BATCH, _VIEW, step=2, row=3),
                    exercises.check_gru_to_torch(placeholder, weights, run, keras_output),
                    exercises.check_padded_output(None, _masked_outputs(), [10, 6, 3], 1, 8),
                    exercises.check_bias_step_ratio(None, 2.0)]
    assert [bool(v) for v in placeholders] == [False] * 5
    assert all(line.startswith(f"· 10.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 11
def _units_and_feature():
    """Unit 2 tracks the feature negatively (r near -0.9), unit 0 positively but weaker, and
    unit 1 has the largest covariance with it but little correlation."""
    rng = np.random.default_rng(6)
    feature = rng.normal(size=2000)
    values = np.stack([0.5 * feature + rng.normal(size=2000),
                       40 * rng.normal(size=2000) + 3 * feature,
                       -feature + 0.4 * rng.normal(size=2000)], axis=1)
    return values, feature


def _pearson(values, feature):
    return np.array([np.corrcoef(values[:, k], feature)[0, 1] for k in range(values.shape[1])])


@pytest.mark.parametrize("best_unit, hint", [
    (lambda v, f: (2, abs(_pearson(v, f)[2])), "keep r's sign"),
    (lambda v, f: (int(np.argmax(_pearson(v, f))), float(np.max(_pearson(v, f)))), "compare |r|"),
    (lambda v, f: (1, 0.1), "largest covariance"),
    (lambda v, f: (2, -0.5), "the right unit, but r is"),
    (lambda v, f: 2, "return two numbers"),
])
def test_notebook_11_best_unit_hints(capsys, best_unit, hint):
    values, feature = _units_and_feature()
    assert not exercises.check_best_unit(best_unit, values, feature)
    out = said(capsys)
    assert out.startswith("✗ 11.1 not yet: ") and hint in out


_SATURATION = {"forget f": (np.array([0.05, 0.1]), np.array([0.5, 0.6])),
               "input i": (np.array([0.02, 0.04]), np.array([0.8, 0.9])),
               "output o": (np.array([0.2, 0.3]), np.array([0.4, 0.4]))}


@pytest.mark.parametrize("answer, hint", [
    ("forget", "erase the cell's memory"), ("input", "only stops writing"),
    ("cell", 'answer "forget", "input" or "output"'),
])
def test_notebook_11_most_shut_gate_hints(capsys, answer, hint):
    assert not exercises.check_most_shut_gate(answer, _SATURATION)
    out = said(capsys)
    assert out.startswith("✗ 11.2 not yet: ") and hint in out


_GATE = np.random.default_rng(8).uniform(size=(50, 4))


@pytest.mark.parametrize("fractions, hint", [
    (lambda g, lo, hi: ((g < lo).mean(1), (g > hi).mean(1)), "average over the steps"),
    (lambda g, lo, hi: ((g > hi).mean(0), (g < lo).mean(0)), "swapped"),
    (lambda g, lo, hi: ((g < lo).sum(0), (g > hi).sum(0)), "those are counts"),
    (lambda g, lo, hi: ((g < 0.1).mean(0), (g > 0.9).mean(0)), "use the arguments low"),
    (lambda g, lo, hi: (g.mean(0),), "return two arrays"),
])
def test_notebook_11_saturation_hints(capsys, fractions, hint):
    assert not exercises.check_saturation_fractions(fractions, _GATE)
    out = said(capsys)
    assert out.startswith("✗ 11.3 not yet: ") and hint in out


_BY_CLASS = {"class": ["letter", "digit", "space", "closing bracket", "quote"],
             "LSTM - n-gram": [-0.07, -0.17, -0.09, -1.2, -0.8]}


@pytest.mark.parametrize("answer, hint", [
    ("letter", "predicts letters and spaces well"), ("quote", "close, but another class"),
    ("space", "predicts letters and spaces well"), ("digit", "yet: another class gains more"),
    ("bracket", 'answer "letter"'),
])
def test_notebook_11_most_gained_class_hints(capsys, answer, hint):
    assert not exercises.check_most_gained_class(answer, _BY_CLASS)
    out = said(capsys)
    assert out.startswith("✗ 11.4 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    ("a", "within that window it knows"), ("c", "sees the opening bracket itself"),
])
def test_notebook_11_gain_by_distance_hints(capsys, answer, hint):
    assert not exercises.check_gain_by_distance(answer, -0.1, [-1.7, -1.6, -1.4])
    out = said(capsys)
    assert out.startswith("✗ 11.5 not yet: ") and hint in out


def test_the_notebook_11_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    values, feature = _units_and_feature()

    def best_unit(v, f):
        r = _pearson(v, f)
        return int(np.argmax(np.abs(r))), float(r[np.argmax(np.abs(r))])
    right = [exercises.check_best_unit(best_unit, values, feature),
             exercises.check_most_shut_gate("output", _SATURATION),
             exercises.check_saturation_fractions(
                 lambda g, lo, hi: ((g < lo).mean(0), (g > hi).mean(0)), _GATE),
             exercises.check_most_gained_class("closing bracket", _BY_CLASS),
             exercises.check_gain_by_distance("b", -0.1, [-1.7, -1.6, -1.4])]
    assert [bool(v) for v in right] == [True] * 5
    assert [line[:12] for line in said(capsys).splitlines()] == [f"✓ 11.{k} right" for k in
                                                                 range(1, 6)]
    placeholders = [exercises.check_best_unit(placeholder, values, feature),
                    exercises.check_most_shut_gate(None, _SATURATION),
                    exercises.check_saturation_fractions(placeholder, _GATE),
                    exercises.check_most_gained_class(None, _BY_CLASS),
                    exercises.check_gain_by_distance(None, -0.1, [-1.7, -1.6, -1.4])]
    assert [bool(v) for v in placeholders] == [False] * 5
    assert all(line.startswith(f"· 11.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 12
@pytest.mark.parametrize("answer, hint", [
    (722, "round up"), (576, "leaves out the logits"), (256, "more units"),
    (800, "above the mark"), (0, "at least 1"), ("many", "give one integer"),
])
def test_notebook_12_units_for_share_hints(capsys, answer, hint):
    assert not exercises.check_units_for_share(answer, 64, 65)
    out = said(capsys)
    assert out.startswith("✗ 12.1 not yet: ") and hint in out


def test_notebook_12_units_for_share_is_the_smallest_at_the_mark_for_other_sizes(capsys):
    assert exercises.check_units_for_share(1, 0, 0, share=0.5)      # only h·U: 100 %
    assert exercises.check_units_for_share(136, 32, 8, share=0.8)   # 8u/(272+8u) >= 0.8
    assert not exercises.check_units_for_share(135, 32, 8, share=0.8)
    capsys.readouterr()


@pytest.mark.parametrize("check, args, answer, exercise, hint", [
    (exercises.check_faster_products, (80.0, 200.0), "dependent", "12.3", "each small product"),
    (exercises.check_timedistributed_products, (64, 1, 64), (1, 1), "12.2", "once per timestep"),
    (exercises.check_timedistributed_products, (64, 1, 64), (64, 64), "12.2", "one product"),
    (exercises.check_timedistributed_products, (64, 1, 64), (4096, 1), "12.2", "not per char"),
    (exercises.check_unroll_losses, ([3.7601, 3.7603],), "different", "12.4", "not what each"),
    (exercises.check_batched_generation, (15.2,), "a", "12.5", "almost all overhead"),
])
def test_notebook_12_hints(capsys, check, args, answer, exercise, hint):
    assert not check(answer, *args)
    out = said(capsys)
    assert out.startswith(f"✗ {exercise} not yet: ") and hint in out


def test_the_notebook_12_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_units_for_share(723, 64, 65),
             exercises.check_timedistributed_products((64, 1), 64, 1, 64),
             exercises.check_faster_products("one", 80.0, 200.0),
             exercises.check_unroll_losses("same", [3.7601, 3.7603]),
             exercises.check_batched_generation("b", 15.2)]
    assert [bool(v) for v in right] == [True] * 5
    assert [line[:12] for line in said(capsys).splitlines()] == [f"✓ 12.{k} right" for k in
                                                                 range(1, 6)]
    placeholders = [exercises.check_units_for_share(None, 64, 65),
                    exercises.check_timedistributed_products(None, 64, 1, 64),
                    exercises.check_faster_products(None, 80.0, 200.0),
                    exercises.check_unroll_losses(None, [3.7601, 3.7603]),
                    exercises.check_batched_generation(None, 15.2)]
    assert [bool(v) for v in placeholders] == [False] * 5
    assert all(line.startswith(f"· 12.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 13
def classifier_weights_13(units, layers, features=8, classes=10):
    """Notebook 13's closed form: stacked LSTMs on 8 features, then Dense(10)."""
    return (4 * units * (features + units + 1) + (layers - 1) * 4 * units * (2 * units + 1)
            + classes * (units + 1))


def patches_solution(images, size):
    n, height, width = images.shape
    blocks = images.reshape(n, height // size, size, width // size, size)
    return blocks.transpose(0, 1, 3, 2, 4).reshape(n, -1, size * size)


def test_notebook_13_closed_form_is_keras_count():
    import keras

    for units, layers in [(32, 1), (20, 2), (7, 3)]:
        model = keras.Sequential([keras.Input((8, 8))] + [
            keras.layers.LSTM(units, return_sequences=k < layers - 1) for k in range(layers)]
            + [keras.layers.Dense(10)])
        assert classifier_weights_13(units, layers) == model.count_params()


@pytest.mark.parametrize("fn, hint", [
    (lambda images, size: images.reshape(len(images), -1, size * size), "reshape alone"),
    (lambda images, size: patches_solution(np.swapaxes(images, 1, 2), size).reshape(
        len(images), -1, size, size).swapaxes(2, 3).reshape(len(images), -1, size * size),
     "the patches go down first"),
    (lambda images, size: patches_solution(images, size).reshape(
        len(images), -1, size, size).swapaxes(2, 3).reshape(len(images), -1, size * size),
     "column by column"),
    (lambda images, size: patches_solution(images, size)[:, ::-1], "the top-left square"),
    (lambda images, size: images, "expected shape (2, 6, 16)"),
    (lambda images, size: None, "returned None"),
    (lambda images, size: images.reshape(-1, 7), "raised ValueError"),
])
def test_notebook_13_patches_hints(capsys, fn, hint):
    assert not exercises.check_patches(fn)
    out = said(capsys)
    assert out.startswith("✗ 13.1 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    (64, "about a quarter of the weights"), (91, "its input kernel is as big"),
    (74, "one off"), (76, "one off"), (50, "hold"), (0, "at least 1"),
    ("75", None), ("many", "give one integer"),
])
def test_notebook_13_matched_units_hints(capsys, answer, hint):
    verdict = exercises.check_matched_units(answer, classifier_weights_13, 128)
    out = said(capsys)
    if hint is None:                          # a string of digits is read as the number
        assert verdict and out.startswith("✓ 13.3 right: 75")
    else:
        assert not verdict and out.startswith("✗ 13.3 not yet: ") and hint in out


@pytest.mark.parametrize("answer, hint", [
    (20, "they do not add"), (19, "they do not add"), (58, "short of 95%"),
    (60, "fewer are enough"), (0, "at least 1"), (0.5, "give one integer"),
    (59.9, "give one integer"),               # int() would truncate it to the right 59
])
def test_notebook_13_trials_hints(capsys, answer, hint):
    verdict = exercises.check_trials_for_top(answer, share=0.05, chance=0.95)
    out = said(capsys)
    assert not verdict and out.startswith("✗ 13.5 not yet: ") and hint in out


@pytest.mark.parametrize("check, answer, exercise, hint", [
    (lambda a: exercises.check_attention_weights(a, 6960, 48), 6960.5, "14.3", "one integer"),
    (lambda a: exercises.check_greedy_scores(a, 16), (4096.5, 256), "14.6", "two integers"),
    (lambda a: exercises.check_reset_chunks(a, [0, 1]), [0, 1.5], "4.3", "give"),
])
def test_a_fraction_is_refused_where_an_integer_is_asked_never_truncated(capsys, check, answer,
                                                                       exercise, hint):
    assert not check(answer)
    out = said(capsys)
    assert out.startswith(f"✗ {exercise} not yet: ") and hint in out


def test_whole_floats_numpy_integers_and_digit_strings_still_count_as_integers(capsys):
    assert exercises.check_attention_weights(6960.0, 6960, 48)
    assert exercises.check_attention_weights(np.int64(6960), 6960, 48)
    assert exercises.check_greedy_scores((np.float32(4096), "256"), 16)
    assert exercises.check_reset_chunks(np.array([0, 1]), [0, 1])


def test_notebook_13_verdicts_follow_the_measurements(capsys):
    assert exercises.check_deeper_step_time("one", [3.1, 3.9], [2.2, 2.3])
    assert exercises.check_shuffled_rows("a", 0.94, 0.93)
    assert exercises.check_shuffled_rows("c", 0.94, 0.12)
    assert exercises.check_matched_units(44, classifier_weights_13, 96, layers=3)
    lines = said(capsys).splitlines()
    assert "one layer, on this machine" in lines[0] and "sqrt(5)" in lines[3]


def test_notebook_13_trials_for_other_shares_and_exact_powers(capsys):
    assert exercises.check_trials_for_top(22, share=0.1, chance=0.9)      # 1 - 0.9**22 = 0.902
    assert not exercises.check_trials_for_top(21, share=0.1, chance=0.9)  # 0.891
    assert exercises.check_trials_for_top(2, share=0.5, chance=0.75)      # exactly 0.75
    capsys.readouterr()


@pytest.mark.parametrize("check, args, answer, exercise, hint", [
    (exercises.check_shuffled_rows, (0.94, 0.69), "a", "13.2", "depends on the order"),
    (exercises.check_shuffled_rows, (0.94, 0.69), "c", "13.2", "every pixel is still there"),
    (exercises.check_shuffled_rows, (0.94, 0.69), 2, "13.2", 'answer "a", "b" or "c"'),
    (exercises.check_deeper_step_time, ([2.2, 2.3], [3.1, 3.9]), "one", "13.4", "two loops"),
    (exercises.check_deeper_step_time, ([3.1, 3.9], [2.2, 2.3]), "two", "13.4", "not on this"),
    (exercises.check_shuffled_rows, (0.94, 0.93), "b", "13.2", "compare the two accuracies"),
])
def test_notebook_13_hints(capsys, check, args, answer, exercise, hint):
    assert not check(answer, *args)
    out = said(capsys)
    assert out.startswith(f"✗ {exercise} not yet: ") and hint in out


def test_the_notebook_13_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    right = [exercises.check_patches(patches_solution),
             exercises.check_shuffled_rows("b", 0.94, 0.69),
             exercises.check_matched_units(75, classifier_weights_13, 128),
             exercises.check_deeper_step_time("two", [2.2, 2.3], [3.1, 3.9]),
             exercises.check_trials_for_top(59, share=0.05, chance=0.95)]
    assert [bool(v) for v in right] == [True] * 5
    assert [line[:12] for line in said(capsys).splitlines()] == [f"✓ 13.{k} right" for k in
                                                                 range(1, 6)]
    placeholders = [exercises.check_patches(placeholder),
                    exercises.check_shuffled_rows(None, 0.94, 0.69),
                    exercises.check_matched_units(None, classifier_weights_13, 128),
                    exercises.check_deeper_step_time(None, [2.2], [3.1]),
                    exercises.check_trials_for_top(None, share=0.05, chance=0.95)]
    assert [bool(v) for v in placeholders] == [False] * 5
    assert all(line.startswith(f"· 13.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))


# ----------------------------------------------------------------------------- notebook 14
def alignment_solution(weights, lengths):
    steps = np.arange(weights.shape[1])
    real = steps < lengths[:, None]
    return float(np.mean((weights.argmax(-1) == lengths[:, None] - 1 - steps)[real]))


def _alignment_counting_padding(weights, lengths):
    steps = np.arange(weights.shape[1])
    return float(np.mean(weights.argmax(-1) == lengths[:, None] - 1 - steps))


def _alignment_on_the_diagonal(weights, lengths):
    steps = np.arange(weights.shape[1])
    real = steps < lengths[:, None]
    return float(np.mean((weights.argmax(-1) == steps)[real]))


def _alignment_per_sequence(weights, lengths):
    return float(np.mean([alignment_solution(weights[i:i + 1], lengths[i:i + 1])
                          for i in range(len(lengths))]))


def _alignment_over_output_steps(weights, lengths):
    steps = np.arange(weights.shape[1])
    real = steps < lengths[:, None]
    return float(np.mean((weights.argmax(1) == lengths[:, None] - 1 - steps)[real]))


@pytest.mark.parametrize("fn, hint", [
    (_alignment_counting_padding, "padding steps were counted"),
    (_alignment_on_the_diagonal, "not t"),
    (_alignment_per_sequence, "mean of each sequence's share"),
    (_alignment_over_output_steps, "over the last axis"),
    (lambda weights, lengths: 0.5, "expected 0.759"),
    (lambda weights, lengths: "high", "return a number"),
])
def test_notebook_14_alignment_hints(capsys, fn, hint):
    assert not exercises.check_alignment_score(fn)
    out = said(capsys)
    assert out.startswith("✗ 14.4 not yet: ") and hint in out


def test_notebook_14_alignment_accepts_a_float32_mean(capsys):
    assert exercises.check_alignment_score(
        lambda w, n: np.float32(alignment_solution(w, n)))


@pytest.mark.parametrize("check, args, answer, exercise, hint", [
    (exercises.check_sequence_share, (0.95, 16), 0.95, "14.1", "that is one digit"),
    (exercises.check_sequence_share, (0.95, 16), 0.2, "14.1", "do not add up"),
    (exercises.check_sequence_share, (0.95, 16), 44.0, "14.1", "not a percentage"),
    (exercises.check_sequence_share, (0.95, 16), 0.0, "14.1", "every digit is wrong"),
    (exercises.check_sequence_share, (0.95, 16), -0.4, "14.1", "a share lies from 0 to 1"),
    (exercises.check_sequence_share, (0.95, 16), 0.6, "14.1", "is not the chance"),
    (exercises.check_sequence_share, (0.95, 16), "most", "14.1", "one number"),
    (exercises.check_additive_weight, (), 2.285, "14.2", "that is k1's score"),
    (exercises.check_additive_weight, (), 0.662, "14.2", "not from their share"),
    (exercises.check_additive_weight, (), 0.246, "14.2", "that is k2's weight"),
    (exercises.check_additive_weight, (), 0.047, "14.2", "dot product's weight"),
    (exercises.check_additive_weight, (), 0.789, "14.2", "scale weights each tanh"),
    (exercises.check_additive_weight, (), 1.5, "14.2", "between 0 and 1"),
    (exercises.check_additive_weight, (), 0.5, "14.2", "score both keys"),
    (exercises.check_attention_weights, (6960, 48), 7008, "14.3", "use_bias=False"),
    (exercises.check_attention_weights, (6960, 48), 6912, "14.3", "a bias as well"),
    (exercises.check_attention_weights, (6960, 48), 4656, "14.3", "count both new Dense"),
    (exercises.check_attention_weights, (6960, 48), 9264, "14.3", "additive variant"),
    (exercises.check_attention_weights, (6960, 48), 6961, "14.3", "no scale weight"),
    (exercises.check_attention_weights, (6960, 48), 20000, "14.3", "more than the two"),
    (exercises.check_attention_weights, (6960, 48), 100, "14.3", "is short"),
    (exercises.check_attention_weights, (6960, 48), "many", "14.3", "one integer"),
    (exercises.check_mask_keeper, (True, False), "b", "14.5", "which of the two is a Keras"),
    (exercises.check_mask_keeper, (True, False), "c", "14.5", "only one of the two is a layer"),
    (exercises.check_mask_keeper, (True, False), "d", "14.5", "merge layers combine"),
    (exercises.check_mask_keeper, (False, False), "a", "14.5", "Add drops the mask and + drops"),
    (exercises.check_mask_keeper, (True, False), "e", "14.5", 'answer "a", "b", "c" or "d"'),
    (exercises.check_greedy_scores, (16,), (256, 4096), "14.6", "swapped"),
    (exercises.check_greedy_scores, (16,), (4096, 16), "14.6", "scores all 16 source"),
    (exercises.check_greedy_scores, (16,), (256, 256), "14.6", "one run of the whole model"),
    (exercises.check_greedy_scores, (16,), (3840, 256), "14.6", "once more at the end"),
    (exercises.check_greedy_scores, (16,), (100, 256), "14.6", "runs x output steps"),
    (exercises.check_greedy_scores, (16,), 4096, "14.6", "two integers"),
])
def test_notebook_14_hints(capsys, check, args, answer, exercise, hint):
    assert not check(answer, *args)
    out = said(capsys)
    assert out.startswith(f"✗ {exercise} not yet: ") and hint in out


def test_notebook_14_mask_verdict_follows_the_measurement(capsys):
    """Were a Keras release to carry masks through +, the right letter would follow it."""
    assert exercises.check_mask_keeper("c", True, True)
    assert not exercises.check_mask_keeper("a", True, True)
    assert "+ keeps it" in said(capsys)


def test_the_notebook_14_solutions_are_right_and_the_placeholders_not_attempted(capsys):
    scores = np.sum(np.array([2, 1]) * np.tanh(np.array([1, -1]) + np.array([[0, 2], [1, 0]])),
                    axis=-1)
    right = [exercises.check_sequence_share(0.95 ** 16, 0.95, 16),
             exercises.check_additive_weight(np.exp(scores[0]) / np.exp(scores).sum()),
             exercises.check_attention_weights(6960, 6960, 48),
             exercises.check_alignment_score(alignment_solution),
             exercises.check_mask_keeper("a", True, False),
             exercises.check_greedy_scores((16 ** 3, 16 ** 2), 16)]
    assert [bool(v) for v in right] == [True] * 6
    assert [line[:12] for line in said(capsys).splitlines()] == [f"✓ 14.{k} right" for k in
                                                                 range(1, 7)]
    placeholders = [exercises.check_sequence_share(None, 0.95, 16),
                    exercises.check_additive_weight(None),
                    exercises.check_attention_weights(None, 6960, 48),
                    exercises.check_alignment_score(placeholder),
                    exercises.check_mask_keeper(None, True, False),
                    exercises.check_greedy_scores(None, 16)]
    assert [bool(v) for v in placeholders] == [False] * 6
    assert all(line.startswith(f"· 14.{k} not attempted yet: ")
               for k, line in enumerate(said(capsys).splitlines(), 1))
